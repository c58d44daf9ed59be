// The energy distance (Székely & Rizzo) against a brute-force double loop, its
// behaviour as a statistic (≈ 0 for one distribution, growing with a shift, the 1D
// closed form), chunking, gaussian_like's moments, and score_2d's definition.
#include "core/data/dataset.h"
#include "core/metrics/energy_distance.h"
#include "core/runtime/random.h"
#include "core/util/error.h"
#include "core_test_support.h"

#include <torch/torch.h>

#include <cmath>
#include <vector>

#include <QtTest>

using namespace ddpm;

namespace {

using Points = std::vector<std::vector<double>>;

Points to_rows(const torch::Tensor& t) {
  const auto c = t.to(torch::kFloat64).contiguous();
  const auto a = c.accessor<double, 2>();
  Points rows(static_cast<std::size_t>(c.size(0)), std::vector<double>(static_cast<std::size_t>(c.size(1))));
  for (std::int64_t i = 0; i < c.size(0); ++i)
    for (std::int64_t j = 0; j < c.size(1); ++j) rows[i][j] = a[i][j];
  return rows;
}

double distance(const std::vector<double>& x, const std::vector<double>& y) {
  double s = 0;
  for (std::size_t k = 0; k < x.size(); ++k) s += (x[k] - y[k]) * (x[k] - y[k]);
  return std::sqrt(s);
}

// E = 2/(nm) Σ|a_i − b_j| − 1/(n(n−1)) Σ_{i≠j}|a_i − a_j| − 1/(m(m−1)) Σ_{i≠j}|b_i − b_j|.
double brute_force_energy(const Points& a, const Points& b) {
  double cross = 0, within_a = 0, within_b = 0;
  for (const auto& x : a)
    for (const auto& y : b) cross += distance(x, y);
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < a.size(); ++j)
      if (i != j) within_a += distance(a[i], a[j]);
  for (std::size_t i = 0; i < b.size(); ++i)
    for (std::size_t j = 0; j < b.size(); ++j)
      if (i != j) within_b += distance(b[i], b[j]);
  const double n = static_cast<double>(a.size()), m = static_cast<double>(b.size());
  return 2 * cross / (n * m) - within_a / (n * (n - 1)) - within_b / (m * (m - 1));
}

torch::Tensor normal(std::int64_t n, std::int64_t d, std::uint64_t seed) {
  auto generator = make_generator(seed);
  return at::randn({n, d}, generator, torch::TensorOptions().dtype(torch::kFloat64));
}

double normal_cdf(double x) {
  return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

// E|N(mu, s²)| (the folded normal's mean).
double folded_normal_mean(double mu, double s) {
  return s * std::sqrt(2.0 / M_PI) * std::exp(-mu * mu / (2 * s * s)) + mu * (1 - 2 * normal_cdf(-mu / s));
}

torch::Tensor raw_points(const std::string& spec, Split split, std::int64_t n) {
  DataOptions options;
  options.split = split;
  options.toy_points = n;
  const Dataset d = load_dataset(spec, options);
  return d.normalisation.denormalise(d.x.to(torch::kFloat64));
}


}  // namespace

class TestEnergyDistance : public QObject {
  Q_OBJECT

 private slots:
  void smallSets_matchBruteForceDoubleLoop() {
    const auto a = normal(9, 3, 1);
    const auto shift = torch::tensor({0.3, -0.2, 0.7}, torch::kFloat64);
    const auto b = a.narrow(0, 2, 6) + shift;  // a shifted copy of part of a
    const double expected = brute_force_energy(to_rows(a), to_rows(b));
    QVERIFY(std::abs(energy_distance(a, b) - expected) < 1e-10);
    QVERIFY(std::abs(energy_distance(b, a) - expected) < 1e-10);  // symmetric
    // float32 input is computed in double too: same value as its exact double copy.
    const auto a32 = a.to(torch::kFloat32), b32 = b.to(torch::kFloat32);
    QVERIFY(std::abs(energy_distance(a32, b32) - brute_force_energy(to_rows(a32), to_rows(b32))) < 1e-10);
    // The within-set mean excludes the diagonal: n(n − 1) pairs, not n².
    double within = 0;
    const auto rows = to_rows(a);
    for (std::size_t i = 0; i < rows.size(); ++i)
      for (std::size_t j = 0; j < rows.size(); ++j) within += distance(rows[i], rows[j]);
    QVERIFY(std::abs(mean_within_distance(a) - within / (9.0 * 8.0)) < 1e-12);
  }

  void chunking_givesTheSameValueAsOneBlock() {
    const auto a = normal(1500, 2, 2);
    const auto b = normal(1300, 2, 3) * 1.5 + 0.4;
    const double whole = energy_distance(a, b, /*chunk_rows=*/100000);
    for (std::int64_t chunk : {1, 7, 256, 1499}) {
      const double chunked = energy_distance(a, b, chunk);
      QVERIFY2(std::abs(chunked - whole) < 1e-12 * std::abs(whole) + 1e-14,
               qPrintable(QString("chunk %1: %2 vs %3").arg(chunk).arg(chunked, 0, 'g', 17).arg(whole, 0, 'g', 17)));
    }
  }

