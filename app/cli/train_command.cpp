#include "core/checkpoint/checkpoint.h"
#include "app/cli/cli_support.h"
#include "app/cli/commands.h"
#include "app/cli/interrupt.h"
#include "app/cli/progress_line.h"
#include "core/util/error.h"
#include "core/data/dataset.h"
#include "core/io/atomic_file.h"
#include "core/training/trainer.h"

#include <cstdio>
#include <iostream>
#include <memory>

namespace ddpm::cli {

void add_train_command(CLI::App& app) {
  struct Options {
    DataArguments data;
    std::string model = "mlp";
    std::int64_t steps = 0;
    TrainOptions train;
    ScheduleOptions schedule;
    std::string resume;
    std::string out;
    std::string weights = "f32";
  };
  auto options = std::make_shared<Options>();
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

  command->callback([options] {
    auto& o = *options;
    if (o.steps < 1) throw UsageError("--steps must be at least 1");
    if (extension_of(o.out) != "safetensors") throw UsageError("--out must name a .safetensors file");
    check_writable(o.out);  // a folder that cannot take the checkpoint fails now, not at the first autosave

    std::unique_ptr<Trainer> trainer;
    TrainOptions train = o.train;
    train.checkpoint_path = o.out;
    if (train.autosave_every == 0) train.autosave_every = std::max<std::int64_t>(1, o.steps / 10);
    if (!o.resume.empty()) {
      CheckpointData checkpoint = load_checkpoint(o.resume);
      if (!checkpoint.resumable)
        throw Error("'" + o.resume + "' holds no resume data (it was saved for sampling only); train a new model instead");
      TrainOptions resumed = checkpoint.training;
      resumed.device = train.device;
      resumed.precision = train.precision;
      resumed.checkpoint_path = train.checkpoint_path;
      resumed.autosave_every = train.autosave_every;
      const std::string spec = o.data.spec.empty() ? checkpoint.data_spec : o.data.spec;
      trainer = std::make_unique<Trainer>(o.data.load(spec), checkpoint, resumed);
    } else {
      if (o.data.spec.empty()) throw UsageError("--data is required (or --resume a checkpoint)");
      train.validate();
      const NoiseSchedule schedule = o.schedule.schedule();
      Dataset data = o.data.load(o.data.spec);
      const ModelConfig model = model_preset(o.model, data.sample_shape());
      print_warnings(schedule);
      trainer = std::make_unique<Trainer>(std::move(data), model, schedule.spec(), train);
    }
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
  });
}

}  // namespace ddpm::cli
