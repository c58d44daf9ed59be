// Torch and core headers before <QtTest>: Qt's `slots` macro breaks ATen otherwise.
#include "core/diffusion/gaussian_diffusion.h"
#include "oracle_denoiser.h"
#include "core/runtime/random.h"
#include "core/sampling/gaussian_likelihood.h"
#include "core/sampling/variational_bound.h"
#include "core/util/error.h"
#include "core_test_support.h"

#include <QtTest>

#include <atomic>
#include <cmath>
#include <numeric>

using namespace ddpm;
using ddpm::test::test_device;

namespace {

const double kLn2 = std::log(2.0);
const double kLog2Pi = std::log(2.0 * M_PI);

torch::Tensor gaussian_data(std::int64_t n, double m, double s, std::uint64_t seed) {
  auto generator = make_generator(seed);
  return (m + s * randn({n, 2}, generator, torch::kCPU).to(torch::kFloat64)).to(torch::kFloat32);
}

/// The expected bound terms for the oracle on data N(m, s²), given the batch, derived
/// independently in double (nats per dimension, with the standard error of the one-draw
/// Monte Carlo estimate over N values).
///
/// With x_t = √ᾱ x_0 + √(1 − ᾱ) ε and x̂_0 = E[x_0 | x_t] = m + k (x_t − √ᾱ m),
/// k = √ᾱ s²/(ᾱ s² + 1 − ᾱ), the residual r = x_0 − x̂_0 = A (x_0 − m) + b ε with
/// A = 1 − k√ᾱ, b = −k√(1 − ᾱ). Since μ_θ = μ̃(x̂_0, x_t) (eq. 11 = eq. 7), μ̃ − μ_θ = c₁ r,
/// c₁ the posterior coefficient of x_0 (c₁ = 1 at t = 0). Given x_0:
///   E[r²] = A²(x_0 − m)² + b²,  Var[r²] = 4A²b²(x_0 − m)² + 2b⁴.
/// L_t (t ≥ 1) = ½(log σ² − log β̃ + β̃/σ² − 1) + c₁² r²/(2σ²);
/// L_0 = ½ log(2πσ₀²) + r²/(2σ₀²);  L_T = ½(−1 − log(1 − ᾱ_T) + 1 − ᾱ_T + ᾱ_T x_0²).
struct Expected {
  std::vector<double> term, se;  // per code index t
  double prior = 0.0, total = 0.0, total_se = 0.0;
};

Expected expected_bound(const NoiseSchedule& schedule, ReverseVariance variance, double m, double s,
                        const torch::Tensor& x0) {
  const auto x = x0.to(torch::kFloat64);
  const double q2 = (x - m).pow(2).mean().item<double>(), x2 = x.pow(2).mean().item<double>();
  const double N = static_cast<double>(x.numel());
  const auto T = static_cast<std::size_t>(schedule.steps());
  Expected e;
  const double ab_T = schedule.alpha_bar[T - 1];
  e.prior = 0.5 * (-1.0 - std::log1p(-ab_T) + (1.0 - ab_T) + ab_T * x2);
  e.total = e.prior;
  double total_var = 0.0;
  for (std::size_t t = 0; t < T; ++t) {
    const double ab = schedule.alpha_bar[t], omab = 1.0 - ab, beta = schedule.beta[t];
    const double ab_prev = t > 0 ? schedule.alpha_bar[t - 1] : 1.0;
    const double k = std::sqrt(ab) * s * s / (ab * s * s + omab);
    const double A2 = std::pow(1.0 - k * std::sqrt(ab), 2), b2 = k * k * omab;
    const double mean_r2 = A2 * q2 + b2, var_r2 = 4.0 * A2 * b2 * q2 + 2.0 * b2 * b2;
    const double tilde = beta * (1.0 - ab_prev) / omab;  // β̃_t
    double sigma2, c, constant;
    if (t == 0) {
      // decoder: β_1 (Beta) or the clipped β̃ of the next index (Posterior)
      sigma2 = variance == ReverseVariance::Beta
                   ? beta
                   : schedule.beta[1] * (1.0 - schedule.alpha_bar[0]) / (1.0 - schedule.alpha_bar[1]);
      c = 1.0 / (2.0 * sigma2);
      constant = 0.5 * (kLog2Pi + std::log(sigma2));
    } else {
      sigma2 = variance == ReverseVariance::Beta ? beta : tilde;
      const double c1 = beta * std::sqrt(ab_prev) / omab;
      c = c1 * c1 / (2.0 * sigma2);
      constant = 0.5 * (std::log(sigma2 / tilde) + tilde / sigma2 - 1.0);
    }
    e.term.push_back(constant + c * mean_r2);
    e.se.push_back(std::sqrt(c * c * var_r2 / N));
    e.total += e.term.back();
    total_var += c * c * var_r2 / N;
  }
  e.total_se = std::sqrt(total_var);
  return e;
}

/// −log N(x_0; m, s²) averaged over the batch: the data's true negative log-likelihood (nats/dim).
double data_nll(const torch::Tensor& x0, double m, double s) {
  const double q2 = (x0.to(torch::kFloat64) - m).pow(2).mean().item<double>();
  return 0.5 * (kLog2Pi + std::log(s * s)) + q2 / (2.0 * s * s);
}

BoundOptions continuous_options(ReverseVariance variance) {
  BoundOptions options;
  options.variance = variance;
  options.decoder = DecoderKind::Continuous;
  options.seed = 3;
  options.device = test_device();
  return options;
}

double log_normal_density(double x, double m, double s) {  // written out, not via the code under test
  return -0.5 * std::log(2.0 * M_PI * s * s) - (x - m) * (x - m) / (2.0 * s * s);
}

}  // namespace

