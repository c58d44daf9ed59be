#include "core/jobs/training_job.h"

#include "core/checkpoint/checkpoint.h"
#include "core/distributed/process_group.h"
#include "core/models/denoiser.h"
#include "core/runtime/device.h"
#include "core/util/error.h"

#include <algorithm>
#include <utility>

namespace ddpm {

namespace {

std::int64_t autosave_every(const TrainingJobOptions& options, std::int64_t first_step) {
  if (options.train.autosave_every > 0 || options.train.checkpoint_path.empty()) return options.train.autosave_every;
  return std::max<std::int64_t>(1, (options.total_steps - first_step) / 10);
}

Dataset load_training_data(const TrainingJobOptions& options, const std::string& spec) {
  if (options.load_data) return options.load_data(spec);
  DataOptions loading = options.data;
  loading.split = Split::Train;
  return load_dataset(spec, loading);
}

std::unique_ptr<Trainer> resume_training(const TrainingJobOptions& options) {
  CheckpointData checkpoint = load_checkpoint(options.resume);
  if (!checkpoint.resumable)
    throw Error("'" + options.resume + "' holds no resume data (it was saved for sampling only); " +
                options.fresh_start_advice);
  TrainOptions resumed = checkpoint.training;
  if (options.takes == ContinuationTakes::RunAndOptimiser) {
    resumed.learning_rate = options.train.learning_rate;
    resumed.batch_size = options.train.batch_size;
    resumed.ema_decay = options.train.ema_decay;
  }
  resumed.device = options.train.device;
  resumed.precision = options.train.precision;
  resumed.checkpoint_path = options.train.checkpoint_path;
  resumed.autosave_every = autosave_every(options, checkpoint.step);
  const std::string spec = options.data_spec.empty() ? checkpoint.data_spec : options.data_spec;
  return std::make_unique<Trainer>(load_training_data(options, spec), checkpoint, resumed);
}

std::unique_ptr<Trainer> build_trainer(const TrainingJobOptions& options) {
  if (!options.resume.empty()) return resume_training(options);
  if (options.data_spec.empty()) throw Error("a new training run needs data to train on");
  TrainOptions train = options.train;
  train.autosave_every = autosave_every(options, 0);
  train.validate();
  Dataset data = load_training_data(options, options.data_spec);
  ModelConfig model = model_preset(options.model, data.sample_shape());
  model.objective = options.objective;
  if (options.conditional) {
    require_labels(data);
    model.num_classes = data.classes();
  }
  if (options.before_new_run) options.before_new_run(data, model);
  return std::make_unique<Trainer>(std::move(data), model, options.schedule, train);
}

}  // namespace

std::string device_for_rank(const std::string& choice, const LaunchEnvironment& env) {
  if (!resolve_device(choice).is_cuda()) return "cpu";
  return "cuda:" + std::to_string(env.local_rank);
}

std::unique_ptr<Trainer> start_or_resume_training(const TrainingJobOptions& options) {
  if (!options.launch) return build_trainer(options);
  const LaunchEnvironment& env = *options.launch;
  TrainingJobOptions rank = options;
  rank.train.device = device_for_rank(options.train.device, env);
  std::shared_ptr<ProcessGroup> group = ProcessGroup::join(env, resolve_device(rank.train.device), options.group_timeout);
  std::unique_ptr<Trainer> trainer = build_trainer(rank);
  DataParallelPlan plan;
  plan.world_size = env.world_size;
  plan.shards = {env.rank};
  plan.group = std::move(group);
  trainer->set_data_parallel(std::move(plan));
  return trainer;
}

}  // namespace ddpm

