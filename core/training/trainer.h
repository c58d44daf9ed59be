#pragma once

#include "core/checkpoint/checkpoint.h"
#include "core/data/dataset.h"
#include "core/diffusion/gaussian_diffusion.h"
#include "core/distributed/process_group.h"
#include "core/models/denoiser.h"
#include "core/training/ema.h"
#include "core/training/fused_adam.h"
#include "core/training/train_options.h"
#include "core/training/training_batch.h"

#include <torch/torch.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace ddpm {

/// How one process takes part in a data-parallel run (docs/math.md, "Data-parallel
/// training"). The global batch is world_size shards of options.batch_size rows; shard k
/// is drawn from shard_stream_seed(seed, k, step).
struct DataParallelPlan {
  std::int64_t world_size = 1;       ///< shards in the global batch (the processes of the run)
  std::vector<std::int64_t> shards;  ///< the shards this process computes (its rank; all of them to repeat a run alone)
  std::shared_ptr<ProcessGroup> group;  ///< the other processes; null when this process computes every shard
};

/// What one training step did, as plain values (safe to copy across threads).
struct TrainStepReport {
  std::int64_t step = 0;                 ///< steps done after this one (1 after the first)
  double loss = 0;                       ///< L_simple of the batch (eq. 14)
  double learning_rate = 0;              ///< lr used for this step (after warm-up)
  std::vector<std::int64_t> t;           ///< the batch's code timesteps (paper t − 1)
  std::vector<double> per_sample_loss;   ///< ‖ε − ε_θ‖² / dim, one per batch row
  double steps_per_second = 0;           ///< over the last few steps, pauses excluded
  double all_reduce_seconds = 0;         ///< data parallel: this step's all-reduce, waiting for the other ranks included
};

/// How a call to Trainer::run ended.
enum class TrainStatus { Finished, Cancelled, Failed };

/// The outcome of Trainer::run: status, a sentence for the user, the step reached.
struct TrainResult {
  TrainStatus status = TrainStatus::Finished;
  std::string message;
  std::int64_t step = 0;
};

/// Trains ε_θ with L_simple (Ho et al. 2020, eq. 14, Algorithm 1): each step draws a
/// batch x_0 from the data set, t ~ U{0..T−1} and ε ~ N(0, I), all from one seeded
/// CPU generator, and takes an Adam step on mean ‖ε − ε_θ(√ᾱ_t x_0 + √(1 − ᾱ_t) ε, t)‖²
/// (linear lr warm-up, gradient-norm clipping), then updates the EMA copy. A
/// class-conditional model (ModelConfig::num_classes) also takes each x_0's label, dropped
/// to ∅ with probability options.label_dropout (drop_labels); its data must have as many
/// classes as the model.
///
/// It owns the online model, its EMA copy, the optimiser, the diffusion and the data.
/// run() executes on the calling thread; set_paused() and cancel() may be called from
/// any thread and take effect between steps. Every other member is for the thread
/// that calls run(), while it is not running. Saving writes one complete checkpoint
/// (atomically): EMA weights for sampling plus resume data, so a run continued from
/// it reproduces the uninterrupted run exactly on the CPU.
class Trainer {
 public:
  using StepCallback = std::function<void(const TrainStepReport&)>;

  /// A new run: a model from `model` whose initial weights come from torch's global
  /// generator, seeded here with options.seed (so one seed gives one run). Throws
  /// ddpm::Error for invalid options or a data set whose samples do not fit the model.
  Trainer(Dataset data, const ModelConfig& model, const ScheduleSpec& schedule, TrainOptions options);

  /// Continues the run saved in `checkpoint` (model, schedule, step, EMA, and, when the
  /// file has resume data, online weights, Adam state and generator state). `options`
  /// is used as given: pass checkpoint.training with device and paths set for an exact
  /// continuation. Without resume data, training restarts the optimiser from the EMA weights.
  Trainer(Dataset data, const CheckpointData& checkpoint, TrainOptions options);

  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;
  /// Cancels (run() must have returned, or be returning, on its own thread).
  ~Trainer();

  /// Takes `steps` more steps, calling `on_step` after each. Autosaves every
  /// options.autosave_every steps and saves at the end (also when cancelled) when a
  /// checkpoint path is set. A NaN or infinite loss stops with Failed, never saving
  /// those weights (the last good checkpoint stays as it is); the trainer then refuses
  /// further runs. Other errors (e.g. a failed save) also return Failed.
  TrainResult run(std::int64_t steps, const StepCallback& on_step = {});