class TestVariationalBound : public QObject {
  Q_OBJECT

 private slots:
  void normalKl_matchesClosedFormAndMonteCarlo();
  void gaussianLogLikelihood_matchesDensity();
  void discretizedLikelihood_binsSumToOne_data();
  void discretizedLikelihood_binsSumToOne();
  void discretizedLikelihood_matchesErfcBinMass();
  void bitsPerDim_isNatsOverDimsLn2();
  void oracleBound_termsMatchAnalyticExpectation_data();
  void oracleBound_termsMatchAnalyticExpectation();
  void oracleBoundStandardNormal_isTightWithBetaVariance();
  void oracleBound_tightensWithLargerT();
  void stratifiedTerms_estimateTheExactSum();
  void boundStrata_coverEveryIndexOnce_data();
  void boundStrata_coverEveryIndexOnce();
  void discreteImages_boundIsFiniteAndDecoderAProbability();
  void cancelFlag_stopsBeforeNextNetworkCall();
  void invalidInput_throwsClearErrors();
};

void TestVariationalBound::normalKl_matchesClosedFormAndMonteCarlo() {
  const double m1 = 0.3, s1 = 0.5, m2 = -0.2, s2 = 0.8;
  const auto scalar = [](double v) { return torch::tensor(v, torch::kFloat64); };
  const double kl =
      normal_kl(scalar(m1), scalar(std::log(s1 * s1)), scalar(m2), scalar(std::log(s2 * s2))).item<double>();
  // Independent closed form: log(σ₂/σ₁) + (σ₁² + (μ₁ − μ₂)²)/(2σ₂²) − ½.
  const double closed = std::log(s2 / s1) + (s1 * s1 + (m1 - m2) * (m1 - m2)) / (2.0 * s2 * s2) - 0.5;
  QVERIFY(std::abs(kl - closed) < 1e-12);
  QVERIFY(std::abs(normal_kl(scalar(1.0), scalar(0.3), scalar(1.0), scalar(0.3)).item<double>()) < 1e-15);

  // Monte Carlo: KL = E_q[log q(x) − log p(x)], 200 000 draws, tolerance 4 standard errors.
  auto generator = make_generator(1);
  const auto x = (m1 + s1 * randn({200000}, generator).to(torch::kFloat64));
  const auto log_ratio = -std::log(s1 / s2) - (x - m1).pow(2) / (2.0 * s1 * s1) + (x - m2).pow(2) / (2.0 * s2 * s2);
  const double mc = log_ratio.mean().item<double>(), se = log_ratio.std().item<double>() / std::sqrt(200000.0);
  QVERIFY2(std::abs(mc - kl) < 4.0 * se, qPrintable(QString("MC %1 ± %2, closed form %3").arg(mc).arg(se).arg(kl)));

  // Broadcasting and float32 inputs give float64 results.
  const auto many = normal_kl(torch::zeros({3, 2}), torch::zeros({}), torch::ones({3, 2}), torch::zeros({}));
  QCOMPARE(many.scalar_type(), torch::kFloat64);
  QVERIFY(torch::allclose(many, torch::full({3, 2}, 0.5, torch::kFloat64)));
}

