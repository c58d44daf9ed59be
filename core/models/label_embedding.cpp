#include "core/models/label_embedding.h"

#include "core/util/error.h"

#include <string>

namespace ddpm {

LabelEmbeddingImpl::LabelEmbeddingImpl(std::int64_t classes, std::int64_t dim) : classes_(classes) {
  table_ = register_module("table", torch::nn::Embedding(classes + 1, dim));
  torch::NoGradGuard no_grad;
  table_->weight.zero_();
}

torch::Tensor LabelEmbeddingImpl::forward(const torch::Tensor& temb, const torch::Tensor& labels) {
  const auto batch = temb.size(0);
  if (!labels.defined())
    return temb + table_->weight[classes_].unsqueeze(0);  // ∅ for every row
  if (labels.dim() != 1 || labels.size(0) != batch)
    throw Error("the model expects one class label per batch row (" + std::to_string(batch) + ")");
  if (labels.scalar_type() != torch::kLong) throw Error("class labels must be int64");
  const auto low = labels.min().item<std::int64_t>(), high = labels.max().item<std::int64_t>();
  if (low < 0 || high > classes_)
    throw Error("class label " + std::to_string(low < 0 ? low : high) + " is out of range: this model knows classes 0.." +
                std::to_string(classes_ - 1) + " (and " + std::to_string(classes_) + " for none)");
  return temb + table_(labels.to(temb.device()));
}

torch::Tensor condition_on_labels(LabelEmbedding& embedding, const torch::Tensor& temb, const torch::Tensor& labels) {
  if (embedding) return embedding->forward(temb, labels);
  if (labels.defined()) throw Error("this model is not class-conditional, so it takes no class labels");
  return temb;
}

}  // namespace ddpm
