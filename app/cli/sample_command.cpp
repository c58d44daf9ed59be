#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/shipped_checkpoints.h"
#include "app/cli/checkpoint_sampling.h"
#include "app/cli/cli_support.h"
#include "app/cli/commands.h"
#include "core/util/error.h"
#include "core/data/csv_points.h"
#include "core/io/image_grid.h"
#include "core/sampling/reverse_process.h"
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
    const CheckpointData checkpoint = load_checkpoint(resolve_checkpoint(o.checkpoint));
    use_threads_for(checkpoint.model);
    const bool images = checkpoint.sample_shape.size() == 3;
    const std::string ext = extension_of(o.out);
    if (images && ext != "png") throw UsageError("this checkpoint makes images: use --out FILE.png");
    if (!images && ext != "csv") throw UsageError("this checkpoint makes 2D points: use --out FILE.csv");

    SamplerOptions sampler = o.sampling.options(o.n, o.seed);
    sampler.clip_x0 = images;
    ReverseProcess process = checkpoint_reverse_process(checkpoint, sampler);

    std::unique_ptr<TrajectoryRecorder> recorder;
    if (!o.trajectory.empty()) {
      TrajectoryOptions look;
      look.max_frames = o.frames;
      recorder = std::make_unique<TrajectoryRecorder>(process.total_steps(), look);
      recorder->record(process);  // x_T
    }
    run_sampler(process, o.sampling.sampler, [&](const ReverseProcess& p) {
      if (recorder) recorder->record(p);
    });
    if (images)
      write_png_grid(o.out, process.sample());
    else
      write_csv_points(o.out, checkpoint.normalisation.denormalise(process.sample().to(torch::kCPU, torch::kFloat64)));
    if (recorder) write_trajectory(o.trajectory, recorder->frames());
  });
}

}  // namespace ddpm::cli
