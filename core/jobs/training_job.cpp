#include "core/jobs/training_job.h"

#include "core/checkpoint/checkpoint.h"
#include "core/models/denoiser.h"
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

}  // namespace

std::unique_ptr<Trainer> start_or_resume_training(const TrainingJobOptions& options) {
  if (!options.resume.empty()) return resume_training(options);
  if (options.data_spec.empty()) throw Error("a new training run needs data to train on");
  TrainOptions train = options.train;
  train.autosave_every = autosave_every(options, 0);
  train.validate();
  Dataset data = load_training_data(options, options.data_spec);
  ModelConfig model = model_preset(options.model, data.sample_shape());
  if (options.conditional) {
    require_labels(data);
    model.num_classes = data.classes();
  }
  if (options.before_new_run) options.before_new_run(data, model);
  return std::make_unique<Trainer>(std::move(data), model, options.schedule, train);
}

}  // namespace ddpm

