#include "core/jobs/noisy_classifier_job.h"

#include "core/diffusion/gaussian_diffusion.h"
#include "core/jobs/test_data.h"
#include "core/training/noisy_classifier_training.h"
#include "core/util/error.h"

namespace ddpm {

namespace {

// The labelled split `split` of the job's data, in the model's coordinates.
TestData labelled_data(const CheckpointData& model, const NoisyClassifierJobOptions& options, Split split) {
  DataOptions loading = options.data;
  loading.split = split;
  if (split == Split::Test) loading.limit = 0;  // the accuracy is always on the whole test split
  TestData data = data_for(model, options.data_spec, loading);
  if (!data.labels.defined() || data.class_names.size() < 2)
    throw Error("the data " + data.spec +
                " have no class labels; a classifier needs labelled data (fashion-mnist, gaussians8, moons, circles, "
                "or a CSV file with a label column)");
  return data;
}

// What the file says besides the weights: the space the classifier reads and its history.
NoisyClassifierInfo describe(const CheckpointData& model, const NoisyClassifierJobOptions& options,
                             const NoisyClassifierOptions& shape, const TestData& train) {
  NoisyClassifierInfo info;
  info.shape = shape;
  info.class_names = train.class_names;
  info.schedule = schedule_json_text(model.schedule);
  info.normalisation = model.normalisation;
  info.data = train.spec;
  info.trained_for = options.trained_for;
  info.epochs = options.training.epochs;
  info.seed = options.training.seed;
  info.train_samples = train.x.size(0);
  return info;
}

}  // namespace

NoisyClassifierJobResult train_noisy_classifier_for(const CheckpointData& model, const NoisyClassifierJobOptions& options,
                                                    const std::function<void(const NoisyClassifierProgress&)>& progress,
                                                    const std::atomic<bool>* cancel) {
  const TestData train = labelled_data(model, options, Split::Train);
  const TestData test = labelled_data(model, options, Split::Test);
  NoisyClassifierOptions shape;
  shape.sample_shape = model.sample_shape;
  shape.classes = static_cast<std::int64_t>(train.class_names.size());
  shape.width = options.width > 0 ? options.width : (train.images ? 32 : 64);
  const GaussianDiffusion diffusion(NoiseSchedule(model.schedule), options.training.device);

  NoisyClassifierJobResult result;
  result.info = describe(model, options, shape, train);
  result.model = make_noisy_classifier(shape, options.training);
  NoisyClassifierProgress report;
  const auto report_step = [&](const ClassifierStepReport& step) {
    report.step = step;
    if (progress) progress(report);
  };
  result.training = train_noisy_classifier(*result.model, diffusion, train.x, train.labels, options.training,
                                           report_step, cancel);
  const auto ts = accuracy_timesteps(diffusion.steps());
  report.accuracy_total = static_cast<std::int64_t>(ts.size());
  if (result.training.status != RunStatus::Cancelled && progress) progress(report);  // trained, no accuracy yet
  for (const auto t : ts) {
    if (result.training.status == RunStatus::Cancelled || (cancel && cancel->load())) {
      result.status = RunStatus::Cancelled;
      return result;
    }
    result.info.accuracy_by_t.emplace_back(
        t, noisy_classifier_accuracy(*result.model, diffusion, test.x, test.labels, t, options.accuracy_seed));
    ++report.accuracy_done;
    if (progress) progress(report);
  }
  result.model->to(torch::kCPU);
  return result;
}

ClassifierGuidance classifier_guidance_of(const LoadedNoisyClassifier& classifier, std::int64_t class_label,
                                          double scale, torch::Device device) {
  NoisyClassifier model = classifier.model;  // a handle to the same network
  model->to(device);
  ClassifierGuidance guidance;
  guidance.logits = noisy_logits(model);
  guidance.classes = classifier.info.shape.classes;
  guidance.class_label = class_label;
  guidance.scale = scale;
  return guidance;
}

}  // namespace ddpm
