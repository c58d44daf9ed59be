#include "core/training/fused_adam.h"

#include "core/training/adam_state.h"
#include "core/util/error.h"

#include <map>
#include <mutex>
#include <tuple>
#include <vector>

namespace ddpm {

bool FusedAdam::available(const torch::Device& device) {
  if (!device.is_cuda()) return false;
  static std::mutex mutex;
  static std::map<c10::DeviceIndex, bool> known;
  std::lock_guard<std::mutex> lock(mutex);
  const auto found = known.find(device.index());
  if (found != known.end()) return found->second;
  bool works = false;
  try {
    torch::NoGradGuard no_grad;
    const auto options = torch::TensorOptions().device(device).dtype(torch::kFloat32);
    auto parameter = torch::ones({1}, options), grad = torch::ones({1}, options);
    auto avg = torch::zeros({1}, options), avg_sq = torch::zeros({1}, options), step = torch::ones({}, options);
    at::_fused_adam_({parameter}, {grad}, {avg}, {avg_sq}, {}, {step}, 0.1, 0.9, 0.999, 0.0, 1e-8, false, false);
    // After one step from zero state Adam moves the weight by lr·sign(grad): 1 → 0.9.
    works = std::abs(parameter.item<double>() - 0.9) < 1e-5;
  } catch (const std::exception&) {
    works = false;
  }
  known[device.index()] = works;
  return works;
}

void FusedAdam::step(torch::optim::Adam& optimizer) {
  torch::NoGradGuard no_grad;
  auto& state = optimizer.state();
  for (auto& group : optimizer.param_groups()) {
    const auto& options = static_cast<const torch::optim::AdamOptions&>(group.options());
    if (options.amsgrad()) throw Error("the fused Adam step does not implement AMSGrad");
    std::vector<torch::Tensor> params, grads, avgs, avg_sqs, steps;
    for (auto& p : group.params()) {
      if (!p.grad().defined()) continue;
      const auto key = optimizer_state_key<AdamStateMap>(p);
      if (state.find(key) == state.end()) {
        auto fresh = std::make_unique<torch::optim::AdamParamState>();
        fresh->step(0);
        fresh->exp_avg(torch::zeros_like(p, torch::MemoryFormat::Preserve));
        fresh->exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Preserve));
        state[key] = std::move(fresh);
      }
      auto& s = static_cast<torch::optim::AdamParamState&>(*state[key]);
      auto& device_step = device_steps_[p.unsafeGetTensorImpl()];
      if (!device_step.defined())
        device_step = torch::full({}, static_cast<double>(s.step()), p.options().dtype(torch::kFloat32));
      s.step(s.step() + 1);
      params.push_back(p);
      grads.push_back(p.grad());
      avgs.push_back(s.exp_avg());
      avg_sqs.push_back(s.exp_avg_sq());
      steps.push_back(device_step);
    }
    if (params.empty()) continue;
    at::_foreach_add_(steps, 1);  // the kernel reads the step number after the increment, as PyTorch's
    const auto [beta1, beta2] = options.betas();
    at::_fused_adam_(params, grads, avgs, avg_sqs, {}, steps, options.lr(), beta1, beta2, options.weight_decay(),
                     options.eps(), /*amsgrad=*/false, /*maximize=*/false);
  }
}

}  // namespace ddpm
