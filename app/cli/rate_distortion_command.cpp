#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/shipped_checkpoints.h"
#include "app/cli/bound_run.h"
#include "app/cli/cli_support.h"
#include "app/cli/commands.h"
#include "app/cli/interrupt.h"
#include "core/io/atomic_file.h"
#include "core/io/line_chart.h"
#include "core/jobs/bound_job.h"
#include "core/sampling/rate_distortion.h"

#include <cstdio>
#include <iostream>
#include <memory>

namespace ddpm::cli {

namespace {

struct RateDistortionArguments {
  std::string checkpoint;
  DataArguments data;
  std::int64_t n = 32;
  std::int64_t batch = 256;
  std::uint64_t seed = 0;
  std::string device = "auto";
  std::string out;
};

// Fig. 5's three panels: distortion and rate against steps, distortion against rate.
std::vector<LineChart> rate_distortion_charts(const std::vector<RateDistortionPoint>& curve) {
  LineChart distortion{"Distortion against steps", "reverse steps (T - t)", "RMSE [0, 255]", {}, {}};
  LineChart rate{"Rate against steps", "reverse steps (T - t)", "rate (bits/dim)", {}, {}};
  LineChart trade_off{"Distortion against rate", "rate (bits/dim)", "RMSE [0, 255]", {}, {}};
  for (const auto& point : curve) {
    const auto steps = static_cast<double>(point.steps);
    distortion.x.push_back(steps), distortion.y.push_back(point.distortion_rmse);
    rate.x.push_back(steps), rate.y.push_back(point.rate_bits_per_dim);
    trade_off.x.push_back(point.rate_bits_per_dim), trade_off.y.push_back(point.distortion_rmse);
  }
  return {distortion, rate, trade_off};
}

// Table 4's rows: every T/10 steps.
void print_table(const std::vector<RateDistortionPoint>& curve) {
  const auto T = static_cast<std::int64_t>(curve.size()) - 1;
  std::printf("%8s %6s %18s %18s\n", "steps", "t", "rate (bits/dim)", "distortion (RMSE)");
  for (std::int64_t tenth = 0; tenth <= 10; ++tenth) {
    const auto& point = curve[static_cast<std::size_t>(T * tenth / 10)];
    std::printf("%8lld %6lld %18.5f %18.5f\n", static_cast<long long>(point.steps), static_cast<long long>(point.t),
                point.rate_bits_per_dim, point.distortion_rmse);
  }
}

void run_rate_distortion(const RateDistortionArguments& o) {
  const std::string checkpoint_path = resolve_checkpoint(o.checkpoint);
  check_outputs({{"--out", o.out}}, {{"--checkpoint", checkpoint_path}, {"--data", data_file_of(o.data.spec)}});
  const std::string extension = extension_of(o.out);
  if (extension != "csv" && extension != "png") throw UsageError("--out must name a .csv or .png file");
  const CheckpointData checkpoint = load_checkpoint(checkpoint_path);
  if (checkpoint.sample_shape.size() != 3)
    throw UsageError("the rate-distortion figure measures images in 8-bit levels; '" + o.checkpoint +
                     "' makes 2D points");
  use_threads_for(checkpoint.model);
  BoundJobOptions job;
  job.data_spec = o.data.spec;
  job.data = o.data.options(Split::Test);
  job.examples = o.n;
  job.seed = o.seed;
  job.terms = 0;  // every term: the curve needs each step's rate
  job.batch_size = o.batch;
  job.device = o.device;
  data_spec_argument(job.spec_for(checkpoint));

  const BoundJobResult result = run_bound_job(checkpoint, job, "rate-distortion");
  if (result.bound.status == RunStatus::Cancelled) {
    std::cerr << "ddpm: stopped; nothing written\n";
    throw Interrupted();
  }
  if (!result.images) throw UsageError("the rate-distortion figure needs image data");
  const auto curve = rate_distortion(result.bound);
  if (extension == "csv") write_file_atomically(o.out, rate_distortion_csv(curve));
  else write_file_atomically(o.out, encode_png(draw_line_charts(rate_distortion_charts(curve))));
  print_table(curve);
  std::printf("test images: %lld\n", static_cast<long long>(result.examples));
}

}  // namespace

void add_rate_distortion_figure(CLI::App& figure) {
  auto options = std::make_shared<RateDistortionArguments>();
  auto* command = figure.add_subcommand(
      "rate-distortion",
      "Fig. 5 / Table 4: after k = T - t reverse steps, the rate L_T + sum_{s>t} L_{s-1} sent so far and the RMSE "
      "of x0-hat(x_t), on test images");
  command->add_option("--checkpoint", options->checkpoint, "Checkpoint (.safetensors) or shipped name (images)")
      ->required();
  options->data.add_to(*command, /*required=*/false);
  command->add_option("--n", options->n, "Test images (chosen with --seed)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  command->add_option("--batch", options->batch, "Images per network call")->check(positive_number())->capture_default_str();
  command->add_option("--seed", options->seed, "Seed for the test images and x_t")->capture_default_str();
  command->add_option("--device", options->device, "auto, cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
      ->capture_default_str();
  command->add_option("--out", options->out, "CSV (steps,t,rate_bits_per_dim,distortion_rmse) or PNG of the three plots")
      ->required();
  command->callback([options] { run_rate_distortion(*options); });
}

}  // namespace ddpm::cli
