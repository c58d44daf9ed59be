#include "core/runtime/threads.h"

#include <torch/torch.h>

#include <algorithm>
#include <thread>

namespace ddpm {

int hardware_threads() {
  return std::max(1u, std::thread::hardware_concurrency());
}

int configure_torch_threads(int threads) {
  const int wanted = threads > 0 ? threads : hardware_threads();
  if (torch::get_num_threads() != wanted) torch::set_num_threads(wanted);
  return torch::get_num_threads();
}

}  // namespace ddpm