  void sameDistribution_isNearZero() {
    // Two independent draws of 3000 moons points. Measured over 8 seeds (2000 vs 10000
    // points) the statistic spreads by about 2e-4 around −4e-4: the generator puts
    // exactly half of each set on each moon, which makes the within-set means slightly
    // larger than for independent draws. A Gaussian fitted to the moons sits at about
    // 0.018, so |E| < 0.002 tells the two apart with a factor 9 to spare.
    const auto a = raw_points("moons", Split::Train, 3000);
    const auto b = raw_points("moons", Split::Test, 3000);
    const double e = energy_distance(a, b);
    QVERIFY2(std::abs(e) < 0.002, qPrintable(QString::number(e)));
    auto generator = make_generator(4);
    const double gaussian = energy_distance(gaussian_like(a, 3000, generator), b);
    QVERIFY2(gaussian > 0.012, qPrintable(QString::number(gaussian)));
    // Independent draws of one distribution: unbiased, so within a few standard errors of 0.
    const double iid = energy_distance(normal(3000, 2, 20), normal(3000, 2, 21));
    QVERIFY2(std::abs(iid) < 0.002, qPrintable(QString::number(iid)));
  }

  void distance_growsWithShift() {
    const auto a = normal(800, 2, 5);
    const auto b = normal(800, 2, 6);
    const auto direction = torch::tensor({0.6, 0.8}, torch::kFloat64);
    double previous = -1;
    for (double shift : {0.0, 0.25, 0.5, 1.0, 2.0, 4.0}) {
      const double e = energy_distance(a, b + shift * direction);
      QVERIFY2(e > previous, qPrintable(QString("shift %1: %2 after %3").arg(shift).arg(e).arg(previous)));
      previous = e;
    }
    // Far apart (shift s = 100 along u): |a − b − s u| = s − (a − b)·u + O(1/s), so
    // E = 2 (s − (mean a − mean b)·u) − mean|a − a'| − mean|b − b'| up to about 2·|a − b|²/(2s) ≈ 0.04.
    const double s = 100.0;
    const double mean_gap = (a.mean(0) - b.mean(0)).dot(direction).item<double>();
    const double far = energy_distance(a, b + s * direction);
    const double expected = 2 * (s - mean_gap) - mean_within_distance(a) - mean_within_distance(b);
    QVERIFY2(std::abs(far - expected) < 0.05, qPrintable(QString("%1 vs %2").arg(far).arg(expected)));
  }

  void oneDimensionalGaussians_matchClosedForm() {
    // N(0, 1) vs N(mu, 1): E = 2 E|X − Y| − E|X − X'| − E|Y − Y'| with X − Y ~ N(−mu, 2)
    // and X − X', Y − Y' ~ N(0, 2), so E = 2 (f(mu) − f(0)), f(mu) = E|N(mu, 2)|.
    // Monte Carlo: 40 independent replicates of n = m = 1000; their mean must lie within
    // 4 standard errors (estimated from the replicates' spread) of the closed form, and
    // that standard error must itself be small (< 0.02) for the check to mean anything.
    const int replicates = 40;
    for (double mu : {0.5, 1.0, 2.0}) {
      const double expected = 2 * (folded_normal_mean(mu, std::sqrt(2.0)) - folded_normal_mean(0, std::sqrt(2.0)));
      double sum = 0, sum_sq = 0;
      for (int r = 0; r < replicates; ++r) {
        const double e = energy_distance(normal(1000, 1, 100 + 2 * r), normal(1000, 1, 101 + 2 * r) + mu);
        sum += e;
        sum_sq += e * e;
      }
      const double mean = sum / replicates;
      const double standard_error = std::sqrt((sum_sq / replicates - mean * mean) / (replicates - 1));
      QVERIFY2(standard_error < 0.02, qPrintable(QString::number(standard_error)));
      QVERIFY2(std::abs(mean - expected) < 4 * standard_error,
               qPrintable(QString("mu %1: %2 ± %3 vs %4").arg(mu).arg(mean).arg(standard_error).arg(expected)));
    }
  }

