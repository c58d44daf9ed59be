#include "core/jobs/sample_job.h"

#include <utility>

namespace ddpm {

SampleJob::SampleJob(const CheckpointModel& model, SampleJobOptions options)
    : model_(model), options_(std::move(options)), process_(model_.reverse_process(options_.sampler)) {
  if (options_.record_trajectory)
    recorder_ = std::make_unique<TrajectoryRecorder>(process_.total_steps(), options_.trajectory);
}

SampleJob::SampleJob(const CheckpointData& checkpoint, SampleJobOptions options)
    : SampleJob(open_checkpoint_model(checkpoint, options.sampler.device), std::move(options)) {}

RunStatus SampleJob::run(const StepCallback& on_step, const std::atomic<bool>* cancel) {
  if (recorder_) recorder_->record(process_);  // x_T (a step recorded twice is ignored)
  return run_to_end(
      process_,
      [&](const ReverseProcess& p) {
        if (recorder_) recorder_->record(p);
        if (on_step) on_step(p);
      },
      cancel);
}

const std::vector<Image8>& SampleJob::frames() const {
  static const std::vector<Image8> none;
  return recorder_ ? recorder_->frames() : none;
}

}  // namespace ddpm
