#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/shipped_checkpoints.h"
#include "app/cli/checkpoint_sampling.h"
#include "app/cli/cli_support.h"
#include "app/cli/commands.h"
#include "core/util/error.h"
#include "core/data/csv_points.h"
#include "core/io/image_grid.h"
#include "core/jobs/sample_job.h"
#include "core/sampling/trajectory.h"

#include <memory>

namespace ddpm::cli {

void add_sample_command(CLI::App& app) {
  struct Options {
    std::string checkpoint;
    std::int64_t n = 16;
    std::uint64_t seed = 0;
    SamplerArguments sampling;
    std::string out;
    std::string trajectory;
    std::int64_t frames = 60;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand("sample", "Draw samples from a checkpoint by running the reverse process");
  command->add_option("--checkpoint", options->checkpoint, "Checkpoint (.safetensors) or shipped name (see ddpm checkpoints)")->required();
  command->add_option("--n", options->n, "Number of samples")->check(CLI::Range(1, 100000))->capture_default_str();
  command->add_option("--seed", options->seed, "Seed for x_T and every step's noise")->capture_default_str();
  options->sampling.add_to(*command);
  command->add_option("--out", options->out, "PNG grid for images, CSV x,y (data coordinates) for 2D")->required();
  command->add_option("--trajectory", options->trajectory, "Also record the run: FILE.gif or a folder of frames");
  command->add_option("--frames", options->frames, "Most frames to record in --trajectory")
      ->check(CLI::Range(2, 100000))
      ->capture_default_str();

  command->callback([options] {
    const auto& o = *options;
    const std::string checkpoint_path = resolve_checkpoint(o.checkpoint);
    check_outputs({{"--out", o.out}, {"--trajectory", o.trajectory}}, {{"--checkpoint", checkpoint_path}});
    const CheckpointData checkpoint = load_checkpoint(checkpoint_path);
    use_threads_for(checkpoint.model);
    const bool images = checkpoint.sample_shape.size() == 3;
    const std::string ext = extension_of(o.out);
    if (images && ext != "png") throw UsageError("this checkpoint makes images: use --out FILE.png");
    if (!images && ext != "csv") throw UsageError("this checkpoint makes 2D points: use --out FILE.csv");

    SampleJobOptions job_options;
    job_options.sampler = o.sampling.options(o.n, o.seed, checkpoint);
    job_options.sampler.clip_x0 = images;
    job_options.record_trajectory = !o.trajectory.empty();
    job_options.trajectory.max_frames = o.frames;
    SampleJob job = checkpoint_sample_job(checkpoint, job_options);
    run_sample_job(job, o.sampling.sampler);
    if (images)
      write_png_grid(o.out, job.samples());
    else
      write_csv_points(o.out, job.samples_in_data_coordinates());
    if (job_options.record_trajectory) write_trajectory(o.trajectory, job.frames());
  });
}

}  // namespace ddpm::cli
