#include "core/diffusion/parameterisation.h"

namespace ddpm {

torch::Tensor eps_from_output(const GaussianDiffusion& diffusion, Objective objective, const torch::Tensor& x_t,
                              const torch::Tensor& t, const torch::Tensor& output) {
  switch (objective) {
    case Objective::Eps: return output;
    case Objective::X0: return diffusion.predict_eps_from_x0(x_t, t, output);
    case Objective::Mu:
      return (x_t - diffusion.extract(diffusion.alpha, t, x_t).sqrt() * output) *
             diffusion.extract(diffusion.sqrt_one_minus_alpha_bar, t, x_t) / diffusion.extract(diffusion.beta, t, x_t);
  }
  return output;
}

torch::Tensor objective_target(const GaussianDiffusion& diffusion, Objective objective, const torch::Tensor& x0,
                               const torch::Tensor& x_t, const torch::Tensor& t, const torch::Tensor& eps) {
  switch (objective) {
    case Objective::Eps: return eps;
    case Objective::X0: return x0;
    case Objective::Mu: return diffusion.q_posterior(x0, x_t, t).mean;
  }
  return eps;
}

EpsPredictorImpl::EpsPredictorImpl(Denoiser network, GaussianDiffusion diffusion)
    : network_(register_module("network", std::move(network))), diffusion_(std::move(diffusion)) {}

torch::Tensor EpsPredictorImpl::forward(const torch::Tensor& x_t, const torch::Tensor& t, const torch::Tensor& labels) {
  const torch::Tensor output = network_->forward(x_t, t, labels);
  const torch::Tensor index = t.dim() == 0 ? t.expand({x_t.size(0)}) : t;
  return eps_from_output(diffusion_, network_->config().objective, x_t, index.to(torch::kLong), output.to(x_t.scalar_type()));
}

Denoiser as_eps_predictor(Denoiser network, const NoiseSchedule& schedule, torch::Device device) {
  if (network->config().objective == Objective::Eps) return network;
  return std::make_shared<EpsPredictorImpl>(std::move(network), GaussianDiffusion(schedule, device));
}

}  // namespace ddpm
