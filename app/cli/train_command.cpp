#include "core/checkpoint/checkpoint.h"
#include "app/cli/cli_support.h"
#include "app/cli/commands.h"
#include "app/cli/interrupt.h"
#include "app/cli/progress_line.h"
#include "core/util/error.h"
#include "core/data/dataset.h"
#include "core/distributed/launch_environment.h"
#include "core/distributed/process_group.h"
#include "core/io/atomic_file.h"
#include "core/jobs/training_job.h"
#include "core/training/trainer.h"

#include "core/io/output_guard.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

namespace ddpm::cli {

namespace {

struct TrainArguments {
  DataArguments data;
  std::string model = "mlp";
  bool conditional = false;
  std::string objective = "eps";
  std::int64_t steps = 0;
  TrainOptions train;
  ScheduleOptions schedule;
  std::string resume;
  std::string out;
  std::string weights = "f32";
  double group_timeout_seconds = 300;
};

// The data-parallel launch torchrun describes in the environment, or none. A malformed
// launch variable, or a build without c10d, is a usage error: the command cannot run as asked.
std::optional<LaunchEnvironment> launch_of_process() {
  std::optional<LaunchEnvironment> launch;
  try {
    launch = launch_environment_of_process();
  } catch (const Error& e) {
    throw UsageError(e.what());
  }
  if (launch)
    if (const std::string reason = distributed_unavailable_reason(); !reason.empty()) throw UsageError(reason);
  return launch;
}

std::string number_text(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

bool same_number(double a, double b) {
  return std::fabs(a - b) <= 1e-12 * std::max(std::fabs(a), std::fabs(b));
}

// A continuation (--resume) keeps what the checkpoint fixed: its data, network, schedule
// and run settings (lr, batch, EMA, warm-up, clipping, seed). Re-running the command that
// started the run must work, so a flag may be given when it agrees with the checkpoint; one
// that differs would be silently ignored (or, for --data, train the old weights on other
// data), so it is a usage error naming the checkpoint's value. Device, precision,
// --autosave-every, --weights and --out may change.
void check_resume_flags(const CLI::App& command, const TrainArguments& o, const CheckpointData& saved) {
  const auto refuse = [&](const std::string& flag, const std::string& given, const std::string& kept) {
    throw UsageError(flag + " " + given + " differs from the checkpoint's " + kept + ": --resume continues the run " +
                     "as it was set up; leave out " + flag + ", or start a new run (without --resume)");
  };
  const auto given = [&](const char* flag) { return command.count(flag) > 0; };
  if (given("--data")) {
    const DataSpec want = data_spec_argument(o.data.spec);
    const DataSpec have = parse_data_spec(saved.data_spec);
    const bool same = want.source == have.source &&
                      (want.path == have.path || (!want.path.empty() && same_file(want.path, have.path)));
    if (!same) refuse("--data", o.data.spec, saved.data_spec);
  }
  if (given("--model") && o.model != saved.model.preset) refuse("--model", o.model, saved.model.preset);
  if (given("--conditional") && !saved.model.conditional())
    throw UsageError("--conditional: the checkpoint's model is unconditional, and --resume continues it as it is; "
                     "start a new run for a class-conditional model");
  if (given("--objective") && o.objective != to_string(saved.model.objective))
    refuse("--objective", o.objective, to_string(saved.model.objective));
  const TrainOptions& run = saved.training;
  if (given("--loss") && o.train.loss != run.loss) refuse("--loss", o.train.loss, run.loss);
  if (given("--batch") && o.train.batch_size != run.batch_size)
    refuse("--batch", std::to_string(o.train.batch_size), std::to_string(run.batch_size));
  if (given("--seed") && o.train.seed != run.seed)
    refuse("--seed", std::to_string(o.train.seed), std::to_string(run.seed));
  const std::pair<const char*, std::pair<double, double>> numbers[] = {
      {"--lr", {o.train.learning_rate, run.learning_rate}},
      {"--ema", {o.train.ema_decay, run.ema_decay}},
      {"--warmup", {static_cast<double>(o.train.warmup_steps), static_cast<double>(run.warmup_steps)}},
      {"--grad-clip", {o.train.grad_clip, run.grad_clip}},
      {"--label-dropout", {o.train.label_dropout, run.label_dropout}}};
  for (const auto& [flag, values] : numbers)
    if (given(flag) && !same_number(values.first, values.second))
      refuse(flag, number_text(values.first), number_text(values.second));

  const ScheduleSpec& kept = saved.schedule;
  if (given("--timesteps") && o.schedule.steps != kept.timesteps())
    refuse("--timesteps", std::to_string(o.schedule.steps), std::to_string(kept.timesteps()));
  if (given("--kind") && o.schedule.kind != to_string(kept.kind)) refuse("--kind", o.schedule.kind, to_string(kept.kind));
  if (given("--beta-start") && !same_number(o.schedule.beta_start, kept.beta_start))
    refuse("--beta-start", number_text(o.schedule.beta_start), number_text(kept.beta_start));
  if (given("--beta-end") && !same_number(o.schedule.beta_end, kept.beta_end))
    refuse("--beta-end", number_text(o.schedule.beta_end), number_text(kept.beta_end));
  if (given("--cosine-s") && !same_number(o.schedule.cosine_s, kept.cosine_s))
    refuse("--cosine-s", number_text(o.schedule.cosine_s), number_text(kept.cosine_s));
  if (given("--betas-file") && o.schedule.spec().custom_betas != kept.custom_betas)
    refuse("--betas-file", o.schedule.betas_file, "schedule (" + to_string(kept.kind) + ", T = " +
                                                      std::to_string(kept.timesteps()) + ")");
}

// A new run takes the Training view's defaults for its network (core's run_defaults_for)
// where --batch, --lr or --ema is not given.
TrainArguments with_run_defaults(const CLI::App& command, TrainArguments o) {
  const RunDefaults defaults = run_defaults_for(o.model);
  if (command.count("--batch") == 0) o.train.batch_size = defaults.batch_size;
  if (command.count("--lr") == 0) o.train.learning_rate = defaults.learning_rate;
  if (command.count("--ema") == 0) o.train.ema_decay = defaults.ema_decay;
  return o;
}

// The run the flags describe: new, or the continuation of --resume (which keeps the
// checkpoint's options except device, precision, --out and autosave).
std::unique_ptr<Trainer> start_training(const TrainArguments& o, const std::optional<LaunchEnvironment>& launch) {
  TrainingJobOptions job;
  job.launch = launch;
  job.group_timeout = std::chrono::milliseconds(static_cast<std::int64_t>(o.group_timeout_seconds * 1000));
  job.resume = o.resume;
  job.data_spec = o.data.spec;
  job.load_data = [&](const std::string& spec) {
    Dataset data = o.data.load(spec);
    if (o.conditional && o.resume.empty()) {
      try {
        require_labels(data);
      } catch (const Error& e) {
        throw UsageError(std::string("--conditional: ") + e.what());
      }
    }
    return data;
  };
  job.model = o.model;
  job.conditional = o.conditional;
  job.objective = objective_from_string(o.objective);
  job.train = o.train;
  job.train.checkpoint_path = o.out;
  if (job.train.autosave_every == 0) job.train.autosave_every = std::max<std::int64_t>(1, o.steps / 10);
  job.takes = ContinuationTakes::RunSettings;  // a continuation keeps the checkpoint's lr, batch, EMA, …
  job.total_steps = o.steps;
  if (o.resume.empty()) {
    if (o.data.spec.empty()) throw UsageError("--data is required (or --resume a checkpoint)");
    try {
      job.train.validate();
    } catch (const Error& e) {
      throw UsageError(e.what());  // --batch 0, --lr 0, --ema 1.5: bad values, exit 2
    }
    const NoiseSchedule schedule = o.schedule.schedule();
    job.schedule = schedule.spec();
    job.before_new_run = [schedule](const Dataset&, const ModelConfig&) { print_warnings(schedule); };
  }
  return start_or_resume_training(job);
}

// What rank 0 of a data-parallel run says about it (the other ranks say nothing unless
// they fail), and a continuation on another number of processes than its checkpoint's.
void print_world(const Trainer& trainer, const CheckpointData* resumed) {
  const TrainOptions& run = trainer.options();
  if (const auto& group = trainer.data_parallel().group)
    std::cerr << "data parallel: " << run.world_size << " processes (" << group->backend() << "), batch "
              << run.batch_size << " per process, global batch " << run.batch_size * run.world_size << '\n';
  if (resumed != nullptr && resumed->training.world_size != run.world_size)
    std::cerr << "ddpm: note: the checkpoint was trained on " << resumed->training.world_size
              << " process(es) (global batch " << resumed->training.batch_size * resumed->training.world_size
              << "); it goes on with " << run.world_size << " (global batch " << run.batch_size * run.world_size
              << "), so it is not the run the checkpoint's processes would have continued (docs/cli.md)\n";
}

// What the run is, before its first step (rank 0 only).
void print_start(const Trainer& trainer, const TrainArguments& o, const CheckpointData* resumed) {
  if (resumed != nullptr) std::cerr << "resuming " << o.resume << " from step " << trainer.step() << '\n';
  std::cerr << "training " << trainer.ema_model()->config().preset << " (" << parameter_count(*trainer.model())
            << " parameters) on " << trainer.dataset().spec.text() << " (" << trainer.dataset().size()
            << " samples), " << trainer.diffusion().steps() << " timesteps, device " << trainer.device()
            << (trainer.device().is_cuda() ? ", precision " + trainer.options().precision : std::string()) << '\n';
  if (const auto& config = trainer.ema_model()->config(); config.conditional())
    std::cerr << "class-conditional: " << config.num_classes << " classes, each label dropped to 'none' with probability "
              << trainer.options().label_dropout << '\n';
  if (const Objective objective = trainer.ema_model()->config().objective;
      objective != Objective::Eps || trainer.options().loss != "simple")
    std::cerr << "objective: predicts " << to_string(objective) << ", loss " << trainer.options().loss
              << " (t uniform in 1..T)\n";
  print_world(trainer, resumed);
}

// Takes the steps up to --steps with a progress line (rank 0) and Ctrl-C turned into a
// cancel; a data-parallel rank 0 then says what the all-reduce cost.
TrainResult train_steps(Trainer& trainer, const TrainArguments& o, bool reports) {
  std::optional<ProgressLine> progress;
  if (reports) progress.emplace("train", o.steps, trainer.step());
  const auto& interrupted = interrupt_flag();
  char detail[64];
  double all_reduce_seconds = 0;
  std::int64_t steps_taken = 0;
  const TrainResult result = trainer.run(o.steps - trainer.step(), [&](const TrainStepReport& report) {
    std::snprintf(detail, sizeof detail, "loss %.4f", report.loss);
    if (progress) progress->update(report.step, detail);
    all_reduce_seconds += report.all_reduce_seconds;
    ++steps_taken;
    if (interrupted.load()) trainer.cancel();
  });
  if (progress) progress->finish();
  if (reports && trainer.data_parallel().group && steps_taken > 0)
    std::cerr << "data parallel: all-reduce of " << (parameter_count(*trainer.model()) + 2) * 4 / 1e6
              << " MB per step, " << 1e3 * all_reduce_seconds / static_cast<double>(steps_taken)
              << " ms on average (waiting for the slowest rank included)\n";
  return result;
}

void run_train(const CLI::App& command, const TrainArguments& o) {
  if (o.steps < 1) throw UsageError("--steps must be at least 1");
  if (extension_of(o.out) != "safetensors") throw UsageError("--out must name a .safetensors file");
  if (!(o.group_timeout_seconds >= 1)) throw UsageError("--group-timeout must be at least 1 second");
  const std::optional<LaunchEnvironment> launch = launch_of_process();
  const bool reports = !launch || launch->rank == 0;  // rank 0 speaks and saves for the run
  // --out may be --resume: the run continues that checkpoint (written atomically).
  check_outputs({{"--out", o.out}}, {{"--data", data_file_of(o.data.spec)}, {"--betas-file", o.schedule.betas_file}});
  if (reports) check_writable(o.out);  // a folder that cannot take the checkpoint fails now, not at the first autosave
  std::optional<CheckpointData> resumed;
  if (!o.resume.empty()) {
    resumed = read_checkpoint_metadata(o.resume);
    check_resume_flags(command, o, *resumed);
  }
  if (command.count("--label-dropout") > 0 && !o.conditional && o.resume.empty())
    throw UsageError("--label-dropout applies to class-conditional models: add --conditional");

  const std::unique_ptr<Trainer> trainer = start_training(o.resume.empty() ? with_run_defaults(command, o) : o, launch);
  use_threads_for(trainer->ema_model()->config(), launch ? launch->local_world_size : 1);
  if (trainer->step() >= o.steps) {
    if (reports)
      std::cerr << "ddpm: nothing to do: the checkpoint is already at step " << trainer->step() << " of " << o.steps << '\n';
    return;
  }
  if (reports) print_start(*trainer, o, resumed ? &*resumed : nullptr);
  const TrainResult result = train_steps(*trainer, o, reports);
  if (result.status != TrainStatus::Failed && o.weights != "f32" && trainer->writes_checkpoints())
    trainer->save(o.out, o.weights == "f16" ? WeightPrecision::Float16 : WeightPrecision::BFloat16);
  switch (result.status) {
    case TrainStatus::Finished:
      if (reports) std::cerr << "saved " << o.out << " at step " << result.step << '\n';
      break;
    case TrainStatus::Cancelled:
      if (reports)
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
  auto* command = app.add_subcommand(
      "train", "Train eps_theta with L_simple (eq. 14), or another objective and loss (Table 2), and save a checkpoint");
  options->data.add_to(*command, /*required=*/false);
  command->add_option("--model", options->model, "Network preset")
      ->check(CLI::IsMember({"mlp", "unet-tiny", "unet-small", "unet-paper"}))
      ->capture_default_str();
  command->add_flag("--conditional", options->conditional,
                    "Class-conditional model for classifier-free guidance: learns eps(x_t, t, c) for each label c of "
                    "the data and eps(x_t, t, none)");
  command->add_option("--label-dropout", options->train.label_dropout,
                      "With --conditional: probability that a label is replaced by 'none' in training")
      ->capture_default_str();
  command->add_option("--steps", options->steps, "Train until this many steps in total (also when resuming)")
      ->required();
  command->add_option("--objective", options->objective,
                      "What the network predicts: eps (the noise, eq. 11), mu (the posterior mean) or x0 (the data)")
      ->check(CLI::IsMember({"eps", "mu", "x0"}))
      ->capture_default_str();
  command->add_option("--loss", options->train.loss,
                      "simple (unweighted MSE on what it predicts, eq. 14) or bound (the variational bound's term at "
                      "the drawn t, eq. 5)")
      ->check(CLI::IsMember({"simple", "bound"}))
      ->capture_default_str();
  const RunDefaults mlp = run_defaults_for("mlp");
  const RunDefaults unet = run_defaults_for("unet-tiny");
  const auto by_model = [](auto for_mlp, auto for_unet) {
    std::ostringstream text;
    text << "Default: " << for_mlp << " for mlp, " << for_unet << " for the UNets";
    return text.str();
  };
  command->add_option("--batch", options->train.batch_size, "Batch size. " + by_model(mlp.batch_size, unet.batch_size));
  command->add_option("--lr", options->train.learning_rate,
                      "Adam learning rate. " + by_model(mlp.learning_rate, unet.learning_rate));
  command->add_option("--ema", options->train.ema_decay,
                      "EMA decay of the weights (0: no EMA). " + by_model(mlp.ema_decay, unet.ema_decay));
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
  command->add_option("--group-timeout", options->group_timeout_seconds,
                      "Data-parallel runs (under torchrun): seconds the processes wait for each other before one "
                      "that stopped or hangs ends the run")
      ->capture_default_str();
  options->schedule.add_to(*command, /*steps_flag=*/"--timesteps");

  command->callback([command, options] { run_train(*command, *options); });
}

}  // namespace ddpm::cli