void TestVariationalBound::gaussianLogLikelihood_matchesDensity() {
  const auto x = torch::tensor({-1.0, 0.2, 2.5}, torch::kFloat64);
  const auto value = gaussian_log_likelihood(x, torch::tensor(0.4, torch::kFloat64), torch::tensor(std::log(0.09), torch::kFloat64));
  for (int i = 0; i < 3; ++i)
    QVERIFY(std::abs(value[i].item<double>() - log_normal_density(x[i].item<double>(), 0.4, 0.3)) < 1e-12);
}

void TestVariationalBound::discretizedLikelihood_binsSumToOne_data() {
  QTest::addColumn<double>("mean");
  QTest::addColumn<double>("stddev");
  QTest::newRow("centred, wide") << 0.0 << 1.0;
  QTest::newRow("narrow") << 0.3 << 0.05;
  QTest::newRow("near the lower edge") << -0.99 << 0.01;
  QTest::newRow("outside the range") << 1.2 << 0.3;
  QTest::newRow("far narrower than a bin") << 0.5 << 1e-4;
  QTest::newRow("very wide") << 0.0 << 3.0;
}

void TestVariationalBound::discretizedLikelihood_binsSumToOne() {
  QFETCH(double, mean);
  QFETCH(double, stddev);
  const auto bins = torch::arange(256, torch::kFloat32) / 127.5 - 1.0;  // the 256 levels of [−1, 1]
  const auto log_p = discretized_gaussian_log_likelihood(bins, torch::tensor(mean, torch::kFloat64),
                                                         torch::tensor(2.0 * std::log(stddev), torch::kFloat64));
  QCOMPARE(log_p.scalar_type(), torch::kFloat64);
  QVERIFY(torch::isfinite(log_p).all().item<bool>());
  const double total = log_p.exp().sum().item<double>();
  QVERIFY2(std::abs(total - 1.0) < 1e-6, qPrintable(QString::number(total, 'g', 12)));
}

void TestVariationalBound::discretizedLikelihood_matchesErfcBinMass() {
  const double mean = 0.1, stddev = 0.2;
  const auto bins = torch::arange(256, torch::kFloat64) / 127.5 - 1.0;
  const auto log_p = discretized_gaussian_log_likelihood(bins, torch::tensor(mean, torch::kFloat64),
                                                         torch::tensor(2.0 * std::log(stddev), torch::kFloat64));
  const auto phi = [&](long double z) { return 0.5L * std::erfc(-z / std::sqrt(2.0L)); };
  for (int k : {0, 1, 60, 128, 140, 200, 254, 255}) {
    const long double x = k / 127.5L - 1.0L;
    const long double upper = k == 255 ? 1.0L : phi((x + 1.0L / 255.0L - mean) / stddev);
    const long double lower = k == 0 ? 0.0L : phi((x - 1.0L / 255.0L - mean) / stddev);
    const double expected = static_cast<double>(std::log(upper - lower));
    QVERIFY2(std::abs(log_p[k].item<double>() - expected) < 1e-9 * std::max(1.0, std::abs(expected)),
             qPrintable(QString("bin %1: %2 vs %3").arg(k).arg(log_p[k].item<double>()).arg(expected)));
  }
  // Far from the edges and with σ ≫ the bin width, the mass is ≈ density × width 2/255.
  const double density = log_normal_density(bins[140].item<double>(), mean, stddev) + std::log(2.0 / 255.0);
  QVERIFY(std::abs(log_p[140].item<double>() - density) < 1e-3);
}

