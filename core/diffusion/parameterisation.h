#pragma once

#include "core/diffusion/gaussian_diffusion.h"
#include "core/models/denoiser.h"

#include <torch/torch.h>

namespace ddpm {

// What the network predicts (Objective) and the one exact conversion to ε that lets every
// sampler, the bound, the quality score and the ε̂ panels work for any of them. Code index
// t throughout (the paper's t − 1).

/// ε from the network's output at (x_t, t):
///   eps: the output itself;
///   x0:  ε = (x_t − √ᾱ_t x̂_0) / √(1 − ᾱ_t)   (eq. 4 solved for ε);
///   mu:  ε = (x_t − √α_t μ) √(1 − ᾱ_t) / β_t (eq. 11 solved for ε).
torch::Tensor eps_from_output(const GaussianDiffusion& diffusion, Objective objective, const torch::Tensor& x_t,
                              const torch::Tensor& t, const torch::Tensor& output);

/// What the network should output for x_0 noised to x_t with ε: ε, x_0, or the posterior
/// mean μ̃_t(x_0, x_t) (eq. 7). L_simple regresses the output on it.
torch::Tensor objective_target(const GaussianDiffusion& diffusion, Objective objective, const torch::Tensor& x0,
                               const torch::Tensor& x_t, const torch::Tensor& t, const torch::Tensor& eps);

/// A network trained for `objective`, seen as an ε-predictor: forward() converts its
/// output with eps_from_output. Holds the network as its one submodule.
class EpsPredictorImpl : public DenoiserImpl {
 public:
  EpsPredictorImpl(Denoiser network, GaussianDiffusion diffusion);
  torch::Tensor forward(const torch::Tensor& x_t, const torch::Tensor& t, const torch::Tensor& labels = {}) override;
  const ModelConfig& config() const override { return network_->config(); }
  const Denoiser& network() const { return network_; }

 private:
  Denoiser network_;
  GaussianDiffusion diffusion_;
};

/// `network` itself when it predicts ε, else an EpsPredictor around it whose schedule
/// lives on `device` (where the network runs).
Denoiser as_eps_predictor(Denoiser network, const NoiseSchedule& schedule, torch::Device device = torch::kCPU);

}  // namespace ddpm