  /// Makes this trainer one process of a data-parallel run, before run(): each step draws
  /// the plan's shards, and with a group the gradients (and the loss, and any request to
  /// stop) are averaged over the processes by one all-reduce of a flat buffer before
  /// clipping, so the clipped norm is the global one. The group's rank 0 broadcasts its
  /// weights first, and only it updates the EMA and saves. A stop (cancel() on any
  /// process) takes effect on all of them after the same step; a process that stops or
  /// hangs makes run() return Failed on the others within the group's timeout, rank 0
  /// saving the last complete step. Pausing is not available then. Throws ddpm::Error
  /// for an inconsistent plan, PeerFailure when the broadcast fails.
  void set_data_parallel(DataParallelPlan plan);
  /// False on a data-parallel run's ranks other than 0: they neither save nor keep the EMA.
  bool writes_checkpoints() const;
  /// The data-parallel plan in force (world size 1, no shards, no group: a run on its own).
  const DataParallelPlan& data_parallel() const { return plan_; }

  /// Pauses (true) or continues (false) between steps; a paused run sleeps on a
  /// condition variable until continued or cancelled.
  void set_paused(bool paused);
  /// True between set_paused(true) and set_paused(false).
  bool paused() const { return paused_.load(); }
  /// Asks run() to stop before its next step (also while paused); consumed when run()
  /// returns Cancelled, which also clears the pause.
  void cancel();

  /// The whole state as checkpoint data (EMA weights, resume data when enabled).
  CheckpointData checkpoint_data() const;
  /// Writes checkpoint_data() to `path` atomically, the sampling weights in `precision`
  /// (resume data stays float32). Throws ddpm::Error.
  void save(const std::string& path, WeightPrecision precision = WeightPrecision::Float32) const;

  /// Training steps done so far (continues from the checkpoint's step when resumed).
  std::int64_t step() const { return step_; }
  Denoiser model() const { return model_; }          ///< online weights (train mode)
  Denoiser ema_model() const { return ema_model_; }  ///< EMA weights, the ones to sample with (eval mode)
  /// The forward process q the loss is built on.
  const GaussianDiffusion& diffusion() const { return diffusion_; }
  /// The training data (normalised).
  const Dataset& dataset() const { return data_; }
  /// The options in force (validated).
  const TrainOptions& options() const { return options_; }
  /// Where the model, the data and the optimiser state live.
  torch::Device device() const { return device_; }
  /// The learning rate for step index `step` (0-based): linear warm-up, then constant.
  double learning_rate_at(std::int64_t step) const;

 private:
  void check_data_fits() const;
  void build_optimizer();
  bool wait_while_paused();
  TrainStepReport train_step();
  BatchSource batch_source() const;
  TrainingBatch draw_batch();
  double average_over_processes(const torch::Tensor& loss, double& seconds);
  bool weights_finite() const;
  double recent_steps_per_second(double step_seconds);
  std::string keep_after_peer_failure(std::string message, bool saving);
  bool run_checkpoint_current() const;
  void save_to_run_checkpoint();
  std::string last_good_text() const;
  void restore_adam_state(const ResumeState& resume);
  void export_adam_state(ResumeState& resume) const;

  TrainOptions options_;
  torch::Device device_;
  Dataset data_;
  torch::Tensor data_x_;  // data_.x on device_
  torch::Tensor data_labels_;  // data_.labels on device_, conditional models only
  GaussianDiffusion diffusion_;
  Denoiser model_;
  Denoiser ema_model_;
  std::unique_ptr<Ema> ema_;
  std::unique_ptr<torch::optim::Adam> optimizer_;
  std::unique_ptr<FusedAdam> fused_adam_;  // the one-kernel Adam step, where the device has it (CUDA)
  mutable at::Generator generator_;  // the single-process stream; mutable: reading its state needs its mutex
  DataParallelPlan plan_;
  bool stop_agreed_ = false;  // data parallel: a process asked to stop, so all stop after this step
  std::int64_t step_ = 0;

  std::string last_saved_path_;
  std::int64_t last_saved_step_ = -1;
  bool broken_ = false;
  std::string broken_message_;
  std::deque<double> recent_step_seconds_;

  std::atomic<bool> paused_{false};
  std::atomic<bool> cancel_requested_{false};
  std::mutex pause_mutex_;
  std::condition_variable pause_changed_;
};

}  // namespace ddpm
