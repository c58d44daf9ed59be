// Is the BLAS that LibTorch calls safe to call from two threads at once? Each case runs
// one linear layer (torch::linear → addmm → the system's sgemm) 2,000 times on one thread,
// then the same calls on two threads at once, and counts the results that are not bit for
// bit those of the single thread. Cases are the 2D MLP's layers (batch 200, as the Compare
// view's DDPM runs): with Debian 12's serial OpenBLAS (scripts/setup.sh selects it) the
// 256 → 2 output layer mismatches a few times in 4,000 calls; see docs/reliability.md.
// blas_concurrency links core's BLAS guard (core/runtime/blas_guard.h), as the app does;
// blas_concurrency_unguarded is the same program without it.
//
//   bench/blas_concurrency        (prints one line per pair of cases; exit 1 on any mismatch)
//   bench/blas_concurrency_unguarded
#ifndef DDPM_BLAS_UNGUARDED
#include "core/runtime/blas_guard.h"
#endif

#include <torch/torch.h>

#include <functional>
#include <iostream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

int main() {
#ifdef DDPM_BLAS_UNGUARDED
  std::cout << "BLAS calls: not serialised (no guard linked)\n";
#else
  std::cout << "BLAS calls: " << (ddpm::blas_calls_serialised() ? "serialised by core's guard" : "NOT serialised")
            << "\n";
#endif
  at::set_num_threads(1);
  torch::manual_seed(0);
  const auto h = torch::randn({200, 256});
  const auto temb = torch::randn({200, 1024});
  struct Layer {
    std::string name;
    torch::Tensor weight, bias;
    const torch::Tensor* input;
  };
  const std::vector<Layer> layers = {{"256 -> 256", torch::randn({256, 256}), torch::randn({256}), &h},
                                     {"1024 -> 256", torch::randn({256, 1024}), torch::randn({256}), &temb},
                                     {"256 -> 2", torch::randn({2, 256}), torch::randn({2}), &h}};
  const int calls = 2000;
  const auto run = [&](const Layer& layer, std::vector<torch::Tensor>& out) {
    at::set_num_threads(1);
    c10::InferenceMode inference;
    for (int k = 0; k < calls; ++k) out.push_back(torch::linear(*layer.input + k, layer.weight, layer.bias));
  };
  int total = 0;
  for (std::size_t i = 0; i < layers.size(); ++i)
    for (std::size_t j = i; j < layers.size(); ++j) {
      std::vector<torch::Tensor> alone_i, alone_j, together_i, together_j;
      run(layers[i], alone_i);
      run(layers[j], alone_j);
      std::thread a([&] { run(layers[i], together_i); });
      std::thread b([&] { run(layers[j], together_j); });
      a.join();
      b.join();
      int differ = 0;
      for (int k = 0; k < calls; ++k)
        differ += !torch::equal(alone_i[k], together_i[k]) + !torch::equal(alone_j[k], together_j[k]);
      std::cout << layers[i].name << " beside " << layers[j].name << ": " << differ << " of " << 2 * calls
                << " results differ from one thread's\n";
      total += differ;
    }
  return total == 0 ? 0 : 1;
}