void TestVariationalBound::bitsPerDim_isNatsOverDimsLn2() {
  QVERIFY(std::abs(bits_per_dim(784.0 * kLn2, 784) - 1.0) < 1e-15);
  QVERIFY(std::abs(bits_per_dim(3.0, 2) - 3.0 / (2.0 * kLn2)) < 1e-15);
  QVERIFY(std::abs(nats_to_bits(kLn2) - 1.0) < 1e-15);
  QVERIFY(std::abs(nats_to_bits(5.0) - 5.0 / 0.69314718055994530942) < 1e-14);
  QCOMPARE(nats_to_bits(0.0), 0.0);
}

void TestVariationalBound::oracleBound_termsMatchAnalyticExpectation_data() {
  QTest::addColumn<int>("variance");
  QTest::addColumn<int>("batchSize");
  QTest::newRow("beta") << int(ReverseVariance::Beta) << 0;
  QTest::newRow("posterior, in chunks of 3000") << int(ReverseVariance::Posterior) << 3000;
}

void TestVariationalBound::oracleBound_termsMatchAnalyticExpectation() {
  QFETCH(int, variance);
  QFETCH(int, batchSize);
  const double m = 0.5, s = 0.6;
  const std::int64_t T = 100;
  const auto schedule = test::scaled_linear_schedule(T);
  const auto x0 = gaussian_data(10000, m, s, 11);
  auto oracle = test::make_oracle(schedule, m, s, {2});
  auto options = continuous_options(ReverseVariance(variance));
  options.batch_size = batchSize;
  std::vector<BoundProgress> reports;
  const auto bound = variational_bound(oracle, GaussianDiffusion(schedule), x0, options,
                                       [&](const BoundProgress& p) { reports.push_back(p); });
  QCOMPARE(bound.status, RunStatus::Completed);
  QCOMPARE(bound.dims, std::int64_t(2));
  QCOMPARE(std::int64_t(bound.terms_bits_per_dim.size()), T);
  QCOMPARE(std::int64_t(reports.size()), T);
  QCOMPARE(reports.back().done, T);
  QCOMPARE(reports.back().total, T);
  QCOMPARE(oracle->calls, int(T * (batchSize ? 4 : 1)));
  QVERIFY(!oracle->grad_seen && !oracle->training_seen);

  const auto expected = expected_bound(schedule, ReverseVariance(variance), m, s, x0);
  // L_T has no randomness: it matches the analytic KL to rounding.
  QVERIFY(std::abs(bound.prior_bits_per_dim * kLn2 - expected.prior) < 1e-7);
  double sum = bound.prior_bits_per_dim;
  for (std::int64_t t = 0; t < T; ++t) {
    const double nats = bound.terms_bits_per_dim[std::size_t(t)] * kLn2;  // bits/dim × ln 2 = nats/dim
    sum += bound.terms_bits_per_dim[std::size_t(t)];
    if (t > 0) QVERIFY(nats >= 0.0);  // a KL divergence
    QCOMPARE(reports[std::size_t(t)].t, t);
    // One draw of x_t per value: within 5 standard errors (plus float32 rounding) of its expectation.
    const double tolerance = 5.0 * expected.se[std::size_t(t)] + 1e-6 * std::abs(expected.term[std::size_t(t)]);
    QVERIFY2(std::abs(nats - expected.term[std::size_t(t)]) < tolerance,
             qPrintable(QString("t = %1: %2 vs %3 ± %4").arg(t).arg(nats).arg(expected.term[std::size_t(t)])
                            .arg(expected.se[std::size_t(t)])));
  }
  QVERIFY(std::abs(sum - bound.bits_per_dim) < 1e-9);
  // bits/dim of the total: nats per sample / (D ln 2).
  QVERIFY(std::abs(bound.bits_per_dim - bits_per_dim(2.0 * expected.total, 2)) < 4.0 * expected.total_se / kLn2);
  // A bound on the negative log-likelihood: ≥ the data's own NLL (Gibbs) up to the noise.
  QVERIFY(bound.bits_per_dim * kLn2 > data_nll(x0, m, s) - 4.0 * expected.total_se);
}

