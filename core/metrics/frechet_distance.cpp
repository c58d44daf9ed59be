#include "core/metrics/frechet_distance.h"

#include "core/util/error.h"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <string>

namespace ddpm {
namespace {

// V diag(√max(λ, 0)) Vᵀ for a symmetric matrix (its upper and lower triangles averaged first).
Eigen::MatrixXd symmetric_sqrt(const Eigen::MatrixXd& m) {
  const Eigen::MatrixXd symmetric = 0.5 * (m + m.transpose());
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(symmetric);
  if (solver.info() != Eigen::Success) throw Error("the Fréchet distance's eigen-decomposition did not converge");
  const Eigen::VectorXd roots = solver.eigenvalues().cwiseMax(0.0).cwiseSqrt();
  return solver.eigenvectors() * roots.asDiagonal() * solver.eigenvectors().transpose();
}

// tr(A^{1/2}) = Σ √max(λ_i, 0) for a symmetric positive semi-definite A.
double trace_of_sqrt(const Eigen::MatrixXd& m) {
  const Eigen::MatrixXd symmetric = 0.5 * (m + m.transpose());
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(symmetric, Eigen::EigenvaluesOnly);
  if (solver.info() != Eigen::Success) throw Error("the Fréchet distance's eigen-decomposition did not converge");
  return solver.eigenvalues().cwiseMax(0.0).cwiseSqrt().sum();
}

void check(const GaussianMoments& g, const char* which) {
  const auto d = g.mean.size();
  if (d == 0) throw Error(std::string("the Fréchet distance needs features: the ") + which + " set has none");
  if (g.covariance.rows() != d || g.covariance.cols() != d)
    throw Error(std::string("the ") + which + " Gaussian's covariance is not " + std::to_string(d) + " × " +
                std::to_string(d));
  if (!g.mean.allFinite() || !g.covariance.allFinite())
    throw Error(std::string("the ") + which + " Gaussian has NaN or infinite moments");
}

}  // namespace

GaussianMoments GaussianMoments::fit(const torch::Tensor& features) {
  if (!features.defined() || features.dim() != 2 || features.size(0) < 2 || features.size(1) < 1)
    throw Error("a Gaussian is fitted to features shaped [n ≥ 2, d]");
  const torch::Tensor x = features.detach().to(torch::kCPU, torch::kFloat64).contiguous();
  if (!torch::isfinite(x).all().item<bool>()) throw Error("the features contain NaN or infinite values");
  const std::int64_t n = x.size(0), d = x.size(1);
  const Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> rows(
      x.data_ptr<double>(), n, d);
  GaussianMoments g;
  g.count = n;
  g.mean = rows.colwise().mean().transpose();
  const Eigen::MatrixXd centred = rows.rowwise() - g.mean.transpose();
  g.covariance = (centred.transpose() * centred) / static_cast<double>(n - 1);
  return g;
}

double frechet_distance(const GaussianMoments& a, const GaussianMoments& b) {
  check(a, "first");
  check(b, "second");
  if (a.mean.size() != b.mean.size())
    throw Error("the Fréchet distance compares features of one size: " + std::to_string(a.mean.size()) + " and " +
                std::to_string(b.mean.size()) + " differ");
  // ‖μ1 − μ2‖² + tr Σ1 + tr Σ2 − 2 tr (Σ1^{1/2} Σ2 Σ1^{1/2})^{1/2}; the inner product is
  // symmetric PSD, so both roots come from symmetric eigen-decompositions.
  const Eigen::MatrixXd root_a = symmetric_sqrt(a.covariance);
  const double cross = trace_of_sqrt(root_a * b.covariance * root_a);
  const double distance =
      (a.mean - b.mean).squaredNorm() + a.covariance.trace() + b.covariance.trace() - 2.0 * cross;
  return std::max(distance, 0.0);
}

double frechet_distance(const torch::Tensor& a, const torch::Tensor& b) {
  return frechet_distance(GaussianMoments::fit(a), GaussianMoments::fit(b));
}

}  // namespace ddpm
