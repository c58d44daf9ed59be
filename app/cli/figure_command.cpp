#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/shipped_checkpoints.h"
#include "app/cli/checkpoint_sampling.h"
#include "app/cli/cli_support.h"
#include "app/cli/commands.h"
#include "app/cli/interrupt.h"
#include "core/io/image_grid.h"
#include "core/jobs/guidance_strip.h"
#include "core/jobs/interpolation_figure.h"
#include "core/jobs/progressive_figure.h"
#include "core/jobs/sample_job.h"
#include "core/jobs/shared_latent_figure.h"
#include "core/jobs/test_data.h"

#include <memory>

namespace ddpm::cli {

namespace {

// What every image figure takes: the checkpoint, the seed, the sampler and the PNG.
struct FigureArguments {
  std::string checkpoint;
  std::uint64_t seed = 0;
  SamplerArguments sampling;
  std::string out;

  void add_to(CLI::App& command, const std::string& seed_help) {
    command.add_option("--checkpoint", checkpoint, "Checkpoint (.safetensors) or shipped name (images)")->required();
    command.add_option("--seed", seed, seed_help)->capture_default_str();
    sampling.add_to(command);
    command.add_option("--out", out, "PNG grid")->required();
  }

  // The checkpoint, after the checks every figure makes: --out is a PNG that does not
  // replace the checkpoint, and the model makes images.
  CheckpointData image_checkpoint(const std::string& figure) const {
    const std::string checkpoint_path = resolve_checkpoint(checkpoint);
    check_outputs({{"--out", out}}, {{"--checkpoint", checkpoint_path}});
    if (extension_of(out) != "png") throw UsageError("--out must name a .png file");
    CheckpointData data = load_checkpoint(checkpoint_path);
    if (data.sample_shape.size() != 3)
      throw UsageError("the " + figure + " figure shows images; '" + checkpoint + "' makes 2D points");
    use_threads_for(data.model);
    return data;
  }