void TestVariationalBound::oracleBoundStandardNormal_isTightWithBetaVariance() {
  // For x_0 ~ N(0, I) every q(x_t) is N(0, I), the true reverse step q(x_{t−1} | x_t) is
  // N(√α_t x_t, β_t I) = p_θ with the oracle and σ_t² = β_t, q(x_T) = p(x_T), and the
  // decoder N(√α_1 x_1, β_1) is q(x_0 | x_1). So p_θ's joint equals q's and the bound is
  // exactly −log N(x_0; 0, I) for every x_0: L = E[−log p(x_{0:T}) + log q(x_{1:T} | x_0)]
  // = −log q(x_0) + KL(q(x_{1:T}|x_0) ‖ p(x_{1:T}|x_0)) with the KL zero.
  const auto schedule = test::scaled_linear_schedule(100);
  const auto x0 = gaussian_data(10000, 0.0, 1.0, 5);
  auto oracle = test::make_oracle(schedule, 0.0, 1.0, {2});
  const auto expected = expected_bound(schedule, ReverseVariance::Beta, 0.0, 1.0, x0);
  const double nll = data_nll(x0, 0.0, 1.0);
  QVERIFY(std::abs(expected.total - nll) < 1e-9);  // the identity, in the analytic terms
  const auto bound =
      variational_bound(oracle, GaussianDiffusion(schedule), x0, continuous_options(ReverseVariance::Beta));
  QVERIFY2(std::abs(bound.bits_per_dim * kLn2 - nll) < 4.0 * expected.total_se,
           qPrintable(QString("bound %1 nats, NLL %2, SE %3").arg(bound.bits_per_dim * kLn2).arg(nll)
                          .arg(expected.total_se)));
  // With σ² = β̃ the same model is not the true reverse process: the bound is strictly looser.
  const auto looser =
      variational_bound(oracle, GaussianDiffusion(schedule), x0, continuous_options(ReverseVariance::Posterior));
  QVERIFY(looser.bits_per_dim * kLn2 > nll + 0.5);  // analytic gap 1.37 nats/dim at T = 100
}

void TestVariationalBound::oracleBound_tightensWithLargerT() {
  // For N(0.5, 0.6²) data the fixed σ_t² = β_t is not the true reverse variance, so the
  // bound has a gap; analytically 0.0058 nats/dim at T = 100 and 0.00058 at T = 1000.
  const double m = 0.5, s = 0.6;
  const auto x0 = gaussian_data(10000, m, s, 8);
  const double nll = data_nll(x0, m, s);
  const auto e100 = expected_bound(test::scaled_linear_schedule(100), ReverseVariance::Beta, m, s, x0);
  const auto e1000 = expected_bound(test::scaled_linear_schedule(1000), ReverseVariance::Beta, m, s, x0);
  QVERIFY(e1000.total - nll < (e100.total - nll) / 5.0);
  const auto schedule = test::scaled_linear_schedule(1000);
  auto oracle = test::make_oracle(schedule, m, s, {2});
  const auto bound =
      variational_bound(oracle, GaussianDiffusion(schedule), x0, continuous_options(ReverseVariance::Beta));
  QVERIFY2(std::abs(bound.bits_per_dim * kLn2 - nll) < 4.0 * e1000.total_se + (e1000.total - nll),
           qPrintable(QString("bound %1, NLL %2, SE %3").arg(bound.bits_per_dim * kLn2).arg(nll).arg(e1000.total_se)));
}

