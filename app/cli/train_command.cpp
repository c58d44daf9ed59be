#include "core/checkpoint/checkpoint.h"
#include "app/cli/cli_support.h"
#include "app/cli/commands.h"
#include "app/cli/interrupt.h"
#include "app/cli/progress_line.h"
#include "core/util/error.h"
#include "core/data/dataset.h"
#include "core/io/atomic_file.h"
#include "core/jobs/training_job.h"
#include "core/training/trainer.h"

#include <cstdio>
#include <iostream>
#include <memory>

namespace ddpm::cli {

namespace {

struct TrainArguments {
  DataArguments data;
  std::string model = "mlp";
  std::int64_t steps = 0;
  TrainOptions train;
  ScheduleOptions schedule;
  std::string resume;
  std::string out;
  std::string weights = "f32";
};

// The run the flags describe: new, or the continuation of --resume (which keeps the
// checkpoint's options except device, precision, --out and autosave).
std::unique_ptr<Trainer> start_training(const TrainArguments& o) {
  TrainingJobOptions job;
  job.resume = o.resume;
  job.data_spec = o.data.spec;
  job.load_data = [&](const std::string& spec) { return o.data.load(spec); };
  job.model = o.model;
  job.train = o.train;
  job.train.checkpoint_path = o.out;
  if (job.train.autosave_every == 0) job.train.autosave_every = std::max<std::int64_t>(1, o.steps / 10);
  job.takes = ContinuationTakes::RunSettings;  // a continuation keeps the checkpoint's lr, batch, EMA, …
  job.total_steps = o.steps;
  if (o.resume.empty()) {
    if (o.data.spec.empty()) throw UsageError("--data is required (or --resume a checkpoint)");
    job.train.validate();
    const NoiseSchedule schedule = o.schedule.schedule();
    job.schedule = schedule.spec();
    job.before_new_run = [schedule](const Dataset&, const ModelConfig&) { print_warnings(schedule); };
  }
  return start_or_resume_training(job);
}

void run_train(const TrainArguments& o) {
  if (o.steps < 1) throw UsageError("--steps must be at least 1");
  if (extension_of(o.out) != "safetensors") throw UsageError("--out must name a .safetensors file");
  check_writable(o.out);  // a folder that cannot take the checkpoint fails now, not at the first autosave

  const std::unique_ptr<Trainer> trainer = start_training(o);
  use_threads_for(trainer->ema_model()->config());
  const std::int64_t first = trainer->step();
  if (first >= o.steps) {
    std::cerr << "ddpm: nothing to do: the checkpoint is already at step " << first << " of " << o.steps << '\n';
    return;
  }
  std::cerr << "training " << trainer->ema_model()->config().preset << " (" << parameter_count(*trainer->model())
            << " parameters) on " << trainer->dataset().spec.text() << " (" << trainer->dataset().size()
            << " samples), " << trainer->diffusion().steps() << " timesteps, device " << trainer->device()
            << (trainer->device().is_cuda() ? ", precision " + trainer->options().precision : std::string()) << '\n';

  ProgressLine progress("train", o.steps, first);
  const auto& interrupted = interrupt_flag();
  char detail[64];
  const TrainResult result = trainer->run(o.steps - first, [&](const TrainStepReport& report) {
    std::snprintf(detail, sizeof detail, "loss %.4f", report.loss);
    progress.update(report.step, detail);
    if (interrupted.load()) trainer->cancel();
  });
  progress.finish();
  if (result.status != TrainStatus::Failed && o.weights != "f32")
    trainer->save(o.out, o.weights == "f16" ? WeightPrecision::Float16 : WeightPrecision::BFloat16);
  switch (result.status) {
    case TrainStatus::Finished:
      std::cerr << "saved " << o.out << " at step " << result.step << '\n';
      break;
    case TrainStatus::Cancelled:
      std::cerr << "stopped at step " << result.step << "; saved " << o.out << " (continue with --resume " << o.out
                << ")\n";
      throw Interrupted();
    case TrainStatus::Failed:
      throw Error(result.message);
  }
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto options = std::make_shared<TrainArguments>();
  auto* command = app.add_subcommand("train", "Train eps_theta with L_simple (eq. 14) and save a checkpoint");
  options->data.add_to(*command, /*required=*/false);
  command->add_option("--model", options->model, "Network preset")
      ->check(CLI::IsMember({"mlp", "unet-tiny", "unet-small", "unet-paper"}))
      ->capture_default_str();
  command->add_option("--steps", options->steps, "Train until this many steps in total (also when resuming)")
      ->required();
  command->add_option("--batch", options->train.batch_size, "Batch size")->capture_default_str();
  command->add_option("--lr", options->train.learning_rate, "Adam learning rate")->capture_default_str();
  command->add_option("--ema", options->train.ema_decay, "EMA decay of the weights (0: no EMA)")->capture_default_str();
  command->add_option("--warmup", options->train.warmup_steps, "Linear learning-rate warm-up steps")->capture_default_str();
  command->add_option("--grad-clip", options->train.grad_clip, "Clip the gradient norm (0: off)")->capture_default_str();
  command->add_option("--autosave-every", options->train.autosave_every, "Save every N steps (0: a tenth of the run)");
  command->add_option("--device", options->train.device, "auto, cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
      ->capture_default_str();
  command->add_option("--precision", options->train.precision,
                      "fp32 (TF32 matmuls on CUDA) or bf16 (autocast, CUDA only)")
      ->check(CLI::IsMember({"fp32", "bf16"}))
      ->capture_default_str();
  command->add_option("--seed", options->train.seed, "Seed for the weights, batches, t and noise")->capture_default_str();
  command->add_option("--resume", options->resume, "Continue the run saved in this checkpoint");
  command->add_option("--weights", options->weights, "Precision of the saved sampling weights")
      ->check(CLI::IsMember({"f32", "f16", "bf16"}))
      ->capture_default_str();
  command->add_option("--out", options->out, "Checkpoint to write (.safetensors)")->required();
  options->schedule.add_to(*command, /*steps_flag=*/"--timesteps");

  command->callback([options] { run_train(*options); });
}

}  // namespace ddpm::cli