  // The figure's sampler: `n` samples from --seed, x̂_0 clamped to [−1, 1] as for images.
  SamplerOptions sampler_for(const CheckpointData& checkpoint, std::int64_t n = 1) const {
    SamplerOptions sampler = sampling.options(n, seed, checkpoint);
    sampler.clip_x0 = true;
    return sampler;
  }
};

// The checkpoint's network for `sampler`; options it cannot take are refused (exit 2)
// before any work.
CheckpointModel open_for_figure(const CheckpointData& checkpoint, const SamplerOptions& sampler) {
  CheckpointModel model = open_checkpoint_model(checkpoint, sampler.device);
  checked_reverse_process(model, sampler);
  return model;
}

// `ddpm figure progressive`: Fig. 6, x̂_0 of each sample's reverse chain every T/s steps.
void add_progressive(CLI::App& figure) {
  struct Options : FigureArguments {
    std::int64_t n = 4;
    std::int64_t snapshots = 10;
  };
  auto options = std::make_shared<Options>();
  auto* command = figure.add_subcommand(
      "progressive", "Fig. 6: the prediction x0-hat of each reverse chain every T/S steps, then the sample; one row per sample");
  options->add_to(*command, "Seed for x_T and every step's noise");
  command->add_option("--n", options->n, "Samples (rows)")->check(CLI::Range(1, 1024))->capture_default_str();
  command->add_option("--snapshots", options->snapshots, "S: columns of x0-hat, at t = T, T - T/S, ..., T/S")
      ->capture_default_str();

  command->callback([options] {
    const auto& o = *options;
    const CheckpointData checkpoint = o.image_checkpoint("progressive-generation");
    const std::int64_t T = checkpoint.schedule.timesteps();
    if (o.snapshots < 1 || o.snapshots > T)
      throw UsageError("--snapshots must be from 1 to T = " + std::to_string(T));

    SampleJobOptions job_options;
    job_options.sampler = o.sampler_for(checkpoint, o.n);
    SampleJob job = checkpoint_sample_job(checkpoint, job_options);
    ProgressiveFigure figure(T, o.snapshots);
    SamplingProgress progress;
    progress.start(o.sampling.sampler, job.process().total_steps());
    progress.end(job.run(
        [&](const ReverseProcess& p) {
          progress.step(p);
          figure.observe(p);
        },
        &interrupt_flag()));
    write_png_grid(o.out, figure.images(job.process()), o.snapshots + 1);
  });
}

// `ddpm figure shared-latent`: Fig. 7, continuations from one chain stopped at several t.
void add_shared_latent(CLI::App& figure) {
  struct Options : FigureArguments {
    std::vector<std::int64_t> levels = {1000, 750, 500, 250};
    std::int64_t continuations = 3;
  };
  auto options = std::make_shared<Options>();
  auto* command = figure.add_subcommand(
      "shared-latent", "Fig. 7: one chain stopped at each --t, and independent runs to x_0 from each stop; one row per t");
  options->add_to(*command, "Seed of x_T and the chain; continuations use seed + 1, seed + 2, ...");
  command->add_option("--t", options->levels, "Paper t to stop the chain at, comma-separated (1..T)")
      ->delimiter(',')
      ->capture_default_str();
  command->add_option("--continuations", options->continuations, "Runs to x_0 from each stop")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();

  command->callback([options] {
    const auto& o = *options;
    const CheckpointData checkpoint = o.image_checkpoint("shared-latent");
    const std::int64_t T = checkpoint.schedule.timesteps();
    for (const std::int64_t t : o.levels)
      if (t < 1 || t > T) throw UsageError("--t must list values from 1 to T = " + std::to_string(T));

    SharedLatentOptions figure_options;
    figure_options.sampler = o.sampler_for(checkpoint);
    figure_options.levels = o.levels;
    figure_options.continuations = o.continuations;
    const CheckpointModel model = open_for_figure(checkpoint, figure_options.sampler);
    SamplingProgress progress;
    const SharedLatentFigure figure = shared_latent_figure(
        model, figure_options, [&](const ReverseProcess& p) { progress.step_of_any("shared-latent", p); },
        &interrupt_flag());
    progress.end(figure.status);
    write_png_grid(o.out, figure.images, o.continuations + 1);
  });
}

// `ddpm figure interpolate`: Figs. 8 and 9, two test images noised to t, mixed, denoised.
struct InterpolateArguments : FigureArguments {
  DataArguments data;
  std::vector<std::int64_t> images;
  std::vector<std::int64_t> levels = {500};
  std::int64_t lambdas = 11;
};

void run_interpolate(const InterpolateArguments& o) {
  const CheckpointData checkpoint = o.image_checkpoint("interpolation");
  const std::int64_t T = checkpoint.schedule.timesteps();
  for (const std::int64_t t : o.levels)
    if (t < 0 || t > T) throw UsageError("--t must list values from 0 to T = " + std::to_string(T));
  if (o.lambdas < 2) throw UsageError("--lambdas must be at least 2 (lambda = 0 and 1)");
  const TestData data = [&] {
    try {
      return test_data_for(checkpoint, o.data.spec, o.data.options(Split::Test));
    } catch (const DataMismatchError& e) {
      throw UsageError("--data " + e.spec() + " does not match the samples this checkpoint was trained on");
    }
  }();
  const std::int64_t count = data.x.size(0);
  for (const std::int64_t i : o.images)
    if (i < 0 || i >= count)
      throw UsageError("--images must name test images 0 to " + std::to_string(count - 1) + " of " + data.spec);

  InterpolationOptions figure_options;
  figure_options.sampler = o.sampler_for(checkpoint);
  figure_options.levels = o.levels;
  figure_options.lambdas = o.lambdas;
  const CheckpointModel model = open_for_figure(checkpoint, figure_options.sampler);
  SamplingProgress progress;
  const InterpolationFigure figure = interpolation_figure(
      model, data.x.narrow(0, o.images[0], 1), data.x.narrow(0, o.images[1], 1), figure_options,
      [&](const ReverseProcess& p) { progress.step_of_any("interpolate", p); }, &interrupt_flag());
  progress.end(figure.status);
  write_png_grid(o.out, figure.images, o.lambdas + 2);
}

void add_interpolate(CLI::App& figure) {
  auto options = std::make_shared<InterpolateArguments>();
  auto* command = figure.add_subcommand(
      "interpolate",
      "Figs. 8-9: two test images noised to t, mixed (1 - lambda) x_t + lambda x'_t and denoised; one row per t");
  options->add_to(*command, "Seed of the forward noise (shared by every t) and of the reverse noise");
  options->data.add_to(*command, /*required=*/false);
  command->add_option("--images", options->images, "I,J: the two test images (numbers in the test split)")
      ->delimiter(',')
      ->expected(2)
      ->required();
  command->add_option("--t", options->levels, "Paper t to noise to, comma-separated (0..T; Fig. 9: 0,250,500,750,1000)")
      ->delimiter(',')
      ->capture_default_str();
  command->add_option("--lambdas", options->lambdas, "Values of lambda, evenly spaced from 0 to 1 (at least 2)")
      ->capture_default_str();
  command->callback([options] { run_interpolate(*options); });
}

// `ddpm figure guidance`: the same seed at several guidance strengths, one column each.
void add_guidance_strip(CLI::App& figure) {
  struct Options : FigureArguments {
    std::int64_t n = 8;
    std::vector<double> strengths = {0, 1, 3, 7};
  };
  auto options = std::make_shared<Options>();
  auto* command = figure.add_subcommand(
      "guidance", "The same seed sampled at several guidance strengths (w, or s with --noisy-classifier), side by "
                  "side: one column per strength, one row per sample");
  options->add_to(*command, "Seed for x_T and every step's noise, the same in every column");
  command->add_option("--n", options->n, "Samples (rows)")->check(CLI::Range(1, 256))->capture_default_str();
  command->add_option("--strengths", options->strengths,
                      "Guidance strengths, comma-separated: w of a conditional model, or s with --noisy-classifier "
                      "(they replace --guidance and --classifier-scale)")
      ->delimiter(',')
      ->capture_default_str();

  command->callback([options] {
    const auto& o = *options;
    const CheckpointData checkpoint = o.image_checkpoint("guidance");
    if (o.sampling.class_text.empty()) throw UsageError("the guidance figure needs the class to steer towards (--class C)");
    GuidanceStripOptions strip_options;
    strip_options.sampler = o.sampler_for(checkpoint, o.n);
    strip_options.strengths = o.strengths;
    const CheckpointModel model = open_for_figure(checkpoint, strip_options.sampler);
    for (const double strength : o.strengths)  // each strength checked before any work
      checked_reverse_process(model, at_strength(strip_options.sampler, strength));
    SamplingProgress progress;
    const GuidanceStrip strip = guidance_strip(
        model, strip_options, [&](const ReverseProcess& p) { progress.step_of_any("guidance", p); }, &interrupt_flag());
    progress.end(strip.status);
    // Row i holds sample i at every strength.
    const torch::Tensor grid = torch::stack(strip.samples, 1).flatten(0, 1);
    write_png_grid(o.out, grid, static_cast<std::int64_t>(o.strengths.size()));
  });
}

}  // namespace

void add_figure_command(CLI::App& app) {
  auto* figure = app.add_subcommand("figure", "The paper's figures, drawn from a checkpoint");
  figure->require_subcommand(1);
  add_progressive(*figure);
  add_shared_latent(*figure);
  add_interpolate(*figure);
  add_guidance_strip(*figure);
  add_rate_distortion_figure(*figure);
}

}  // namespace ddpm::cli