void TestVariationalBound::stratifiedTerms_estimateTheExactSum() {
  const double m = 0.5, s = 0.6;
  const std::int64_t T = 100, K = 20;
  const auto schedule = test::scaled_linear_schedule(T);
  const auto x0 = gaussian_data(4000, m, s, 2);
  auto oracle = test::make_oracle(schedule, m, s, {2});
  auto options = continuous_options(ReverseVariance::Beta);
  options.terms = K;
  const auto bound = variational_bound(oracle, GaussianDiffusion(schedule), x0, options);
  QCOMPARE(std::int64_t(bound.evaluated.size()), K);
  QCOMPARE(bound.weights, stratum_weights(T, K));  // the weights the estimate used
  QCOMPARE(oracle->calls, int(K));
  QCOMPARE(bound.evaluated.front(), std::int64_t(0));
  const auto expected = expected_bound(schedule, ReverseVariance::Beta, m, s, x0);
  // One t per stratum [1 + k·99/19, 1 + (k+1)·99/19); the estimate is L_0 + Σ |stratum| L_t,
  // so it differs from the exact sum by at most Σ |stratum| (max − min of L in it) plus noise.
  double tolerance_nats = 0.0, noise_var = expected.se[0] * expected.se[0];
  for (std::int64_t k = 0; k < K - 1; ++k) {
    const std::int64_t begin = 1 + k * (T - 1) / (K - 1), end = 1 + (k + 1) * (T - 1) / (K - 1);
    const auto t = bound.evaluated[std::size_t(k + 1)];
    QVERIFY(t >= begin && t < end);
    const auto lo = std::min_element(expected.term.begin() + begin, expected.term.begin() + end);
    const auto hi = std::max_element(expected.term.begin() + begin, expected.term.begin() + end);
    tolerance_nats += double(end - begin) * (*hi - *lo);
    noise_var += std::pow(double(end - begin) * expected.se[std::size_t(t)], 2);
  }
  int evaluated = 0;
  for (double term : bound.terms_bits_per_dim) evaluated += std::isnan(term) ? 0 : 1;
  QCOMPARE(evaluated, int(K));
  QVERIFY(std::abs(bound.bits_per_dim * kLn2 - expected.total) < tolerance_nats + 4.0 * std::sqrt(noise_var));

  options.terms = T;  // all of them: the exact sum, the same as the default
  const auto all = variational_bound(oracle, GaussianDiffusion(schedule), x0, options);
  options.terms = 0;
  const auto by_default = variational_bound(oracle, GaussianDiffusion(schedule), x0, options);
  QCOMPARE(all.bits_per_dim, by_default.bits_per_dim);
  QCOMPARE(std::int64_t(all.evaluated.size()), T);
  QCOMPARE(all.weights, std::vector<double>(std::size_t(T), 1.0));
}

void TestVariationalBound::boundStrata_coverEveryIndexOnce_data() {
  QTest::addColumn<qint64>("T");
  QTest::addColumn<qint64>("terms");
  for (qint64 T : {10, 37, 100, 1000})
    for (qint64 terms : {qint64(0), qint64(2), qint64(3), qint64(5), T - 1, T})
      QTest::addRow("T = %lld, terms = %lld", T, terms) << T << terms;
}

void TestVariationalBound::boundStrata_coverEveryIndexOnce() {
  QFETCH(qint64, T);
  QFETCH(qint64, terms);
  const auto strata = bound_strata(T, terms);
  const auto weights = stratum_weights(T, terms);
  const bool exact = terms == 0 || terms == T;
  QCOMPARE(qint64(strata.size()), exact ? T : terms);
  QCOMPARE(weights.size(), strata.size());
  // Adjacent, ascending, from 0 to T: every code index in exactly one stratum.
  std::int64_t next = 0;
  for (std::size_t i = 0; i < strata.size(); ++i) {
    QCOMPARE(strata[i].begin, next);
    QVERIFY(strata[i].end > strata[i].begin);
    QCOMPARE(weights[i], double(strata[i].size()));
    next = strata[i].end;
  }
  QCOMPARE(next, std::int64_t(T));
  // L_0 alone with weight 1; the rest weigh T − 1 together.
  QCOMPARE(weights.front(), 1.0);
  QCOMPARE(std::accumulate(weights.begin() + 1, weights.end(), 0.0), double(T - 1));
  if (exact) {
    QCOMPARE(weights, std::vector<double>(std::size_t(T), 1.0));
  } else {  // the k-th of terms − 1 equal strata of 1..T−1, written out
    for (std::int64_t k = 0; k < terms - 1; ++k) {
      const double low = 1.0 + double(k) * double(T - 1) / double(terms - 1);
      const double high = 1.0 + double(k + 1) * double(T - 1) / double(terms - 1);
      QCOMPARE(strata[std::size_t(k + 1)].begin, std::int64_t(std::floor(low + 1e-9)));
      QCOMPARE(strata[std::size_t(k + 1)].end, std::int64_t(std::floor(high + 1e-9)));
    }
  }
}

