#include "core/metrics/energy_distance.h"

#include "core/runtime/random.h"
#include "core/util/error.h"

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include <cmath>
#include <string>

namespace ddpm {
namespace {

// torch::cdist compute_mode 2: "donot_use_mm_for_euclid_dist". The default switches to
// |a|² + |b|² − 2ab for more than 25 rows, which loses digits to cancellation and leaves
// a non-zero diagonal; direct differences give |a − a| = 0 exactly.
constexpr std::int64_t kDirectDistances = 2;

void check_points(const torch::Tensor& points, const char* what, std::int64_t min_rows = 2) {
  if (!points.defined() || points.dim() != 2 || points.size(0) < min_rows || points.size(1) < 1)
    throw Error(std::string(what) + " must be a table of points [n, d] with at least " + std::to_string(min_rows) +
                " rows");
  if (!torch::isfinite(points).all().item<bool>()) throw Error(std::string(what) + " contains NaN or infinite values");
}

void check_chunk(std::int64_t chunk_rows) {
  if (chunk_rows < 1) throw Error("energy distance: chunk_rows must be at least 1");
}

// Sum of |a_i − b_j| over all pairs, chunk_rows rows of `a` at a time, in double.
double sum_of_distances(const torch::Tensor& a, const torch::Tensor& b, std::int64_t chunk_rows) {
  const torch::NoGradGuard no_grad;
  const auto a64 = a.to(torch::kFloat64).contiguous();
  const auto b64 = b.to(a64.device(), torch::kFloat64).contiguous();
  double total = 0.0;
  for (std::int64_t start = 0; start < a64.size(0); start += chunk_rows) {
    const auto rows = std::min(chunk_rows, a64.size(0) - start);
    total += torch::cdist(a64.narrow(0, start, rows), b64, 2.0, kDirectDistances).sum().item<double>();
  }
  return total;
}

}  // namespace

double mean_cross_distance(const torch::Tensor& a, const torch::Tensor& b, std::int64_t chunk_rows) {
  check_points(a, "energy distance: the first point set", 1);
  check_points(b, "energy distance: the second point set", 1);
  if (a.size(1) != b.size(1))
    throw Error("energy distance: the point sets have " + std::to_string(a.size(1)) + " and " +
                std::to_string(b.size(1)) + " coordinates");
  check_chunk(chunk_rows);
  return sum_of_distances(a, b, chunk_rows) / (static_cast<double>(a.size(0)) * static_cast<double>(b.size(0)));
}

double mean_within_distance(const torch::Tensor& a, std::int64_t chunk_rows) {
  check_points(a, "energy distance: the point set");
  check_chunk(chunk_rows);
  // The diagonal |a_i − a_i| is exactly 0 (direct differences), so the full sum is the
  // sum over distinct pairs; dividing by n(n − 1) gives the U-statistic.
  const double n = static_cast<double>(a.size(0));
  return sum_of_distances(a, a, chunk_rows) / (n * (n - 1.0));
}

double energy_distance(const torch::Tensor& a, const torch::Tensor& b, std::int64_t chunk_rows) {
  check_points(a, "energy distance: the first point set");
  check_points(b, "energy distance: the second point set");
  // Székely & Rizzo: E = 2 E|A − B| − E|A − A'| − E|B − B'|.
  return 2.0 * mean_cross_distance(a, b, chunk_rows) - mean_within_distance(a, chunk_rows) -
         mean_within_distance(b, chunk_rows);
}

torch::Tensor gaussian_like(const torch::Tensor& points, std::int64_t n, at::Generator& generator) {
  check_points(points, "gaussian_like: the points");
  if (n < 1) throw Error("gaussian_like: the number of draws must be at least 1");
  const torch::NoGradGuard no_grad;
  const auto x = points.to(torch::kCPU, torch::kFloat64).contiguous();
  const std::int64_t d = x.size(1);
  const auto mean = x.mean(0);
  const auto centred = x - mean;
  const auto covariance = (centred.t().matmul(centred) / static_cast<double>(x.size(0) - 1)).contiguous();

  Eigen::MatrixXd sigma(d, d);
  const auto c = covariance.accessor<double, 2>();
  for (std::int64_t i = 0; i < d; ++i)
    for (std::int64_t j = 0; j < d; ++j) sigma(i, j) = c[i][j];
  // Σ = L Lᵀ; a singular Σ (all points on a line) gets the smallest ridge that works.
  const double mean_variance = sigma.trace() / static_cast<double>(d);
  double ridge = 0.0;
  Eigen::LLT<Eigen::MatrixXd> llt(sigma);
  while (llt.info() != Eigen::Success) {
    ridge = ridge == 0.0 ? 1e-10 * (mean_variance > 0 ? mean_variance : 1.0) : ridge * 10.0;
    if (ridge > mean_variance && mean_variance > 0) throw Error("gaussian_like: the covariance is not positive definite");
    llt.compute(sigma + ridge * Eigen::MatrixXd::Identity(d, d));
  }
  const Eigen::MatrixXd lower = llt.matrixL();
  auto l = torch::empty({d, d}, torch::kFloat64);
  auto la = l.accessor<double, 2>();
  for (std::int64_t i = 0; i < d; ++i)
    for (std::int64_t j = 0; j < d; ++j) la[i][j] = lower(i, j);

  const auto z = at::randn({n, d}, generator, torch::TensorOptions().dtype(torch::kFloat64));
  return mean + z.matmul(l.t());  // rows x = μ + L z
}

QualityScore2d score_2d(const torch::Tensor& samples, const torch::Tensor& held_out, const torch::Tensor& train_points,
                        std::uint64_t seed) {
  check_points(samples, "score: the samples");
  check_points(held_out, "score: the held-out points");
  check_points(train_points, "score: the training points");
  for (const auto* t : {&samples, &held_out, &train_points})
    if (t->size(1) != 2) throw Error("score: 2D points [n, 2] are needed, got " + std::to_string(t->size(1)) + " columns");

  auto generator = make_generator(seed);
  const auto gaussian = gaussian_like(train_points, samples.size(0), generator);
  QualityScore2d score;
  // E = 2 mean|a − b| − mean|a − a'| − mean|b − b'|, the held-out term computed once for both.
  const double held_out_within = mean_within_distance(held_out);
  score.energy_distance = 2.0 * mean_cross_distance(samples, held_out) - mean_within_distance(samples) - held_out_within;
  score.gaussian_energy_distance =
      2.0 * mean_cross_distance(gaussian, held_out) - mean_within_distance(gaussian) - held_out_within;
  score.ratio = score.energy_distance / score.gaussian_energy_distance;
  return score;
}

}  // namespace ddpm
