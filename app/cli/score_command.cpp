#include "checkpoint/checkpoint.h"
#include "cli/checkpoint_sampling.h"
#include "cli/cli_support.h"
#include "cli/commands.h"
#include "data/dataset.h"
#include "metrics/energy_distance.h"
#include "util/error.h"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>

namespace ddpm::cli {
namespace {

// A 2D data set in its own coordinates (float64 [N, 2]).
torch::Tensor raw_points(const Dataset& data) {
  return data.normalisation.denormalise(data.x.to(torch::kFloat64));
}

}  // namespace

void add_score_command(CLI::App& app) {
  struct Options {
    std::string checkpoint;
    std::string data;
    std::int64_t n = 2000;
    std::uint64_t seed = 0;
    SamplerArguments sampling;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand(
      "score", "Energy distance between a 2D checkpoint's samples and held-out data, against a Gaussian baseline");
  command->add_option("--checkpoint", options->checkpoint, "Checkpoint of a 2D model (.safetensors)")->required();
  command->add_option("--data", options->data,
                      "Held-out points: SPEC (default: the test split of the checkpoint's data, e.g. csv:HELD_OUT.csv)");
  command->add_option("--n", options->n, "Number of samples to draw")->check(CLI::Range(2, 100000))->capture_default_str();
  command->add_option("--seed", options->seed, "Seed for the samples and the Gaussian baseline")->capture_default_str();
  options->sampling.add_to(*command);

  command->callback([options] {
    const auto& o = *options;
    const CheckpointData checkpoint = load_checkpoint(o.checkpoint);
    use_threads_for(checkpoint.model);
    if (checkpoint.sample_shape.size() == 3)
      throw UsageError(
          "ddpm score compares 2D point sets; image checkpoints are scored with the Fashion-MNIST classifier "
          "(not built yet)");
    if (checkpoint.sample_shape != std::vector<std::int64_t>{2})
      throw UsageError("ddpm score compares 2D point sets; '" + o.checkpoint + "' does not make 2D points");

    // Held-out points and the training points the Gaussian baseline is fitted to, both
    // in the data's own coordinates (seed 0, as `ddpm train` loads them).
    const DataArguments loader;
    const std::string held_out_spec = o.data.empty() ? checkpoint.data_spec : o.data;
    const DataSpec parsed = data_spec_argument(held_out_spec);
    if (!parsed.is_toy_2d() && parsed.source != "csv")
      throw UsageError("--data " + held_out_spec + " is not a set of 2D points");
    const Dataset held_out = loader.load(held_out_spec, Split::Test);
    if (o.data.empty() && held_out.spec.source == "csv")
      std::cerr << "ddpm: warning: " << held_out_spec
                << " has no separate test split, so the samples are compared with the training points; "
                   "pass the held-out points with --data csv:FILE\n";
    const Dataset train = [&] {
      try {
        return loader.load(checkpoint.data_spec, Split::Train);
      } catch (const Error& e) {
        throw Error("the Gaussian baseline needs the training data " + checkpoint.data_spec + ": " + e.what());
      }
    }();

    SamplerOptions sampler = o.sampling.options(o.n, o.seed);
    const auto start = std::chrono::steady_clock::now();
    const torch::Tensor samples = sample_points(checkpoint, sampler, o.sampling.sampler);
    const double sampling_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!torch::isfinite(samples).all().item<bool>())
      throw Error("the model's samples contain NaN or infinite values; it cannot be scored");

    const QualityScore2d score = score_2d(samples, raw_points(held_out), raw_points(train), o.seed);
    std::fprintf(stderr, "sampled %lld points in %.1f s; held-out: %lld points of %s; baseline fitted to %lld points of %s\n",
                 static_cast<long long>(o.n), sampling_seconds, static_cast<long long>(held_out.size()),
                 held_out_spec.c_str(), static_cast<long long>(train.size()), checkpoint.data_spec.c_str());
    std::printf("energy distance: %.6g\n", score.energy_distance);
    std::printf("gaussian baseline: %.6g\n", score.gaussian_energy_distance);
    std::printf("ratio: %.4f\n", score.ratio);
  });
}

}  // namespace ddpm::cli
