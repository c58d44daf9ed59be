#include "core/training/classifier_training.h"

#include "core/runtime/random.h"
#include "core/util/error.h"

#include <cmath>
#include <string>

namespace ddpm {
namespace {

void check_data(const torch::Tensor& images, const torch::Tensor& labels) {
  if (!images.defined() || images.dim() != 4 || images.size(0) < 1)
    throw Error("classifier data must be images shaped [N, 1, 28, 28]");
  if (!labels.defined() || labels.dim() != 1 || labels.size(0) != images.size(0))
    throw Error("classifier data needs one label per image");
  if (labels.scalar_type() != torch::kLong) throw Error("classifier labels must be int64 class indices");
}

}  // namespace

void ClassifierTrainOptions::validate() const {
  if (epochs < 1 || epochs > 1000) throw Error("the classifier's epochs must be in 1..1000");
  if (batch_size < 1 || batch_size > 65536) throw Error("the classifier's batch size must be in 1..65536");
  if (!(learning_rate > 0) || !std::isfinite(learning_rate))
    throw Error("the classifier's learning rate must be a positive number");
}

FmnistClassifier make_classifier(const FmnistClassifierOptions& shape, const ClassifierTrainOptions& options) {
  torch::manual_seed(options.seed);
  FmnistClassifier model(shape);
  model->to(options.device);
  return model;
}

ClassifierTrainResult train_cross_entropy(torch::nn::Module& model, const BatchLogits& logits, const torch::Tensor& x,
                                          const torch::Tensor& labels, std::int64_t classes,
                                          const ClassifierTrainOptions& options,
                                          const std::function<void(const ClassifierStepReport&)>& on_step,
                                          const std::atomic<bool>* cancel) {
  options.validate();
  if (!x.defined() || x.dim() < 2 || x.size(0) < 1) throw Error("classifier data must hold at least one sample");
  if (!labels.defined() || labels.dim() != 1 || labels.size(0) != x.size(0))
    throw Error("classifier data needs one label per sample");
  if (labels.scalar_type() != torch::kLong) throw Error("classifier labels must be int64 class indices");
  if (labels.min().item<std::int64_t>() < 0 || labels.max().item<std::int64_t>() >= classes)
    throw Error("classifier labels must lie in 0.." + std::to_string(classes - 1));

  const std::int64_t n = x.size(0);
  const std::int64_t per_epoch = (n + options.batch_size - 1) / options.batch_size;
  const torch::Device device = options.device;
  model.to(device);
  torch::optim::Adam optimizer(model.parameters(), torch::optim::AdamOptions(options.learning_rate));

  ClassifierTrainResult result;
  ClassifierStepReport report;
  report.total_steps = options.epochs * per_epoch;
  for (std::int64_t epoch = 0; epoch < options.epochs; ++epoch) {
    model.train();
    auto generator = make_generator(options.seed + static_cast<std::uint64_t>(epoch));
    const torch::Tensor order = torch::randperm(n, generator, torch::kLong);
    double epoch_loss = 0;
    for (std::int64_t b = 0; b < per_epoch; ++b) {
      if (cancel && cancel->load()) {
        result.status = RunStatus::Cancelled;
        model.eval();
        return result;
      }
      const std::int64_t begin = b * options.batch_size;
      const torch::Tensor index = order.narrow(0, begin, std::min(options.batch_size, n - begin));
      const torch::Tensor batch = x.index_select(0, index).to(device, torch::kFloat32);
      const torch::Tensor y = labels.index_select(0, index).to(device);
      optimizer.zero_grad();
      const torch::Tensor loss = torch::nn::functional::cross_entropy(logits(batch, generator), y);
      loss.backward();
      optimizer.step();
      report.epoch = epoch;
      report.step += 1;
      report.loss = loss.item<double>();
      if (!std::isfinite(report.loss)) throw Error("classifier training diverged (the loss is not finite)");
      epoch_loss += report.loss * static_cast<double>(index.size(0));
      if (on_step) on_step(report);
    }
    result.epoch_losses.push_back(epoch_loss / static_cast<double>(n));
  }
  model.eval();
  return result;
}

ClassifierTrainResult train_classifier(FmnistClassifierImpl& model, const torch::Tensor& images,
                                       const torch::Tensor& labels, const ClassifierTrainOptions& options,
                                       const std::function<void(const ClassifierStepReport&)>& on_step,
                                       const std::atomic<bool>* cancel) {
  check_data(images, labels);
  return train_cross_entropy(
      model, [&](const torch::Tensor& x, at::Generator&) { return model.forward(x); }, images, labels,
      model.options().classes(), options, on_step, cancel);
}

double classifier_accuracy(FmnistClassifierImpl& model, const torch::Tensor& images, const torch::Tensor& labels,
                           std::int64_t batch_size) {
  check_data(images, labels);
  const torch::Tensor predicted = classifier_predictions(model, images, batch_size);
  return predicted.eq(labels.to(torch::kCPU)).to(torch::kFloat64).mean().item<double>();
}

}  // namespace ddpm
