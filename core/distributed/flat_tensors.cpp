#include "core/distributed/flat_tensors.h"

#include "core/util/error.h"

namespace ddpm {

torch::Tensor flatten_tensors(const std::vector<torch::Tensor>& tensors) {
  if (tensors.empty()) return torch::empty({0}, torch::kFloat32);
  std::vector<torch::Tensor> pieces;
  pieces.reserve(tensors.size());
  for (const auto& t : tensors) pieces.push_back(t.detach().reshape({-1}).to(torch::kFloat32));
  return torch::cat(pieces);
}

void unflatten_into(const torch::Tensor& flat, const std::vector<torch::Tensor>& tensors) {
  std::int64_t total = 0;
  for (const auto& t : tensors) total += t.numel();
  if (flat.dim() != 1 || flat.numel() != total)
    throw Error("a flattened buffer of " + std::to_string(flat.numel()) + " values cannot fill tensors of " +
                std::to_string(total));
  torch::NoGradGuard no_grad;
  std::int64_t offset = 0;
  for (const auto& t : tensors) {
    const std::int64_t n = t.numel();
    t.copy_(flat.narrow(0, offset, n).view(t.sizes()));
    offset += n;
  }
}

}  // namespace ddpm