  void gaussianLike_reproducesMeanAndCovariance() {
    // A correlated, anisotropic, non-Gaussian set: moons stretched and sheared.
    const auto moons = raw_points("moons", Split::Train, 2000);
    const auto shear = torch::tensor({{2.0, 0.0}, {1.5, 0.5}}, torch::kFloat64);
    const auto points = moons.matmul(shear) + torch::tensor({3.0, -1.0}, torch::kFloat64);
    // Moments by hand in double.
    const auto rows = to_rows(points);
    double mean[2] = {0, 0}, cov[2][2] = {{0, 0}, {0, 0}};
    for (const auto& r : rows)
      for (int k = 0; k < 2; ++k) mean[k] += r[k] / static_cast<double>(rows.size());
    for (const auto& r : rows)
      for (int i = 0; i < 2; ++i)
        for (int j = 0; j < 2; ++j) cov[i][j] += (r[i] - mean[i]) * (r[j] - mean[j]) / (rows.size() - 1.0);

    const std::int64_t n = 200000;
    auto generator = make_generator(7);
    const auto draws = gaussian_like(points, n, generator);
    QCOMPARE(draws.sizes().vec(), (std::vector<std::int64_t>{n, 2}));
    QCOMPARE(draws.scalar_type(), torch::kFloat64);
    const auto draw_mean = draws.mean(0);
    const auto centred = draws - draw_mean;
    const auto draw_cov = centred.t().matmul(centred) / (n - 1.0);
    // Standard errors at n = 2e5: mean sqrt(var/n) <= 0.005, covariance entries
    // <= sqrt(2/n)·var ≈ 0.013 here; tolerances are about five of them.
    for (int i = 0; i < 2; ++i) {
      QVERIFY(std::abs(draw_mean[i].item<double>() - mean[i]) < 0.025);
      for (int j = 0; j < 2; ++j)
        QVERIFY2(std::abs(draw_cov[i][j].item<double>() - cov[i][j]) < 0.06,
                 qPrintable(QString("cov %1%2: %3 vs %4").arg(i).arg(j).arg(draw_cov[i][j].item<double>()).arg(cov[i][j])));
    }
    // Same seed, same draws.
    auto first = make_generator(7), second = make_generator(7);
    QVERIFY(torch::equal(gaussian_like(points, 100, first), gaussian_like(points, 100, second)));
  }

  void gaussianLike_singularCovariance_staysOnTheLine() {
    // Points on the line y = 2x: Σ is singular; a tiny ridge lets Cholesky through.
    const auto x = torch::linspace(-1, 1, 50, torch::kFloat64).unsqueeze(1);
    const auto points = torch::cat({x, 2 * x}, 1);
    auto generator = make_generator(1);
    const auto draws = gaussian_like(points, 1000, generator);
    QVERIFY(torch::isfinite(draws).all().item<bool>());
    const auto off_line = (draws.select(1, 1) - 2 * draws.select(1, 0)).abs().max().item<double>();
    QVERIFY2(off_line < 1e-3, qPrintable(QString::number(off_line)));
    QVERIFY(draws.select(1, 0).std().item<double>() > 0.3);  // spread along the line (std of x is 0.59)
  }

  void score2d_isEnergyOverGaussianBaseline() {
    const auto train = raw_points("moons", Split::Train, 2000);
    const auto held_out = raw_points("moons", Split::Test, 2000);
    auto generator = make_generator(3);
    const auto perfect = raw_points("moons", Split::Test, 4000).narrow(0, 2000, 1500);  // unseen moons points
    const QualityScore2d score = score_2d(perfect, held_out, train, /*seed=*/9);
    QVERIFY(std::abs(score.energy_distance - energy_distance(perfect, held_out)) < 1e-13);
    auto baseline_generator = make_generator(9);
    const double baseline = energy_distance(gaussian_like(train, 1500, baseline_generator), held_out);
    QVERIFY(std::abs(score.gaussian_energy_distance - baseline) < 1e-13);
    QCOMPARE(score.ratio, score.energy_distance / score.gaussian_energy_distance);
    QVERIFY2(score.ratio < 0.05, qPrintable(QString::number(score.ratio)));  // real data beats a Gaussian
    // A Gaussian "model" scores like the baseline itself.
    const QualityScore2d gaussian = score_2d(gaussian_like(train, 1500, generator), held_out, train, 9);
    QVERIFY2(gaussian.ratio > 0.8 && gaussian.ratio < 1.25, qPrintable(QString::number(gaussian.ratio)));
  }

  void badInput_isRefused() {
    const auto ok = normal(10, 2, 1);
    EXPECT_ERROR(energy_distance(ok, normal(10, 3, 1)), "2 and 3 coordinates");
    EXPECT_ERROR(energy_distance(ok, normal(1, 2, 1)), "at least 2 rows");
    EXPECT_ERROR(energy_distance(ok, torch::zeros({10}, torch::kFloat64)), "table of points");
    auto with_nan = ok.clone();
    with_nan[3][1] = std::nan("");
    EXPECT_ERROR(energy_distance(with_nan, ok), "NaN");
    EXPECT_ERROR(energy_distance(ok, ok, 0), "chunk_rows");
    auto generator = make_generator(0);
    EXPECT_ERROR(gaussian_like(ok, 0, generator), "at least 1");
    EXPECT_ERROR(score_2d(normal(10, 3, 1), normal(10, 3, 2), normal(10, 3, 3)), "2D points");
  }
};

QTEST_GUILESS_MAIN(TestEnergyDistance)
#include "test_energy_distance.moc"
