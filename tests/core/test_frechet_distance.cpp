// The Fréchet distance between Gaussians against closed forms: 0 for one set, the
// diagonal formula Σ(μ1 − μ2)² + Σ(√a − √b)², the 2×2 identity tr √M = √(tr M + 2√det M)
// for a non-commuting pair, a pure shift, a singular covariance, and the sample
// estimate of two known Gaussians.
#include "core/metrics/frechet_distance.h"
#include "core/runtime/random.h"
#include "core/util/error.h"
#include "core_test_support.h"

#include <torch/torch.h>

#include <Eigen/Cholesky>
#include <Eigen/LU>

#include <cmath>

#include <QtTest>

using namespace ddpm;

namespace {

GaussianMoments moments(const Eigen::VectorXd& mean, const Eigen::MatrixXd& covariance) {
  GaussianMoments g;
  g.mean = mean;
  g.covariance = covariance;
  return g;
}

// n draws of N(mean, Σ) as float64 [n, d]: mean + L z with Σ = L Lᵀ.
torch::Tensor draw(const Eigen::VectorXd& mean, const Eigen::MatrixXd& covariance, std::int64_t n, std::uint64_t seed) {
  auto generator = make_generator(seed);
  const std::int64_t d = mean.size();
  const torch::Tensor z = at::randn({n, d}, generator, torch::TensorOptions().dtype(torch::kFloat64));
  const Eigen::MatrixXd lower = covariance.llt().matrixL();
  torch::Tensor l = torch::empty({d, d}, torch::kFloat64), m = torch::empty({d}, torch::kFloat64);
  for (std::int64_t i = 0; i < d; ++i) {
    m[i] = mean(i);
    for (std::int64_t j = 0; j < d; ++j) l[i][j] = lower(i, j);
  }
  return z.matmul(l.t()) + m;
}

// Σ1 = [[2, 1], [1, 2]] and Σ2 = [[3, −1], [−1, 1]]: Σ1Σ2 ≠ Σ2Σ1.
Eigen::MatrixXd sigma1() {
  Eigen::MatrixXd s(2, 2);
  s << 2, 1, 1, 2;
  return s;
}
Eigen::MatrixXd sigma2() {
  Eigen::MatrixXd s(2, 2);
  s << 3, -1, -1, 1;
  return s;
}

// For 2×2 M = Σ1^{1/2} Σ2 Σ1^{1/2} (PSD): tr √M = √(tr M + 2 √det M), tr M = tr(Σ1Σ2),
// det M = det Σ1 · det Σ2; so FD = ‖Δμ‖² + tr Σ1 + tr Σ2 − 2 √(tr(Σ1Σ2) + 2 √(det Σ1 det Σ2)).
double closed_form_2x2(const Eigen::Vector2d& delta, const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  const double cross = std::sqrt((a * b).trace() + 2 * std::sqrt(a.determinant() * b.determinant()));
  return delta.squaredNorm() + a.trace() + b.trace() - 2 * cross;
}

}  // namespace

class TestFrechetDistance : public QObject {
  Q_OBJECT

 private slots:
  void identicalSets_giveZero() {
    auto generator = make_generator(1);
    const torch::Tensor features = at::randn({500, 8}, generator, torch::TensorOptions().dtype(torch::kFloat64)).exp();
    QVERIFY(std::abs(frechet_distance(features, features)) < 1e-9);
    QVERIFY(std::abs(frechet_distance(features.to(torch::kFloat32), features.to(torch::kFloat32))) < 1e-6);
  }

  void diagonalGaussians_matchClosedForm() {
    Eigen::VectorXd mu1(4), mu2(4), a(4), b(4);
    mu1 << 0.5, -1, 2, 0;
    mu2 << 1.5, -1, 0, 0.25;
    a << 1, 4, 0.25, 9;
    b << 9, 1, 0.25, 2;
    double expected = 0;
    for (int i = 0; i < 4; ++i)
      expected += std::pow(mu1(i) - mu2(i), 2) + std::pow(std::sqrt(a(i)) - std::sqrt(b(i)), 2);
    const double fd = frechet_distance(moments(mu1, a.asDiagonal()), moments(mu2, b.asDiagonal()));
    QVERIFY2(std::abs(fd - expected) < 1e-12 * expected, qPrintable(QString("%1 vs %2").arg(fd).arg(expected)));
  }

