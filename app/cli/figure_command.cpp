#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/shipped_checkpoints.h"
#include "app/cli/checkpoint_sampling.h"
#include "app/cli/cli_support.h"
#include "app/cli/commands.h"
#include "app/cli/interrupt.h"
#include "core/io/image_grid.h"
#include "core/jobs/progressive_figure.h"
#include "core/jobs/sample_job.h"

#include <memory>

namespace ddpm::cli {

namespace {

// `ddpm figure progressive`: Fig. 6, x̂_0 of each sample's reverse chain every T/s steps.
void add_progressive(CLI::App& figure) {
  struct Options {
    std::string checkpoint;
    std::int64_t n = 4;
    std::uint64_t seed = 0;
    std::int64_t snapshots = 10;
    SamplerArguments sampling;
    std::string out;
  };
  auto options = std::make_shared<Options>();
  auto* command = figure.add_subcommand(
      "progressive", "Fig. 6: the prediction x0-hat of each reverse chain every T/S steps, then the sample; one row per sample");
  command->add_option("--checkpoint", options->checkpoint, "Checkpoint (.safetensors) or shipped name (images)")->required();
  command->add_option("--n", options->n, "Samples (rows)")->check(CLI::Range(1, 1024))->capture_default_str();
  command->add_option("--seed", options->seed, "Seed for x_T and every step's noise")->capture_default_str();
  command->add_option("--snapshots", options->snapshots, "S: columns of x0-hat, at t = T, T - T/S, ..., T/S")
      ->capture_default_str();
  options->sampling.add_to(*command);
  command->add_option("--out", options->out, "PNG grid")->required();

  command->callback([options] {
    const auto& o = *options;
    const std::string checkpoint_path = resolve_checkpoint(o.checkpoint);
    check_outputs({{"--out", o.out}}, {{"--checkpoint", checkpoint_path}});
    if (extension_of(o.out) != "png") throw UsageError("--out must name a .png file");
    const CheckpointData checkpoint = load_checkpoint(checkpoint_path);
    if (checkpoint.sample_shape.size() != 3)
      throw UsageError("progressive generation shows images; '" + o.checkpoint + "' makes 2D points");
    const std::int64_t T = checkpoint.schedule.timesteps();
    if (o.snapshots < 1 || o.snapshots > T)
      throw UsageError("--snapshots must be from 1 to T = " + std::to_string(T));
    use_threads_for(checkpoint.model);

    SampleJobOptions job_options;
    job_options.sampler = o.sampling.options(o.n, o.seed, checkpoint);
    job_options.sampler.clip_x0 = true;
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

}  // namespace

void add_figure_command(CLI::App& app) {
  auto* figure = app.add_subcommand("figure", "The paper's figures, drawn from a checkpoint");
  figure->require_subcommand(1);
  add_progressive(*figure);
}

}  // namespace ddpm::cli
