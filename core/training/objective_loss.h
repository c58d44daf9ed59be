#pragma once

#include "core/diffusion/gaussian_diffusion.h"
#include "core/models/denoiser.h"

#include <torch/torch.h>

#include <string>

namespace ddpm {

/// What training minimises (Ho et al. 2020, Table 2): the unweighted regression of the
/// output on its target (L_simple, eq. 14 for ε), or the true variational bound's term
/// L_{t−1} of eq. 5 at the drawn t (its KL of eq. 8 for t > 1, the decoder's −log p of
/// eq. 13 at t = 1), whatever the network predicts.
enum class LossKind { Simple, Bound };
/// "simple", "bound"; the inverse throws ddpm::Error naming the choices.
std::string to_string(LossKind loss);
LossKind loss_kind_from_string(const std::string& name);

/// Everything one training step's loss needs, for a batch of B samples.
struct LossInputs {
  torch::Tensor x0;      ///< the data
  torch::Tensor x_t;     ///< q_sample(x0, t, eps)
  torch::Tensor t;       ///< code indices [B], drawn uniformly (as the paper, also for the bound)
  torch::Tensor eps;     ///< the noise that made x_t
  torch::Tensor output;  ///< the network's output at (x_t, t), in the objective's space
};

/// The loss of each sample [B] (float32), averaged over its dimensions:
///   simple: ‖target − output‖² / D with objective_target's target (ε, x_0 or μ̃_t);
///   bound:  for code t ≥ 1, KL(q(x_{t−1} | x_t, x_0) ‖ N(μ_θ, β_t I)) / D in nats, μ_θ from the
///           output's ε (eq. 11); for t = 0, −log p_θ(x_0 | x_1) / D with the discretised
///           decoder (images) or the Gaussian density (points). Its mean over uniform t is
///           (L − L_T) / (T D): the bound per dimension without the constant prior term.
/// σ_t² = β_t, fixed, as in the paper's table. `images` picks the decoder.
torch::Tensor training_loss(const GaussianDiffusion& diffusion, Objective objective, LossKind loss, bool images,
                            const LossInputs& in);

}  // namespace ddpm
