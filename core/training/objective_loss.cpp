#include "core/training/objective_loss.h"

#include "core/diffusion/parameterisation.h"
#include "core/sampling/bound_term.h"
#include "core/util/error.h"

namespace ddpm {

std::string to_string(LossKind loss) {
  return loss == LossKind::Bound ? "bound" : "simple";
}

LossKind loss_kind_from_string(const std::string& name) {
  if (name == "simple") return LossKind::Simple;
  if (name == "bound") return LossKind::Bound;
  throw Error("unknown loss \"" + name + "\"; valid losses: simple, bound");
}

torch::Tensor training_loss(const GaussianDiffusion& diffusion, Objective objective, LossKind loss, bool images,
                            const LossInputs& in) {
  if (loss == LossKind::Simple)
    return (objective_target(diffusion, objective, in.x0, in.x_t, in.t, in.eps) - in.output).pow(2).flatten(1).mean(1);

  const auto eps_hat = eps_from_output(diffusion, objective, in.x_t, in.t, in.output);
  const auto p_mean = diffusion.p_mean_from_eps(in.x_t, in.t, eps_hat);  // eq. 11
  const auto p_log_variance = diffusion.extract(diffusion.beta, in.t, in.x_t).log();  // σ_t² = β_t
  return bound_term_nats(diffusion, in.x0, in.x_t, in.t, p_mean, p_log_variance, images).flatten(1).mean(1).to(torch::kFloat32);
}

}  // namespace ddpm
