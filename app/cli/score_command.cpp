#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/classifier_checkpoint.h"
#include "core/checkpoint/shipped_checkpoints.h"
#include "app/cli/checkpoint_sampling.h"
#include "core/metrics/nearest_class.h"
#include "app/cli/cli_support.h"
#include "app/cli/commands.h"
#include "app/cli/interrupt.h"
#include "core/data/dataset.h"
#include "core/io/image_grid.h"
#include "core/jobs/checkpoint_model.h"
#include "core/jobs/quality_job.h"
#include "core/runtime/random.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

namespace ddpm::cli {
namespace {

// The name --classifier has by default: resources/checkpoints/fmnist-classifier.safetensors.
constexpr const char* kDefaultClassifier = "fmnist-classifier";

struct ScoreOptions {
  std::string checkpoint;
  std::string data;
  std::int64_t n = 0;  // 0: 2000 points, 256 images
  std::uint64_t seed = 0;
  SamplerArguments sampling;
  std::string reference = "model";
  std::string classifier = kDefaultClassifier;
  std::string data_dir;
  std::int64_t batch = 256;
  std::string samples_out;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The steps K a run of these options takes on this checkpoint (T when not given).
std::int64_t steps_taken_by(const ScoreOptions& o, const CheckpointData& checkpoint) {
  return o.sampling.steps > 0 ? o.sampling.steps : checkpoint.schedule.steps;
}

// The checkpoint's samples to score: o.n of them, drawn as draw_quality_samples does
// (images `o.batch` at a time, batch i with seed + i), with a progress line per batch.
torch::Tensor draw_scored_samples(const ScoreOptions& o, const CheckpointData& checkpoint) {
  QualitySamplingOptions options;
  options.sampler = o.sampling.options(o.n, o.seed, checkpoint);
  options.image_batch = o.batch;
  const CheckpointModel model = open_checkpoint_model(checkpoint, options.sampler.device);
  checked_reverse_process(model, quality_batch_options(model, options, 0));  // bad --steps / --eta: exit 2
  SamplingProgress progress;
  const QualitySamples drawn = draw_quality_samples(
      model, options,
      [&](const QualityStep& s) {
        if (s.process.steps_taken() > 0) {
          progress.step(s.process);
          return;
        }
        const std::string batch = " " + std::to_string(s.batch + 1) + "/" + std::to_string(s.batches);
        progress.start(o.sampling.sampler + (s.batches > 1 ? batch : std::string()), s.process.total_steps());
      },
      &interrupt_flag());
  progress.end(drawn.status);
  return drawn.samples;
}

// ---- 2D: energy distance against a Gaussian baseline ---------------------------------

// The fraction of `samples` (data coordinates) whose 5 nearest points of `labelled` vote for
// the asked-for class.
double class_accuracy(const torch::Tensor& samples, const Dataset& labelled, std::int64_t class_label) {
  const auto classes = nearest_neighbour_classes(samples, points_in_data_coordinates(labelled), labelled.labels, 5);
  return classes.eq(class_label).to(torch::kFloat64).mean().item<double>();
}

void score_points(const ScoreOptions& o, const CheckpointData& checkpoint) {
  // Held-out points and the training points the Gaussian baseline is fitted to, both
  // in the data's own coordinates (seed 0, as `ddpm train` loads them).
  const DataArguments loader;
  const std::string held_out_spec = o.data.empty() ? checkpoint.data_spec : o.data;
  const DataSpec parsed = data_spec_argument(held_out_spec);
  if (!parsed.is_toy_2d() && parsed.source != "csv")
    throw UsageError("--data " + held_out_spec + " is not a set of 2D points");
  // Either guidance's class: its samples are compared with that class's points (and its own baseline).
  const std::int64_t class_label = o.sampling.requested_class(checkpoint);
  const auto of_class = [&](const Dataset& data) { return class_label >= 0 ? only_class(data, class_label) : data; };
  const Dataset all_held_out = loader.load(held_out_spec, Split::Test);
  const Dataset held_out = of_class(all_held_out);
  if (o.data.empty() && held_out.spec.source == "csv")
    std::cerr << "ddpm: warning: " << held_out_spec
              << " has no separate test split, so the samples are compared with the training points; "
                 "pass the held-out points with --data csv:FILE\n";
  const Dataset train = [&] {
    try {
      return of_class(loader.load(checkpoint.data_spec, Split::Train));
    } catch (const Error& e) {
      throw Error("the Gaussian baseline needs the training data " + checkpoint.data_spec + ": " + e.what());
    }
  }();

  QualityReference reference;
  reference.held_out = points_in_data_coordinates(held_out);
  reference.train_points = points_in_data_coordinates(train);

  const auto start = std::chrono::steady_clock::now();
  const torch::Tensor samples = draw_scored_samples(o, checkpoint);
  const double sampling_seconds = seconds_since(start);
  if (!torch::isfinite(samples).all().item<bool>())
    throw Error("the model's samples contain NaN or infinite values; it cannot be scored");

  const QualityScore2d score = score_quality(reference, samples, o.seed).points;
  std::fprintf(stderr, "sampled %lld points in %.1f s; held-out: %lld points of %s; baseline fitted to %lld points of %s\n",
               static_cast<long long>(o.n), sampling_seconds, static_cast<long long>(held_out.size()),
               held_out_spec.c_str(), static_cast<long long>(train.size()), checkpoint.data_spec.c_str());
  const std::int64_t steps = steps_taken_by(o, checkpoint);
  const SamplerOptions sampler = o.sampling.options(o.n, o.seed, checkpoint);
  std::fprintf(stderr, "sampler %s, %lld steps (%s), %lld network evaluations per sample\n", o.sampling.sampler.c_str(),
               static_cast<long long>(steps), to_string(sampler.spacing).c_str(),
               static_cast<long long>(network_evaluations(sampler.kind, steps)));
  if (class_label >= 0)
    std::fprintf(stderr, "%s; compared with that class's points\n",
                 o.sampling.guidance_description(checkpoint).c_str());
  std::printf("energy distance: %.6g\n", score.energy_distance);
  std::printf("gaussian baseline: %.6g\n", score.gaussian_energy_distance);
  std::printf("ratio: %.4f\n", score.ratio);
  if (class_label >= 0) std::printf("class accuracy: %.4f\n", class_accuracy(samples, all_held_out, class_label));
}

// ---- images: Fréchet distance in the classifier's feature space ----------------------

// Guidance in the JSON line: the class and w (classifier-free) or the noise-aware
// classifier and s, the fraction of samples the quality classifier puts in that class,
// and (as "reference") that the score is against the class's own test images.
void add_guidance_detail(nlohmann::json& detail, const SamplerArguments& sampling, std::int64_t class_label,
                         const ImageQualityScore& score) {
  const auto label = static_cast<std::size_t>(class_label);
  detail["class"] = class_label;
  if (sampling.noisy_classifier.empty()) {
    detail["guidance"] = sampling.guidance;
  } else {
    detail["noisy_classifier"] = sampling.noisy_classifier;
    detail["classifier_scale"] = sampling.classifier_scale;
  }
  detail["reference"] = "fashion-mnist test images of class " + std::to_string(class_label);
  detail["class_accuracy"] = label < score.predicted_classes.size()
                                 ? static_cast<double>(score.predicted_classes[label]) / static_cast<double>(score.count)
                                 : 0.0;
}

LoadedClassifier load_score_classifier(const std::string& argument) {
  try {
    return load_classifier(resolve_checkpoint(argument));
  } catch (const Error& e) {
    throw Error(std::string("the image score needs the Fashion-MNIST classifier (--classifier): ") + e.what());
  }
}

void score_images(const ScoreOptions& o, const CheckpointData* checkpoint) {
  LoadedClassifier classifier = load_score_classifier(o.classifier);
  DataOptions data;
  data.data_dir = o.data_dir;
  QualityReference reference;
  reference.classifier = classifier.model;
  const std::int64_t class_label = checkpoint ? o.sampling.requested_class(*checkpoint) : -1;
  reference.moments = fashion_mnist_test_moments(*classifier.model, data, class_label);

  const auto start = std::chrono::steady_clock::now();
  torch::Tensor images;
  std::string scored;
  if (checkpoint) {
    images = draw_scored_samples(o, *checkpoint);
    scored = checkpoint->source;
  } else {
    data.split = Split::Train;
    const Dataset train = load_dataset("fashion-mnist", data);
    if (o.n > train.size())
      throw UsageError("--n " + std::to_string(o.n) + " is more than the " + std::to_string(train.size()) +
                       " training images");
    auto generator = make_generator(o.seed);
    const torch::Tensor chosen = torch::randperm(train.size(), generator, torch::kLong).narrow(0, 0, o.n);
    images = train.x.index_select(0, chosen);
    scored = "fashion-mnist training images";
  }
  const double sampling_seconds = seconds_since(start);
  if (!torch::isfinite(images).all().item<bool>())
    throw Error("the model's samples contain NaN or infinite values; they cannot be scored");
  if (!o.samples_out.empty()) write_png_grid(o.samples_out, quantise_to_8bit(images));

  const ImageQualityScore score = score_quality(reference, images, o.seed).image;

  nlohmann::json detail = {{"fd", score.frechet_distance},
                           {"n", score.count},
                           {"scored", scored},
                           {"reference", "fashion-mnist test set"},
                           {"reference_n", score.reference_count},
                           {"predicted_classes", score.predicted_classes},
                           {"classifier", classifier.info.source},
                           {"classifier_test_accuracy", classifier.info.test_accuracy},
                           {"seed", o.seed},
                           {"seconds", sampling_seconds}};
  if (checkpoint) {
    const std::int64_t steps = steps_taken_by(o, *checkpoint);
    const SamplerOptions sampler = o.sampling.options(o.n, o.seed, *checkpoint);
    const SamplerKind kind = sampler.kind;
    detail["sampler"] = o.sampling.sampler;
    detail["steps"] = steps;
    detail["nfe"] = network_evaluations(kind, steps);
    if (kind != SamplerKind::DDPM) detail["spacing"] = to_string(sampler.spacing);
    if (kind == SamplerKind::DDIM) detail["eta"] = o.sampling.eta;
    if (kind == SamplerKind::DDPM) detail["variance"] = o.sampling.variance;
    detail["precision"] = sampler.precision;
    detail["batch"] = o.batch;
    if (class_label >= 0) add_guidance_detail(detail, o.sampling, class_label, score);
  }
  std::printf("fd: %.4f\n", score.frechet_distance);
  std::printf("%s\n", detail.dump().c_str());
}

}  // namespace

void add_score_command(CLI::App& app) {
  auto options = std::make_shared<ScoreOptions>();
  auto* command = app.add_subcommand(
      "score",
      "Sample quality: 2D, energy distance to held-out points against a Gaussian baseline; Fashion-MNIST, "
      "Frechet distance to the test set in the classifier's feature space");
  command->add_option("--checkpoint", options->checkpoint,
                      "Checkpoint (.safetensors) or shipped name (not with --reference train)");
  command->add_option("--data", options->data,
                      "2D: held-out points SPEC (default: the test split of the checkpoint's data, e.g. csv:HELD_OUT.csv)");
  command->add_option("--n", options->n, "Number of samples to draw (default: 2000 points, 256 images)")
      ->check(CLI::Range(2, 100000));
  command->add_option("--seed", options->seed, "Seed for the samples (and the Gaussian baseline / training images)")
      ->capture_default_str();
  options->sampling.add_to(*command);
  command->add_option("--reference", options->reference,
                      "Images: 'model' scores the checkpoint's samples; 'train' scores N Fashion-MNIST training "
                      "images instead (the floor the score can reach at this N)")
      ->check(CLI::IsMember({"model", "train"}))
      ->capture_default_str();
  command->add_option("--classifier", options->classifier, "Images: classifier file or shipped name")
      ->capture_default_str();
  command->add_option("--data-dir", options->data_dir, "Images: Fashion-MNIST folder (default: the Debian package's)");
  command->add_option("--batch", options->batch, "Images: samples drawn at once (batch i uses seed + i)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  command->add_option("--samples-out", options->samples_out, "Images: also write the scored images as a PNG grid");

  command->callback([options] {
    ScoreOptions o = *options;
    check_outputs({{"--samples-out", o.samples_out}},
                  {{"--checkpoint", o.checkpoint.empty() ? std::string() : resolve_checkpoint(o.checkpoint)},
                   {"--data", data_file_of(o.data)},
                   {"--classifier", o.classifier}});
    if (o.reference == "train") {
      if (o.n == 0) o.n = 256;
      if (!o.sampling.class_text.empty() || o.sampling.guidance != 0.0 || !o.sampling.noisy_classifier.empty())
        throw UsageError("--class and --guidance steer a model's samples; leave them out with --reference train");
      if (!o.checkpoint.empty())
        throw UsageError("--reference train scores training images instead of a model; leave out --checkpoint");
      score_images(o, nullptr);
      return;
    }
    if (o.checkpoint.empty()) throw UsageError("--checkpoint is required (or --reference train for the floor)");
    const CheckpointData checkpoint = load_checkpoint(resolve_checkpoint(o.checkpoint));
    use_threads_for(checkpoint.model);
    o.sampling.requested_class(checkpoint);  // --class, --guidance, --noisy-classifier it cannot take: exit 2 before any work
    if (checkpoint.sample_shape.size() == 3) {
      if (o.n == 0) o.n = 256;
      if (checkpoint.sample_shape != std::vector<std::int64_t>{1, kClassifierImageSize, kClassifierImageSize})
        throw UsageError("the image score uses a Fashion-MNIST classifier and needs 1x28x28 images; '" + o.checkpoint +
                         "' makes " + std::to_string(checkpoint.sample_shape[0]) + "x" +
                         std::to_string(checkpoint.sample_shape[1]) + "x" + std::to_string(checkpoint.sample_shape[2]));
      if (checkpoint.data_spec != "fashion-mnist")
        std::cerr << "ddpm: warning: '" << o.checkpoint << "' was trained on " << checkpoint.data_spec
                  << "; its samples are compared with the Fashion-MNIST test set\n";
      score_images(o, &checkpoint);
      return;
    }
    if (checkpoint.sample_shape != std::vector<std::int64_t>{2})
      throw UsageError("ddpm score compares 2D point sets or Fashion-MNIST images; '" + o.checkpoint +
                       "' makes neither");
    if (o.n == 0) o.n = 2000;
    score_points(o, checkpoint);
  });
}

}  // namespace ddpm::cli
