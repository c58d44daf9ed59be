#include "core/checkpoint/classifier_checkpoint.h"
#include "core/checkpoint/shipped_checkpoints.h"
#include "core/jobs/noisy_classifier_job.h"
#include "core/jobs/test_data.h"
#include "app/cli/cli_support.h"
#include "app/cli/commands.h"
#include "app/cli/interrupt.h"
#include "app/cli/progress_line.h"
#include "core/models/fmnist_classifier.h"
#include "core/runtime/device.h"
#include "core/training/classifier_training.h"
#include "core/util/error.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

namespace ddpm::cli {

namespace {

struct ClassifierArguments {
  bool noisy = false;
  std::string checkpoint = "fashion-mnist";  // --noisy: the model the classifier will guide
  std::string data;                          // --noisy: labelled data SPEC (default: the model's)
  std::int64_t width = 0;
  std::string out;
  std::int64_t epochs = 3;
  std::uint64_t seed = 0;
  std::int64_t batch = 128;
  double lr = 1e-3;
  std::string data_dir;
  std::int64_t limit = 0;
  std::string device = "auto";
};

// Adam's settings and the device, as the flags give them.
ClassifierTrainOptions training_options(const ClassifierArguments& o) {
  ClassifierTrainOptions training;
  training.epochs = o.epochs;
  training.batch_size = o.batch;
  training.learning_rate = o.lr;
  training.seed = o.seed;
  training.device = resolve_device(o.device);
  return training;
}

// One progress line for the training minibatches, labelled `label`.
void show_step(std::unique_ptr<ProgressLine>& line, const char* label, const ClassifierStepReport& r) {
  if (!line) line = std::make_unique<ProgressLine>(label, r.total_steps);
  char detail[64];
  std::snprintf(detail, sizeof detail, "epoch %lld  loss %.4f", static_cast<long long>(r.epoch + 1), r.loss);
  line->update(r.step, detail);
}

// Trains the classifier the flags describe, reports its test accuracy and saves it.
void run_classifier_training(const ClassifierArguments& o) {
  const auto folder = std::filesystem::path(o.out).parent_path();
  std::error_code error;
  if (!folder.empty() && !std::filesystem::is_directory(folder, error))
    throw UsageError("--out " + o.out + ": the folder " + folder.string() + " does not exist");

  DataOptions data;
  data.data_dir = o.data_dir;
  data.limit = o.limit;
  data.split = Split::Train;
  const Dataset train = load_dataset("fashion-mnist", data);
  data.split = Split::Test;
  data.limit = 0;
  const Dataset test = load_dataset("fashion-mnist", data);

  const ClassifierTrainOptions training = training_options(o);
  FmnistClassifier model = make_classifier(FmnistClassifierOptions{}, training);

  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<ProgressLine> progress;
  const ClassifierTrainResult result = train_classifier(
      *model, train.x, train.labels, training,
      [&](const ClassifierStepReport& r) { show_step(progress, "classifier", r); }, &interrupt_flag());
  if (progress) progress->finish();
  if (result.status == RunStatus::Cancelled) {
    std::cerr << "ddpm: stopped; nothing written\n";
    throw Interrupted();
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  ClassifierInfo info;
  info.test_accuracy = classifier_accuracy(*model, test.x, test.labels);
  info.epochs = o.epochs;
  info.seed = o.seed;
  info.train_images = train.size();
  model->to(torch::kCPU);
  save_classifier(o.out, *model, info);
  std::fprintf(stderr, "trained on %lld images for %lld epochs in %s (final epoch's mean loss %.4f); saved %s\n",
               static_cast<long long>(train.size()), static_cast<long long>(o.epochs),
               format_duration(seconds).c_str(), result.epoch_losses.back(), o.out.c_str());
  std::printf("test accuracy: %.4f\n", info.test_accuracy);
}

// Trains a noise-aware classifier for a diffusion model (classifier guidance), prints its
// test accuracy against t and saves it.
void run_noisy_classifier_training(const ClassifierArguments& o) {
  const std::string checkpoint_path = resolve_checkpoint(o.checkpoint);
  check_outputs({{"--out", o.out}}, {{"--checkpoint", checkpoint_path}});
  const CheckpointData checkpoint = read_checkpoint_metadata(checkpoint_path);
  if (checkpoint.model.conditional())
    throw UsageError("'" + o.checkpoint + "' is class-conditional: it is steered by classifier-free guidance "
                     "(--class C --guidance W) and needs no classifier");
  NoisyClassifierJobOptions job;
  job.trained_for = o.checkpoint;
  job.data_spec = o.data;
  job.data.data_dir = o.data_dir;
  job.data.limit = o.limit;
  job.width = o.width;
  job.training = training_options(o);

  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<ProgressLine> progress;
  NoisyClassifierJobResult result;
  try {
    result = train_noisy_classifier_for(
        checkpoint, job,
        [&](const NoisyClassifierProgress& p) {
          if (p.accuracy_total == 0) {
            show_step(progress, "noisy classifier", p.step);
          } else {
            if (p.accuracy_done == 0) {
              if (progress) progress->finish();
              progress = std::make_unique<ProgressLine>("accuracy against t", p.accuracy_total);
            } else {
              progress->update(p.accuracy_done, "");
            }
          }
        },
        &interrupt_flag());
  } catch (const DataMismatchError& e) {
    throw UsageError(std::string("--data: ") + e.what());
  }
  if (progress) progress->finish();
  if (result.status == RunStatus::Cancelled) {
    std::cerr << "ddpm: stopped; nothing written\n";
    throw Interrupted();
  }
  save_noisy_classifier(o.out, *result.model, result.info);
  std::fprintf(stderr, "trained on %lld samples of %s for %lld epochs in %s (final epoch's mean loss %.4f); saved %s\n",
               static_cast<long long>(result.info.train_samples), result.info.data.c_str(),
               static_cast<long long>(o.epochs), format_duration(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()).c_str(),
               result.training.epoch_losses.back(), o.out.c_str());
  std::printf("t,test_accuracy\n");
  for (const auto& [t, accuracy] : result.info.accuracy_by_t)
    std::printf("%lld,%.4f\n", static_cast<long long>(t + 1), accuracy);  // the paper's t = code index + 1
}

}  // namespace

void add_classifier_command(CLI::App& app) {
  auto options = std::make_shared<ClassifierArguments>();
  auto* group = app.add_subcommand(
      "classifier", "The Fashion-MNIST classifier behind the image quality score, and noise-aware classifiers for guidance");
  group->require_subcommand(1);
  auto* command = group->add_subcommand(
      "train",
      "Train the classifier on Fashion-MNIST's training set, report its test accuracy, save it; with --noisy, a "
      "noise-aware classifier p(y | x_t, t) for guiding a model, with its test accuracy against t");
  command->add_flag("--noisy", options->noisy,
                    "Train on noised samples x_t of the --checkpoint model's schedule and coordinates, for classifier "
                    "guidance (ddpm sample --noisy-classifier)");
  command->add_option("--checkpoint", options->checkpoint, "--noisy: the model to guide (file or shipped name)")
      ->capture_default_str();
  command->add_option("--data", options->data, "--noisy: labelled data SPEC (default: the model's own)");
  command->add_option("--width", options->width, "--noisy: hidden width (default 32 for images, 64 for points)")
      ->check(CLI::Range(1, 1024));
  command->add_option("--out", options->out, "Classifier file to write (.safetensors)")->required();
  command->add_option("--epochs", options->epochs, "Passes over the training set")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  command->add_option("--seed", options->seed, "Seed for the initial weights and the shuffling")->capture_default_str();
  command->add_option("--batch", options->batch, "Images per Adam step")->check(CLI::Range(1, 65536))->capture_default_str();
  command->add_option("--lr", options->lr, "Adam learning rate")->check(positive_number())->capture_default_str();
  command->add_option("--data-dir", options->data_dir, "Fashion-MNIST folder (default: the Debian package's)");
  command->add_option("--limit", options->limit, "Train on at most this many images (0: all 60,000)")
      ->check(non_negative_number());
  command->add_option("--device", options->device, "auto, cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
      ->capture_default_str();

  command->callback([options] {
    if (options->noisy) {
      run_noisy_classifier_training(*options);
      return;
    }
    if (!options->data.empty() || options->width != 0 || options->checkpoint != "fashion-mnist")
      throw UsageError("--checkpoint, --data and --width are for a noise-aware classifier: add --noisy");
    run_classifier_training(*options);
  });
}

}  // namespace ddpm::cli
