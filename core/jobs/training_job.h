#pragma once

#include "core/data/dataset.h"
#include "core/distributed/launch_environment.h"
#include "core/models/denoiser.h"
#include "core/schedule/noise_schedule.h"
#include "core/training/train_options.h"
#include "core/training/trainer.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace ddpm {

/// Which of the caller's TrainOptions a continuation takes; the rest come from the
/// checkpoint (seed, warm-up, clipping, …), which keeps the continuation exact.
enum class ContinuationTakes {
  RunSettings,          ///< device, precision, checkpoint path, autosave (`ddpm train --resume`)
  RunAndOptimiser,      ///< those, and learning rate, batch size and EMA decay (the GUI's form)
};

/// What a training run starts from.
struct TrainingJobOptions {
  std::string resume;          ///< checkpoint to continue; empty: a new run
  std::string data_spec;       ///< the data SPEC; a continuation may leave it empty (the checkpoint's)
  DataOptions data;            ///< how to load it (training split)
  /// Loads the training data of a SPEC instead of load_dataset(spec, data) when set (the
  /// CLI's, which reports a malformed SPEC as a usage error).
  std::function<Dataset(const std::string& spec)> load_data;
  /// New run: called once the data are loaded and the model chosen, just before the
  /// Trainer is built (the CLI prints the schedule's warnings there).
  std::function<void(const Dataset& data, const ModelConfig& model)> before_new_run;
  std::string model = "mlp";   ///< new run: the network preset (model_preset)
  bool conditional = false;    ///< new run: a class-conditional network, one class per label of the data
  Objective objective = Objective::Eps;  ///< new run: what the network predicts (ε, μ̃ or x_0)
  ScheduleSpec schedule;       ///< new run: the noise schedule
  TrainOptions train;          ///< new run: all of them; a continuation: as `takes` says
  ContinuationTakes takes = ContinuationTakes::RunSettings;
  std::int64_t total_steps = 0;  ///< the step the run trains up to: with a checkpoint path, train.autosave_every
                                 ///< 0 means a tenth of the steps left (at least 1)
  std::string fresh_start_advice = "train a new model instead";  ///< ends the sentence refusing a sampling-only checkpoint
  /// Set: this process is one rank of a data-parallel run (launch_environment()); the job
  /// joins the others before it loads anything and trains its rank's shard of each batch.
  std::optional<LaunchEnvironment> launch;
  /// How long the processes wait for each other: at the rendezvous, and in each step's
  /// all-reduce before they give up on one that stopped or hangs.
  std::chrono::milliseconds group_timeout = std::chrono::minutes(5);
};

/// The device a launched rank trains on: `choice` ("auto", "cpu", "cuda") as it resolves
/// here, and on CUDA the GPU LOCAL_RANK ("cuda:1" for local rank 1), as torchrun intends.
std::string device_for_rank(const std::string& choice, const LaunchEnvironment& env);

/// The job "start or resume training": builds the Trainer for a new run (data, preset
/// model, schedule, options validated) or for the continuation of the run saved in
/// options.resume (its model, schedule, step and optimiser state; the data are the
/// checkpoint's unless data_spec names others). The caller then runs it (Trainer::run)
/// and reports its steps: `ddpm train` with a progress line, the GUI's training worker
/// with plots. Throws ddpm::Error for a checkpoint that holds no resume data ("'…' holds
/// no resume data (it was saved for sampling only); " + fresh_start_advice), a new run
/// without data, invalid options or data that do not load. With options.launch it first
/// joins the run's process group (ProcessGroup::join, on the rank's device) and then makes
/// the Trainer that rank (Trainer::set_data_parallel); a continuation may have another
/// world size than the run it continues.
std::unique_ptr<Trainer> start_or_resume_training(const TrainingJobOptions& options);

}  // namespace ddpm
