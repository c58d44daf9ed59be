#include "core/models/fmnist_classifier.h"

#include "core/util/error.h"
#include "core/util/shape_text.h"

#include <string>

namespace ddpm {
namespace {

constexpr std::int64_t kPooledSide = 3;  // 28 → 14 → 7 → 3 after three 2×2 max-pools (floor)

torch::nn::Conv2d conv3x3(std::int64_t in, std::int64_t out) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1));
}

// Runs `body` over `images` in eval mode, batch by batch, without gradients; concatenates on the CPU.
template <typename Body>
torch::Tensor batched(FmnistClassifierImpl& model, const torch::Tensor& images, std::int64_t batch_size, Body body) {
  if (batch_size < 1) throw Error("the classifier's batch size must be at least 1");
  if (!images.defined() || images.dim() != 4 || images.size(0) < 1)
    throw Error("the classifier takes images shaped [N, 1, 28, 28]");
  torch::NoGradGuard no_grad;
  model.eval();
  const torch::Device device = model.parameters().front().device();
  std::vector<torch::Tensor> parts;
  for (std::int64_t begin = 0; begin < images.size(0); begin += batch_size) {
    const std::int64_t size = std::min(batch_size, images.size(0) - begin);
    const torch::Tensor batch = images.narrow(0, begin, size).to(device, torch::kFloat32);
    parts.push_back(body(batch).to(torch::kCPU));
  }
  return torch::cat(parts, 0);
}

}  // namespace

void validate_classifier_options(const FmnistClassifierOptions& o) {
  for (const auto& [name, value] : {std::pair<const char*, std::int64_t>{"channels1", o.channels1()},
                                    {"channels2", o.channels2()},
                                    {"channels3", o.channels3()},
                                    {"feature_dim", o.feature_dim()},
                                    {"classes", o.classes()}})
    if (value < 1 || value > 4096)
      throw Error(std::string("the classifier's ") + name + " must be in 1..4096, not " + std::to_string(value));
  if (o.classes() < 2) throw Error("the classifier needs at least 2 classes");
}

FmnistClassifierImpl::FmnistClassifierImpl(const FmnistClassifierOptions& options) : options_(options) {
  validate_classifier_options(options);
  conv1_ = register_module("conv1", conv3x3(1, options.channels1()));
  conv2_ = register_module("conv2", conv3x3(options.channels1(), options.channels2()));
  conv3_ = register_module("conv3", conv3x3(options.channels2(), options.channels3()));
  feature_ = register_module(
      "feature", torch::nn::Linear(options.channels3() * kPooledSide * kPooledSide, options.feature_dim()));
  head_ = register_module("head", torch::nn::Linear(options.feature_dim(), options.classes()));
}

torch::Tensor FmnistClassifierImpl::features(const torch::Tensor& images) {
  if (!images.defined() || images.dim() != 4 || images.size(0) < 1 || images.size(1) != 1 ||
      images.size(2) != kClassifierImageSize || images.size(3) != kClassifierImageSize)
    throw Error("the Fashion-MNIST classifier takes images shaped [B, 1, 28, 28], not " +
                (images.defined() ? shape_text(images.sizes()) : std::string("an empty tensor")));
  if (!images.is_floating_point()) throw Error("the Fashion-MNIST classifier takes floating-point images in [-1, 1]");
  auto h = torch::max_pool2d(torch::relu(conv1_(images)), 2);
  h = torch::max_pool2d(torch::relu(conv2_(h)), 2);
  h = torch::max_pool2d(torch::relu(conv3_(h)), 2);
  return torch::relu(feature_(h.flatten(1)));
}

torch::Tensor FmnistClassifierImpl::forward(const torch::Tensor& images) {
  return head_(features(images));
}

torch::Tensor FmnistClassifierImpl::logits_from_features(const torch::Tensor& features) {
  return head_(features);
}

torch::Tensor classifier_features(FmnistClassifierImpl& model, const torch::Tensor& images, std::int64_t batch_size) {
  return batched(model, images, batch_size, [&](const torch::Tensor& b) { return model.features(b); });
}

torch::Tensor classifier_predictions(FmnistClassifierImpl& model, const torch::Tensor& images,
                                     std::int64_t batch_size) {
  return batched(model, images, batch_size, [&](const torch::Tensor& b) { return model.forward(b).argmax(1); });
}

}  // namespace ddpm
