#pragma once

#include <torch/torch.h>

#include <cstdint>

namespace ddpm {

/// Rows of the first set compared at once: the distance block is chunk × m doubles
/// (256 × 10 000 → 20 MB), never the whole n × m matrix.
constexpr std::int64_t kEnergyDistanceChunkRows = 256;

/// Mean Euclidean distance |a − b| over all n·m pairs of rows of `a` [n, d] and `b` [m, d],
/// in double.
double mean_cross_distance(const torch::Tensor& a, const torch::Tensor& b,
                           std::int64_t chunk_rows = kEnergyDistanceChunkRows);

/// Mean Euclidean distance |a − a'| over the n(n − 1) ordered pairs of *distinct* rows of
/// `a` [n, d] (the U-statistic: the zero diagonal is excluded), in double. Needs n ≥ 2.
double mean_within_distance(const torch::Tensor& a, std::int64_t chunk_rows = kEnergyDistanceChunkRows);

/// The squared energy distance of Székely & Rizzo between the distributions behind the
/// point sets `a` [n, d] and `b` [m, d]:
///   E = 2 mean|a − b| − mean|a − a'| − mean|b − b'|,
/// the cross mean over all n·m pairs, the within-set means as U-statistics (distinct
/// pairs only). So E is an unbiased estimate of the population value, which is ≥ 0 and 0
/// only for equal distributions; the estimate itself can be slightly negative (of order
/// 1/n) when both sets come from one distribution. Computed in double with torch::cdist
/// (direct differences, not the matmul shortcut) in blocks of `chunk_rows` rows, so
/// memory stays O(chunk_rows · max(n, m)). Same units as the points. Throws ddpm::Error
/// unless both are finite [≥ 2, d] tensors with the same d.
double energy_distance(const torch::Tensor& a, const torch::Tensor& b,
                       std::int64_t chunk_rows = kEnergyDistanceChunkRows);

/// `n` draws (float64 [n, d], CPU) from N(μ, Σ), μ and Σ the mean and the unbiased
/// covariance of `points` [N, d] (N ≥ 2): x = μ + L z with Σ = L Lᵀ (Cholesky, in double)
/// and z ~ N(0, I) from `generator`. A singular Σ (points on a line) gets a tiny ridge
/// (10⁻¹⁰ of its mean variance, raised until Cholesky succeeds). Throws ddpm::Error for
/// bad shapes or non-finite points.
torch::Tensor gaussian_like(const torch::Tensor& points, std::int64_t n, at::Generator& generator);

/// How close generated 2D points are to held-out data, against the simplest baseline.
struct QualityScore2d {
  double energy_distance = 0;           ///< E(samples, held_out)
  double gaussian_energy_distance = 0;  ///< E(Gaussian fitted to the training data, held_out)
  double ratio = 0;                     ///< energy_distance / gaussian_energy_distance: < 1 beats the Gaussian
};

/// Scores `samples` [n, 2] against `held_out` [m, 2] (both in the same coordinates): the
/// energy distance between them, the same for a Gaussian with `train_points`' mean and
/// covariance (gaussian_like, as many points as `samples`, drawn with `seed`), and their
/// ratio. The ratio is only meaningful for data clearly non-Gaussian (baseline well above
/// its O(1/n) sampling noise), which is what the 2D sets are. Throws ddpm::Error for
/// shapes other than [≥ 2, 2] or non-finite values.
QualityScore2d score_2d(const torch::Tensor& samples, const torch::Tensor& held_out, const torch::Tensor& train_points,
                        std::uint64_t seed = 0);

}  // namespace ddpm
