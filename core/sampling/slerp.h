#pragma once

#include <torch/torch.h>

namespace ddpm {

/// Spherical linear interpolation between two noise samples a and b of the same shape
/// (Shoemake 1985; used for x_T in DDIM, Song et al. 2021, §5.3):
///   slerp(a, b; λ) = sin((1 − λ)θ)/sin θ · a + sin(λθ)/sin θ · b,
/// θ the angle between a and b taken as flat vectors, cos θ = ⟨a, b⟩ / (‖a‖ ‖b‖),
/// computed in double. λ = 0 gives a and λ = 1 gives b exactly. For Gaussian x_T in many
/// dimensions a and b are nearly orthogonal with nearly equal norms, so every x_T(λ) keeps
/// the norm a sample of N(0, I) has, which a straight line (whose midpoint is about
/// 1/√2 as long) does not. When sin θ is tiny (θ ≈ 0, or a and b opposite) the formula
/// loses precision, and the straight line (1 − λ) a + λ b is returned instead. Throws
/// ddpm::Error when the shapes differ.
torch::Tensor slerp(const torch::Tensor& a, const torch::Tensor& b, double lambda);

/// The angle θ in radians between a and b taken as flat vectors (0 when either is zero).
double angle_between(const torch::Tensor& a, const torch::Tensor& b);

}  // namespace ddpm
