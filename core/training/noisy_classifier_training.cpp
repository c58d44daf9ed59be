#include "core/training/noisy_classifier_training.h"

#include "core/runtime/random.h"
#include "core/util/error.h"

#include <algorithm>
#include <cmath>

namespace ddpm {

NoisyClassifier make_noisy_classifier(const NoisyClassifierOptions& shape, const ClassifierTrainOptions& options) {
  torch::manual_seed(options.seed);
  NoisyClassifier model(shape);
  model->to(options.device);
  return model;
}

ClassifierTrainResult train_noisy_classifier(NoisyClassifierImpl& model, const GaussianDiffusion& diffusion,
                                             const torch::Tensor& x0, const torch::Tensor& labels,
                                             const ClassifierTrainOptions& options,
                                             const std::function<void(const ClassifierStepReport&)>& on_step,
                                             const std::atomic<bool>* cancel) {
  const std::int64_t T = diffusion.steps();
  const auto noisy_logits = [&](const torch::Tensor& x, at::Generator& generator) {
    const torch::Tensor t = torch::randint(0, T, {x.size(0)}, generator, torch::kLong).to(x.device());
    const torch::Tensor noise = randn(x.sizes(), generator, x.device());
    return model.forward(diffusion.q_sample(x, t, noise), t);
  };
  return train_cross_entropy(model, noisy_logits, x0, labels, model.options().classes, options, on_step, cancel);
}

double noisy_classifier_accuracy(NoisyClassifierImpl& model, const GaussianDiffusion& diffusion, const torch::Tensor& x0,
                                 const torch::Tensor& labels, std::int64_t t, std::uint64_t seed,
                                 std::int64_t batch_size) {
  if (t < 0 || t >= diffusion.steps())
    throw Error("the timestep must be in 0.." + std::to_string(diffusion.steps() - 1) + ", not " + std::to_string(t));
  if (batch_size < 1) throw Error("the batch size must be at least 1");
  if (!x0.defined() || x0.size(0) < 1 || !labels.defined() || labels.size(0) != x0.size(0))
    throw Error("the accuracy needs one label per sample");
  torch::NoGradGuard no_grad;
  model.eval();
  const torch::Device device = diffusion.device();
  auto generator = make_generator(seed);
  std::int64_t correct = 0;
  for (std::int64_t begin = 0; begin < x0.size(0); begin += batch_size) {
    const std::int64_t size = std::min(batch_size, x0.size(0) - begin);
    const torch::Tensor x = x0.narrow(0, begin, size).to(device, torch::kFloat32);
    const torch::Tensor noise = randn(x.sizes(), generator, device);
    const torch::Tensor time = timesteps(t, size, device);
    const torch::Tensor predicted = model.forward(diffusion.q_sample(x, time, noise), time).argmax(1).to(torch::kCPU);
    correct += predicted.eq(labels.narrow(0, begin, size).to(torch::kCPU)).sum().item<std::int64_t>();
  }
  return static_cast<double>(correct) / static_cast<double>(x0.size(0));
}

std::vector<std::int64_t> accuracy_timesteps(std::int64_t T) {
  std::vector<std::int64_t> ts;
  for (int k = 0; k <= 10; ++k) {
    const auto t = std::min<std::int64_t>(T - 1, std::llround(static_cast<double>(k) * static_cast<double>(T) / 10.0));
    if (ts.empty() || t != ts.back()) ts.push_back(t);
  }
  return ts;
}

}  // namespace ddpm
