#include "core/runtime/device.h"

#include "core/util/error.h"

namespace ddpm {

namespace {

// N of "cuda:N", or -1 when `choice` is not of that form.
int cuda_index_of(const std::string& choice) {
  const std::string prefix = "cuda:";
  if (choice.rfind(prefix, 0) != 0 || choice.size() == prefix.size() || choice.size() > prefix.size() + 4) return -1;
  int index = 0;
  for (std::size_t i = prefix.size(); i < choice.size(); ++i) {
    if (choice[i] < '0' || choice[i] > '9') return -1;
    index = index * 10 + (choice[i] - '0');
  }
  return index;
}

}  // namespace

bool is_device_choice(const std::string& choice) {
  return choice == "auto" || choice == "cpu" || choice == "cuda" || cuda_index_of(choice) >= 0;
}

torch::Device resolve_device(const std::string& choice) {
  if (choice == "cpu") return torch::kCPU;
  if (const int index = cuda_index_of(choice); index >= 0) {
    const torch::Device any_gpu = resolve_device("cuda");
    const auto count = torch::cuda::device_count();
    if (static_cast<std::size_t>(index) >= count)
      throw Error("device '" + choice + "' was asked for, but this machine has " + std::to_string(count) + " GPU(s)");
    return torch::Device(any_gpu.type(), static_cast<c10::DeviceIndex>(index));
  }
  if (choice == "auto") return torch::cuda::is_available() ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
  if (choice == "cuda") {
    if (const std::string reason = cuda_unavailable_reason(); !reason.empty())
      throw Error("device 'cuda' was asked for, but " + reason + " (use --device cpu or auto)");
    return torch::kCUDA;
  }
  throw Error("unknown device '" + choice + "' (expected auto, cpu or cuda)");
}

std::string cuda_unavailable_reason() {
  return torch::cuda::is_available() ? std::string() : "this build of LibTorch sees no CUDA GPU";
}

}  // namespace ddpm
