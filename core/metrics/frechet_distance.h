#pragma once

#include <torch/torch.h>

#include <Eigen/Core>

namespace ddpm {

/// A Gaussian fitted to a feature set: its mean and covariance, in double.
struct GaussianMoments {
  Eigen::VectorXd mean;        ///< μ, d entries
  Eigen::MatrixXd covariance;  ///< Σ, d × d, symmetric positive semi-definite
  std::int64_t count = 0;      ///< number of feature vectors it was fitted to (0: given directly)

  /// Fits to the rows of `features` [n, d] (n ≥ 2): the sample mean and the unbiased
  /// covariance (divided by n − 1), accumulated in double. Throws ddpm::Error for other
  /// shapes or non-finite values.
  static GaussianMoments fit(const torch::Tensor& features);
};

/// The Fréchet (2-Wasserstein) distance, squared, between N(μ1, Σ1) and N(μ2, Σ2)
/// (Dowson & Landau 1982; the FID of Heusel et al. 2017 on other features):
///   ‖μ1 − μ2‖² + tr(Σ1 + Σ2 − 2 (Σ1^{1/2} Σ2 Σ1^{1/2})^{1/2}).
/// Computed in double in the symmetric form, with Eigen's SelfAdjointEigenSolver for
/// both square roots; eigenvalues below zero (rounding of a PSD matrix) are taken as 0,
/// and a result below zero from rounding is returned as 0. Throws ddpm::Error when the
/// dimensions differ or a covariance is not square or not finite.
double frechet_distance(const GaussianMoments& a, const GaussianMoments& b);

/// frechet_distance between Gaussians fitted to the rows of `a` [n, d] and `b` [m, d].
double frechet_distance(const torch::Tensor& a, const torch::Tensor& b);

}  // namespace ddpm
