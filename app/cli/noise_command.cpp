#include "app/cli/cli_support.h"
#include "app/cli/commands.h"
#include "core/data/csv_points.h"
#include "core/data/dataset.h"
#include "core/diffusion/gaussian_diffusion.h"
#include "core/io/image_grid.h"
#include "core/runtime/random.h"

#include <memory>

namespace ddpm::cli {

void add_noise_command(CLI::App& app) {
  struct Options {
    ScheduleOptions schedule;
    DataArguments data;
    std::int64_t t = 0;
    std::int64_t n = 16;
    std::uint64_t seed = 0;
    std::string out;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand(
      "noise", "Draw x_t ~ q(x_t | x_0) for N data samples (eq. 4), written in the normalised space");
  options->data.add_to(*command, /*required=*/true);
  command->add_option("--t", options->t, "Code timestep t in 0..T-1 (paper t - 1)")->required();
  command->add_option("--n", options->n, "Number of samples")->capture_default_str();
  command->add_option("--seed", options->seed, "Seed for the choice of samples and the noise")->capture_default_str();
  command->add_option("--out", options->out, "Output: a PNG grid for images, CSV x,y for 2D data")->required();
  options->schedule.add_to(*command);
  command->callback([options] {
    check_outputs({{"--out", options->out}},
                  {{"--data", data_file_of(options->data.spec)}, {"--betas-file", options->schedule.betas_file}});
    const NoiseSchedule schedule = options->schedule.schedule();
    if (options->t < 0 || options->t >= schedule.steps())
      throw UsageError("--t must be in 0.." + std::to_string(schedule.steps() - 1) + ", got " +
                       std::to_string(options->t));
    if (options->n < 1) throw UsageError("--n must be at least 1");
    const Dataset data = options->data.load(options->data.spec, Split::Train, options->seed);
    const std::string ext = extension_of(options->out);
    const bool images = data.kind == DataKind::Images;
    if (images && ext != "png") throw UsageError("image data is written as a PNG grid: use --out FILE.png");
    if (!images && ext != "csv") throw UsageError("2D data is written as CSV: use --out FILE.csv");
    if (options->n > data.size())
      throw UsageError("--n " + std::to_string(options->n) + " exceeds the " + std::to_string(data.size()) +
                       " samples of " + options->data.spec);
    print_warnings(schedule);

    torch::NoGradGuard no_grad;
    at::Generator generator = make_generator(options->seed);
    const auto chosen = torch::randperm(data.size(), generator, torch::kLong).narrow(0, 0, options->n);
    const auto x0 = data.x.index_select(0, chosen);
    const GaussianDiffusion diffusion(schedule);
    const auto xt = diffusion.q_sample(x0, options->t, randn_like(x0, generator));
    if (images)
      write_png_grid(options->out, xt);
    else
      write_csv_points(options->out, xt);
  });
}

}  // namespace ddpm::cli