void TestVariationalBound::discreteImages_boundIsFiniteAndDecoderAProbability() {
  const std::int64_t T = 50;
  const auto schedule = test::scaled_linear_schedule(T);
  auto generator = make_generator(4);
  const auto levels = at::randint(0, 256, {64, 1, 4, 4}, generator, torch::TensorOptions().dtype(torch::kLong));
  const auto x0 = levels.to(torch::kFloat32) / 127.5 - 1.0;  // 8-bit images scaled to [−1, 1]
  auto oracle = test::make_oracle(schedule, 0.0, 0.5, {1, 4, 4});
  BoundOptions options;
  options.clip_x0 = true;
  options.device = test_device();
  const auto bound = variational_bound(oracle, GaussianDiffusion(schedule), x0, options);
  QCOMPARE(bound.dims, std::int64_t(16));
  QVERIFY(bound.terms_bits_per_dim[0] >= 0.0);  // −log of a probability
  double sum = bound.prior_bits_per_dim;
  for (double term : bound.terms_bits_per_dim) {
    QVERIFY(std::isfinite(term) && term >= 0.0);
    sum += term;
  }
  QVERIFY(std::abs(sum - bound.bits_per_dim) < 1e-9);
  QVERIFY(bound.bits_per_dim > 0.0 && bound.bits_per_dim < 16.0);
}

void TestVariationalBound::cancelFlag_stopsBeforeNextNetworkCall() {
  const auto schedule = test::scaled_linear_schedule(50);
  const auto x0 = gaussian_data(100, 0.0, 1.0, 1);
  auto oracle = test::make_oracle(schedule, 0.0, 1.0, {2});
  auto options = continuous_options(ReverseVariance::Beta);
  options.batch_size = 50;  // two network calls per term
  std::atomic<bool> cancel{false};
  const auto bound = variational_bound(
      oracle, GaussianDiffusion(schedule), x0, options,
      [&](const BoundProgress& p) {
        if (p.done == 5) cancel = true;
      },
      &cancel);
  QCOMPARE(bound.status, RunStatus::Cancelled);
  QCOMPARE(oracle->calls, 10);
  QVERIFY(std::isnan(bound.bits_per_dim));
}

void TestVariationalBound::invalidInput_throwsClearErrors() {
  const auto schedule = test::scaled_linear_schedule(25);
  const GaussianDiffusion diffusion(schedule);
  auto oracle = test::make_oracle(schedule, 0.0, 1.0, {2});
  const auto x0 = torch::zeros({4, 2});
  BoundOptions options;
  QVERIFY_EXCEPTION_THROWN(variational_bound(oracle, diffusion, x0 + 1.5, options), Error);  // outside [−1, 1]
  options.decoder = DecoderKind::Continuous;
  QVERIFY_EXCEPTION_THROWN(variational_bound(oracle, diffusion, x0 / 0.0, options), Error);  // NaN
  QVERIFY_EXCEPTION_THROWN(variational_bound(oracle, diffusion, torch::zeros({4, 3}), options), Error);
  QVERIFY_EXCEPTION_THROWN(variational_bound(nullptr, diffusion, x0, options), Error);
  options.terms = 1;
  QVERIFY_EXCEPTION_THROWN(variational_bound(oracle, diffusion, x0, options), Error);
  options.terms = 26;
  QVERIFY_EXCEPTION_THROWN(variational_bound(oracle, diffusion, x0, options), Error);
  options.terms = 5;
  QCOMPARE(variational_bound(oracle, diffusion, x0, options).status, RunStatus::Completed);
}

QTEST_GUILESS_MAIN(TestVariationalBound)
#include "test_variational_bound.moc"
