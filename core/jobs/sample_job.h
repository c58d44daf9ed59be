#pragma once

#include "core/checkpoint/checkpoint.h"
#include "core/io/image_grid.h"
#include "core/jobs/checkpoint_model.h"
#include "core/sampling/reverse_process.h"
#include "core/sampling/run_status.h"
#include "core/sampling/trajectory.h"

#include <torch/torch.h>

#include <atomic>
#include <memory>
#include <vector>

namespace ddpm {

/// What one sampling run of a checkpoint does.
struct SampleJobOptions {
  SamplerOptions sampler;           ///< the sampler, its steps, η or variance, n, seed, device, precision
  bool record_trajectory = false;   ///< keep animation frames of the run (TrajectoryRecorder)
  TrajectoryOptions trajectory;     ///< how the frames look and how many are kept
};

/// The job "sample a checkpoint": runs its reverse process to the end (any sampler, any
/// variance), optionally recording the trajectory, and hands out the samples in the
/// normalised space or in the data's own coordinates. `ddpm sample` and `ddpm score`
/// (2D) run it; the GUI's sampling views start from its CheckpointModel.
///
/// Built in two steps so a caller can tell a checkpoint that does not load from options
/// it cannot take: open_checkpoint_model, then this constructor (which throws
/// ddpm::Error for bad sampler options).
class SampleJob {
 public:
  /// A run of `model` with `options` (options.sampler.device should be model.device).
  SampleJob(const CheckpointModel& model, SampleJobOptions options);
  /// Opens `checkpoint` on options.sampler.device first.
  SampleJob(const CheckpointData& checkpoint, SampleJobOptions options);

  /// Takes the remaining steps (run_to_end), recording frames first and then calling
  /// `on_step` after each. Returns Cancelled, leaving the run at its last completed step,
  /// when `cancel` is set before a step; calling again continues it.
  RunStatus run(const StepCallback& on_step = {}, const std::atomic<bool>* cancel = nullptr);

  /// The reverse process, as the run stands.
  const ReverseProcess& process() const { return process_; }
  /// The current samples in the normalised space (x_0 once done; images in [−1, 1]).
  const torch::Tensor& samples() const { return process_.sample(); }
  /// The current samples in the data's own coordinates (float64, CPU).
  torch::Tensor samples_in_data_coordinates() const { return model_.to_data_coordinates(process_.sample()); }
  /// The trajectory frames recorded so far (none unless options.record_trajectory).
  const std::vector<Image8>& frames() const;

 private:
  CheckpointModel model_;
  SampleJobOptions options_;
  ReverseProcess process_;
  std::unique_ptr<TrajectoryRecorder> recorder_;
};

}  // namespace ddpm
