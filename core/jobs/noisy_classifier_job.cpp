#include "core/jobs/noisy_classifier_job.h"

#include "core/diffusion/gaussian_diffusion.h"
#include "core/jobs/test_data.h"
#include "core/training/noisy_classifier_training.h"
#include "core/util/error.h"

namespace ddpm {

NoisyClassifierJobResult train_noisy_classifier_for(const CheckpointData& model, const NoisyClassifierJobOptions& options,
                                                    const std::function<void(const NoisyClassifierProgress&)>& progress,
                                                    const std::atomic<bool>* cancel) {
  DataOptions loading = options.data;
  loading.split = Split::Train;
  const TestData train = data_for(model, options.data_spec, loading);
  if (!train.labels.defined() || train.class_names.size() < 2)
    throw Error("the data " + train.spec +
                " have no class labels; a classifier needs labelled data (fashion-mnist, gaussians8, moons, circles, "
                "or a CSV file with a label column)");
  loading.split = Split::Test;
  loading.limit = 0;
  const TestData test = data_for(model, options.data_spec, loading);

  NoisyClassifierOptions shape;
  shape.sample_shape = model.sample_shape;
  shape.classes = static_cast<std::int64_t>(train.class_names.size());
  shape.width = options.width > 0 ? options.width : (train.images ? 32 : 64);
  const GaussianDiffusion diffusion(NoiseSchedule(model.schedule), options.training.device);

  NoisyClassifierJobResult result;
  result.model = make_noisy_classifier(shape, options.training);
  NoisyClassifierProgress report;
  result.training = train_noisy_classifier(
      *result.model, diffusion, train.x, train.labels, options.training,
      [&](const ClassifierStepReport& step) {
        report.step = step;
        if (progress) progress(report);
      },
      cancel);
  if (result.training.status == RunStatus::Cancelled) {
    result.status = RunStatus::Cancelled;
    return result;
  }

  NoisyClassifierInfo& info = result.info;
  const auto ts = accuracy_timesteps(diffusion.steps());
  report.accuracy_total = static_cast<std::int64_t>(ts.size());
  if (progress) progress(report);  // training done, no accuracy yet
  for (const auto t : ts) {
    if (cancel && cancel->load()) {
      result.status = RunStatus::Cancelled;
      return result;
    }
    info.accuracy_by_t.emplace_back(
        t, noisy_classifier_accuracy(*result.model, diffusion, test.x, test.labels, t, options.accuracy_seed));
    ++report.accuracy_done;
    if (progress) progress(report);
  }
  result.model->to(torch::kCPU);
  info.shape = shape;
  info.class_names = train.class_names;
  info.schedule = schedule_json_text(model.schedule);
  info.normalisation = model.normalisation;
  info.data = train.spec;
  info.trained_for = options.trained_for;
  info.epochs = options.training.epochs;
  info.seed = options.training.seed;
  info.train_samples = train.x.size(0);
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
