#include "core/sampling/slerp.h"

#include "core/sampling/model_checks.h"
#include "core/util/error.h"

#include <algorithm>
#include <cmath>

namespace ddpm {

namespace {

// Below this sin θ the two weights lose relative precision: interpolate linearly.
constexpr double kMinSinTheta = 1e-6;

}  // namespace

double angle_between(const torch::Tensor& a, const torch::Tensor& b) {
  const auto fa = a.detach().reshape({-1}).to(torch::kFloat64);
  const auto fb = b.detach().reshape({-1}).to(torch::kFloat64);
  const double na = fa.norm().item<double>();
  const double nb = fb.norm().item<double>();
  if (na == 0.0 || nb == 0.0) return 0.0;
  const double cosine = std::clamp(fa.dot(fb).item<double>() / (na * nb), -1.0, 1.0);
  return std::acos(cosine);
}

torch::Tensor slerp(const torch::Tensor& a, const torch::Tensor& b, double lambda) {
  if (a.sizes() != b.sizes())
    throw Error("slerp needs two samples of one shape, not " + shape_text(a.sizes()) + " and " +
                shape_text(b.sizes()));
  const double theta = angle_between(a, b);
  const double s = std::sin(theta);
  double wa = 1.0 - lambda, wb = lambda;  // the straight line, for θ ≈ 0 or θ ≈ π
  if (s > kMinSinTheta) {
    wa = std::sin((1.0 - lambda) * theta) / s;
    wb = std::sin(lambda * theta) / s;
  }
  // Exact endpoints: sin θ / sin θ is 1 and sin 0 is 0, so λ = 0 returns a (and λ = 1, b).
  if (wb == 0.0) return a.clone();
  if (wa == 0.0) return b.clone();
  return a * wa + b * wb;
}

}  // namespace ddpm
