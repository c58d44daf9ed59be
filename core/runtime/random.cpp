#include "core/runtime/random.h"

#include <ATen/CPUGeneratorImpl.h>

namespace ddpm {

at::Generator make_generator(std::uint64_t seed) {
  return at::detail::createCPUGenerator(seed);
}

torch::Tensor randn(at::IntArrayRef sizes, at::Generator& generator, torch::Device device) {
  auto noise = at::randn(sizes, generator, torch::TensorOptions().dtype(torch::kFloat32));
  return device.is_cpu() ? noise : noise.to(device);
}

torch::Tensor randn_like(const torch::Tensor& like, at::Generator& generator) {
  return randn(like.sizes(), generator, like.device()).to(like.scalar_type());
}

}  // namespace ddpm