  void nonCommuting2x2_matchesClosedForm() {
    QVERIFY(((sigma1() * sigma2()) - (sigma2() * sigma1())).norm() > 1);  // really non-commuting
    const Eigen::Vector2d mu1(0, 0), mu2(1, 0.5);
    const double expected = closed_form_2x2(mu2 - mu1, sigma1(), sigma2());
    // = 1.25 + 4 + 4 − 2√(6 + 2√6) ≈ 0.875457
    QVERIFY(std::abs(expected - (9.25 - 2 * std::sqrt(6 + 2 * std::sqrt(6.0)))) < 1e-12);
    const double ab = frechet_distance(moments(mu1, sigma1()), moments(mu2, sigma2()));
    const double ba = frechet_distance(moments(mu2, sigma2()), moments(mu1, sigma1()));
    QVERIFY2(std::abs(ab - expected) < 1e-12, qPrintable(QString("%1 vs %2").arg(ab, 0, 'g', 17).arg(expected, 0, 'g', 17)));
    QVERIFY(std::abs(ba - expected) < 1e-12);
  }

  void shiftedCopy_givesSquaredShift() {
    auto generator = make_generator(2);
    const torch::Tensor a = at::randn({300, 5}, generator, torch::TensorOptions().dtype(torch::kFloat64));
    const torch::Tensor shift = torch::tensor({1.0, -2.0, 0.0, 0.5, 3.0}, torch::kFloat64);
    const double fd = frechet_distance(a, a + shift);
    QVERIFY2(std::abs(fd - 14.25) < 1e-9, qPrintable(QString::number(fd, 'g', 17)));
  }

  void singularCovariance_isHandled() {
    // Dead ReLU units give zero-variance features: Σ1 = diag(1, 0), Σ2 = diag(4, 0) → (√1 − √4)² = 1.
    Eigen::VectorXd zero = Eigen::VectorXd::Zero(2), a(2), b(2);
    a << 1, 0;
    b << 4, 0;
    const double fd = frechet_distance(moments(zero, a.asDiagonal()), moments(zero, b.asDiagonal()));
    QVERIFY2(std::abs(fd - 1) < 1e-12, qPrintable(QString::number(fd, 'g', 17)));
    // From features with a constant column, and rounding never makes it negative.
    auto generator = make_generator(3);
    torch::Tensor f = at::randn({200, 3}, generator, torch::TensorOptions().dtype(torch::kFloat64));
    f.select(1, 2).fill_(0.0);
    const double self = frechet_distance(f, f);
    QVERIFY(self >= 0 && self < 1e-9);
  }

  void sampleEstimate_ofTwoKnownGaussians_isWithinTolerance() {
    // 20,000 draws each: the estimate's standard deviation is about 0.03 here (mean
    // term 2√(Δμᵀ(Σ1 + Σ2)Δμ / n) ≈ 0.034, covariance terms smaller) and its bias
    // O(d/n); 0.12 is about four standard deviations.
    const Eigen::Vector2d mu1(0, 0), mu2(1, 0.5);
    const double exact = closed_form_2x2(mu2 - mu1, sigma1(), sigma2());
    const torch::Tensor a = draw(mu1, sigma1(), 20000, 11);
    const torch::Tensor b = draw(mu2, sigma2(), 20000, 12);
    const double estimate = frechet_distance(a, b);
    QVERIFY2(std::abs(estimate - exact) < 0.12, qPrintable(QString("%1 vs %2").arg(estimate).arg(exact)));
    // The fitted moments themselves: mean within 5 standard errors, covariance within 0.1.
    const GaussianMoments g = GaussianMoments::fit(b);
    QCOMPARE(g.count, std::int64_t{20000});
    QVERIFY((g.mean - mu2).norm() < 5 * std::sqrt(4.0 / 20000));
    QVERIFY((g.covariance - sigma2()).cwiseAbs().maxCoeff() < 0.1);
  }

  void badInput_reportsErrors() {
    const torch::Tensor a = torch::randn({10, 3}), b = torch::randn({10, 4});
    EXPECT_ERROR(frechet_distance(a, b), "features of one size");
    EXPECT_ERROR(frechet_distance(torch::randn({1, 3}), a), "[n ≥ 2, d]");
    EXPECT_ERROR(frechet_distance(torch::randn({10}), a), "[n ≥ 2, d]");
    torch::Tensor nan = a.clone();
    nan[3][1] = std::nan("");
    EXPECT_ERROR(frechet_distance(nan, a), "NaN");
    GaussianMoments bad = moments(Eigen::VectorXd::Zero(2), Eigen::MatrixXd::Identity(3, 3));
    EXPECT_ERROR(frechet_distance(bad, bad), "covariance is not 2 × 2");
  }
};

QTEST_GUILESS_MAIN(TestFrechetDistance)
#include "test_frechet_distance.moc"
