// Torch and core headers before <QtTest>: Qt's `slots` macro breaks ATen otherwise.
#include "core/diffusion/gaussian_diffusion.h"
#include "oracle_denoiser.h"
#include "core/runtime/random.h"
#include "core/sampling/reverse_process.h"
#include "core/util/error.h"
#include "core_test_support.h"

#include <QtTest>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <stdexcept>

using namespace ddpm;
using ddpm::test::test_device;

namespace {

constexpr double kDataMean = 0.5;
constexpr double kDataStd = 0.6;

SamplerOptions options_for(SamplerKind kind, std::int64_t n, std::uint64_t seed) {
  SamplerOptions options;
  options.kind = kind;
  options.n = n;
  options.seed = seed;
  options.device = test_device();
  return options;
}

torch::Tensor run_all(ReverseProcess& process) {
  const auto status = run_to_end(process);
  if (status != RunStatus::Completed) throw std::runtime_error("run did not complete");
  return process.sample().cpu();
}

/// Exact mean and variance of the sampler's output for the oracle, by an independent
/// scalar recursion in double. With ε* linear in x, every step is x' = A x + B + σ z, so
/// the output is exactly Gaussian with mean' = A mean + B and var' = A² var + σ², from
/// x_T ~ N(0, 1). A, B, σ are written out here from Algorithm 2 and DDIM eq. 12/16.
struct Moments {
  double mean, variance;
};

Moments exact_output_moments(const NoiseSchedule& s, const std::vector<std::int64_t>& sequence, const SamplerOptions& o,
                             double m, double sd, Moments start = {0.0, 1.0}) {
  double mean = start.mean, variance = start.variance;
  for (std::size_t i = 0; i < sequence.size(); ++i) {
    const auto t = static_cast<std::size_t>(sequence[i]);
    const double ab = s.alpha_bar[t], omab = s.one_minus_alpha_bar[t];
    const double g = std::sqrt(omab) / (ab * sd * sd + omab);  // ε* = g x + e0
    const double e0 = -g * std::sqrt(ab) * m;
    double A, B, sigma2;
    if (o.kind == SamplerKind::DDPM) {
      const double beta = s.beta[t], alpha = 1.0 - beta;
      A = (1.0 - beta * g / std::sqrt(omab)) / std::sqrt(alpha);
      B = -beta * e0 / std::sqrt(omab) / std::sqrt(alpha);
      const double posterior = t > 0 ? beta * s.one_minus_alpha_bar[t - 1] / omab : 0.0;
      sigma2 = t == 0 ? 0.0 : (o.variance == ReverseVariance::Beta ? beta : posterior);
    } else {
      const bool last = i + 1 == sequence.size();
      const double ab_prev = last ? 1.0 : s.alpha_bar[static_cast<std::size_t>(sequence[i + 1])];
      const double sigma = o.eta * std::sqrt((1.0 - ab_prev) / omab) * std::sqrt(1.0 - ab / ab_prev);
      const double c = std::sqrt(std::max(0.0, 1.0 - ab_prev - sigma * sigma));
      const double a0 = (1.0 - std::sqrt(omab) * g) / std::sqrt(ab), b0 = -std::sqrt(omab) * e0 / std::sqrt(ab);
      A = std::sqrt(ab_prev) * a0 + c * g;
      B = std::sqrt(ab_prev) * b0 + c * e0;
      sigma2 = sigma * sigma;
    }
    mean = A * mean + B;
    variance = A * A * variance + sigma2;
  }
  return {mean, variance};
}

}  // namespace

class TestReverseProcess : public QObject {
  Q_OBJECT

 private slots:
  void oracleSampling_matchesExactGaussianMoments_data();
  void oracleSampling_matchesExactGaussianMoments();
  void sameSeed_identicalSamples_differentSeed_different();
  void ddpm_takesAllTSteps_inDescendingOrder();
  void ddim_takesKSteps_evenlySpacedFromTMinus1To0();
  void ddpmMean_equalsPosteriorFormOfClippedX0_whenNothingClipped();
  void everyStep_x0AndEpsReconstructInput();
  void ddimEtaOneAllSteps_equalsDdpmWithPosteriorVariance();
  void ddimCoefficients_matchTextbookExpressions_data();
  void ddimCoefficients_matchTextbookExpressions();
  void ddimStepRange_isOneToT();
  void clipX0_keepsPredictionsAndFinalSampleInRange();
  void cancelFlag_stopsBetweenSteps_andRunResumes();
  void continueFrom_xAtT_endsWithExactMoments();
  void continueFrom_branchesWithItsSeed_andChecksItsInput();
  void steps_runInEvalModeWithoutGradients();
  void invalidOptions_throwClearErrors();
  void cudaAndCpu_sameSeed_sameSamples();
};

void TestReverseProcess::oracleSampling_matchesExactGaussianMoments_data() {
  QTest::addColumn<int>("kind");
  QTest::addColumn<int>("T");
  QTest::addColumn<int>("K");
  QTest::addColumn<double>("eta");
  QTest::addColumn<int>("variance");
  QTest::addColumn<double>("maxVarianceBias");  // |exact var / s² − 1|, the sampler's own discretisation error
  const int ddpm = int(SamplerKind::DDPM), ddim = int(SamplerKind::DDIM);
  const int beta = int(ReverseVariance::Beta), posterior = int(ReverseVariance::Posterior);
  // Biases for m = 0.5, s = 0.6 (exact recursion): DDPM T = 100: +2.1 % (β), −10.9 % (β̃);
  // T = 1000: +0.21 %, −1.3 %. DDIM on T = 100, K = 20: −22 % (η = 0), −37 % (η = 1); they
  // shrink as K grows (K = 1000, T = 1000: −0.5 %, −1.3 %): with the posterior-mean ε* a
  // few large steps contract the spread, a property of the samplers, not of the code.
  QTest::newRow("ddpm beta T=100") << ddpm << 100 << 0 << 0.0 << beta << 0.03;
  QTest::newRow("ddpm posterior T=100") << ddpm << 100 << 0 << 0.0 << posterior << 0.12;
  QTest::newRow("ddpm beta T=1000") << ddpm << 1000 << 0 << 0.0 << beta << 0.005;
  QTest::newRow("ddim eta=0 K=20") << ddim << 100 << 20 << 0.0 << beta << 0.25;
  QTest::newRow("ddim eta=1 K=20") << ddim << 100 << 20 << 1.0 << beta << 0.40;
  QTest::newRow("ddim eta=0 K=1000") << ddim << 1000 << 1000 << 0.0 << beta << 0.01;
}

void TestReverseProcess::oracleSampling_matchesExactGaussianMoments() {
  QFETCH(int, kind);
  QFETCH(int, T);
  QFETCH(int, K);
  QFETCH(double, eta);
  QFETCH(int, variance);
  QFETCH(double, maxVarianceBias);
  const auto schedule = test::scaled_linear_schedule(T);
  const GaussianDiffusion diffusion(schedule, test_device());
  auto oracle = test::make_oracle(schedule, kDataMean, kDataStd, {2});
  auto options = options_for(SamplerKind(kind), 4000, 7);
  options.steps = K;
  options.eta = eta;
  options.variance = ReverseVariance(variance);
  ReverseProcess process(oracle, diffusion, {2}, options);
  const auto x = run_all(process).to(torch::kFloat64);

  const auto exact = exact_output_moments(schedule, process.step_sequence(), options, kDataMean, kDataStd);
  // The output is exactly Gaussian: the sample mean of N = 8000 independent values has
  // standard error √(var/N), the sample variance var √(2/(N − 1)). Tolerance: 4 SE.
  const double N = static_cast<double>(x.numel());
  const double mean = x.mean().item<double>(), var = x.var().item<double>();
  const double se_mean = std::sqrt(exact.variance / N), se_var = exact.variance * std::sqrt(2.0 / (N - 1.0));
  QVERIFY2(std::abs(mean - exact.mean) < 4.0 * se_mean,
           qPrintable(QString("mean %1, exact %2, SE %3").arg(mean).arg(exact.mean).arg(se_mean)));
  QVERIFY2(std::abs(var - exact.variance) < 4.0 * se_var,
           qPrintable(QString("variance %1, exact %2, SE %3").arg(var).arg(exact.variance).arg(se_var)));
  // And the exact output is the data distribution up to the sampler's stated bias. The
  // mean is off by ≤ 0.002 because x_T ~ N(0, 1) while q(x_T) has mean √ᾱ_T m ≈ 0.003
  // (η = 0 carries that offset to x_0; noisy samplers forget it).
  QVERIFY(std::abs(exact.mean - kDataMean) < 0.003);
  QVERIFY2(std::abs(exact.variance / (kDataStd * kDataStd) - 1.0) < maxVarianceBias,
           qPrintable(QString("exact variance %1 vs s² %2").arg(exact.variance).arg(kDataStd * kDataStd)));
  // Where that bias is below the statistical tolerance, the samples match N(m, s²) directly.
  if (std::abs(exact.variance - kDataStd * kDataStd) < se_var) {
    QVERIFY(std::abs(mean - kDataMean) < 4.0 * se_mean + 0.002);
    QVERIFY(std::abs(var - kDataStd * kDataStd) < 5.0 * se_var);
  }
}

void TestReverseProcess::sameSeed_identicalSamples_differentSeed_different() {
  const auto schedule = test::scaled_linear_schedule(50);
  const GaussianDiffusion diffusion(schedule, test_device());
  auto oracle = test::make_oracle(schedule, kDataMean, kDataStd, {2});
  for (auto kind : {SamplerKind::DDPM, SamplerKind::DDIM}) {
    auto options = options_for(kind, 64, 123);
    options.steps = kind == SamplerKind::DDIM ? 10 : 0;
    options.eta = 0.5;  // DDIM with noise, so the per-step noise matters too
    ReverseProcess a(oracle, diffusion, {2}, options), b(oracle, diffusion, {2}, options);
    const auto xa = run_all(a), xb = run_all(b);
    QVERIFY(torch::equal(xa, xb));
    options.seed = 124;
    ReverseProcess c(oracle, diffusion, {2}, options);
    QVERIFY((run_all(c) - xa).abs().max().item<double>() > 1e-3);
  }
}

void TestReverseProcess::continueFrom_xAtT_endsWithExactMoments() {
  // x at index t drawn from a Gaussian off q(x_t) = N(√ᾱ_t m, ᾱ_t sd² + 1 − ᾱ_t) (shifted and
  // narrowed, so a run that ignored x would end elsewhere): the output moments follow from
  // the same scalar recursion, started at x's moments.
  const auto schedule = test::scaled_linear_schedule(50);
  const GaussianDiffusion diffusion(schedule, test_device());
  auto oracle = test::make_oracle(schedule, kDataMean, kDataStd, {1});
  const std::int64_t n = 40000, t = 20;
  const double ab = schedule.alpha_bar[t];
  const Moments q_t{std::sqrt(ab) * kDataMean + 0.4, 0.5 * (ab * kDataStd * kDataStd + 1.0 - ab)};
  for (auto kind : {SamplerKind::DDPM, SamplerKind::DDIM}) {
    auto options = options_for(kind, n, 3);
    options.steps = kind == SamplerKind::DDIM ? 10 : 0;
    options.eta = 0.5;
    ReverseProcess process(oracle, diffusion, {1}, options);
    const auto full = process.step_sequence();
    auto gen = make_generator(99);
    const auto x_t = (q_t.mean + std::sqrt(q_t.variance) * randn({n, 1}, gen)).to(test_device());
    process.continue_from(x_t, t, 7);
    std::vector<std::int64_t> expected{t};
    for (auto s : full)
      if (s < t) expected.push_back(s);
    QCOMPARE(process.step_sequence(), expected);
    QCOMPARE(process.next_t(), t);
    const auto x0 = run_all(process).to(torch::kFloat64);
    const auto exact = exact_output_moments(schedule, expected, options, kDataMean, kDataStd, q_t);
    const double mean = x0.mean().item<double>(), variance = x0.var().item<double>();
    // 5 standard errors: mean ± 5 σ/√n, variance ± 5 σ² √(2/n).
    QVERIFY2(std::abs(mean - exact.mean) < 5 * std::sqrt(exact.variance / n), qPrintable(QString::number(mean)));
    QVERIFY2(std::abs(variance - exact.variance) < 5 * exact.variance * std::sqrt(2.0 / n),
             qPrintable(QString::number(variance) + " vs " + QString::number(exact.variance)));
  }
}

void TestReverseProcess::continueFrom_branchesWithItsSeed_andChecksItsInput() {
  const auto schedule = test::scaled_linear_schedule(30);
  const GaussianDiffusion diffusion(schedule, test_device());
  auto oracle = test::make_oracle(schedule, kDataMean, kDataStd, {2});
  const auto options = options_for(SamplerKind::DDPM, 16, 1);
  ReverseProcess trunk(oracle, diffusion, {2}, options);
  while (trunk.next_t() > 12) trunk.step();
  const auto paused = trunk.sample();
  auto branch = [&](std::uint64_t seed) {
    ReverseProcess p(oracle, diffusion, {2}, options);
    p.continue_from(paused, 12, seed);
    return run_all(p);
  };
  QVERIFY(torch::equal(branch(5), branch(5)));
  QVERIFY((branch(5) - branch(6)).abs().max().item<double>() > 1e-3);
  // The trunk itself, continued with its own stream, is a third, different ending.
  QVERIFY((run_all(trunk) - branch(5)).abs().max().item<double>() > 1e-3);

  ReverseProcess p(oracle, diffusion, {2}, options);
  QVERIFY_THROWS_EXCEPTION(Error, p.continue_from(paused, 30, 0));
  QVERIFY_THROWS_EXCEPTION(Error, p.continue_from(paused, -1, 0));
  QVERIFY_THROWS_EXCEPTION(Error, p.continue_from(paused.narrow(0, 0, 8), 5, 0));
}

void TestReverseProcess::ddpm_takesAllTSteps_inDescendingOrder() {
  const std::int64_t T = 30;
  const auto schedule = test::scaled_linear_schedule(T);
  const GaussianDiffusion diffusion(schedule);
  auto oracle = test::make_oracle(schedule, kDataMean, kDataStd, {2});
  auto options = options_for(SamplerKind::DDPM, 3, 1);
  options.device = torch::kCPU;
  ReverseProcess process(oracle, diffusion, {2}, options);
  QCOMPARE(process.total_steps(), T);
  QCOMPARE(process.t(), T);  // before the first step
  QCOMPARE(process.steps_taken(), std::int64_t(0));
  QVERIFY(!process.predicted_x0().defined());
  std::int64_t expected = T - 1;
  while (!process.done()) {
    QCOMPARE(process.next_t(), expected);
    process.step();
    QCOMPARE(process.t(), expected);
    QCOMPARE(process.steps_taken(), T - expected);
    QCOMPARE(process.sigma() > 0.0, expected > 0);  // no noise at the last step
    --expected;
  }
  QCOMPARE(expected, std::int64_t(-1));
  QCOMPARE(oracle->calls, int(T));
  QCOMPARE(process.next_t(), std::int64_t(-1));
  QVERIFY_EXCEPTION_THROWN(process.step(), std::logic_error);
}

void TestReverseProcess::ddim_takesKSteps_evenlySpacedFromTMinus1To0() {
  const std::int64_t T = 100;
  for (std::int64_t K : {1, 2, 20, 33, 99, 100}) {
    SamplerOptions options;
    options.kind = SamplerKind::DDIM;
    options.steps = K;
    const auto seq = sampling_timesteps(options, T);
    QCOMPARE(std::int64_t(seq.size()), K);
    QCOMPARE(seq.front(), T - 1);
    if (K > 1) QCOMPARE(seq.back(), std::int64_t(0));
    const double spacing = K > 1 ? double(T - 1) / double(K - 1) : 0.0;
    for (std::size_t i = 1; i < seq.size(); ++i) {
      const auto gap = double(seq[i - 1] - seq[i]);
      QVERIFY(gap >= std::floor(spacing) && gap <= std::ceil(spacing));  // strictly descending, even
    }
  }
  SamplerOptions options;
  options.kind = SamplerKind::DDIM;
  options.steps = 20;
  const std::vector<std::int64_t> twenty = {99, 94, 89, 83, 78, 73, 68, 63, 57, 52, 47, 42, 36, 31, 26, 21, 16, 10, 5, 0};
  QCOMPARE(sampling_timesteps(options, T), twenty);  // round(i · 99/19)

  const auto schedule = test::scaled_linear_schedule(T);
  const GaussianDiffusion diffusion(schedule);
  auto oracle = test::make_oracle(schedule, kDataMean, kDataStd, {2});
  options.n = 4;
  ReverseProcess process(oracle, diffusion, {2}, options);
  std::vector<std::int64_t> visited;
  run_to_end(process, [&](const ReverseProcess& p) { visited.push_back(p.t()); });
  QCOMPARE(visited, twenty);
  QCOMPARE(process.steps_taken(), std::int64_t(20));
  QVERIFY(process.done());
  QCOMPARE(oracle->calls, 20);
}

void TestReverseProcess::ddpmMean_equalsPosteriorFormOfClippedX0_whenNothingClipped() {
  // The formulas: eq. 11 against eq. 7 on x̂_0, for random x_t and ε at every t.
  const auto schedule = test::scaled_linear_schedule(100);
  const GaussianDiffusion diffusion(schedule);
  auto generator = make_generator(5);
  const auto xt = randn({100, 3}, generator), eps = randn({100, 3}, generator);
  const auto t = torch::arange(100, torch::kLong);
  const auto direct = diffusion.p_mean_from_eps(xt, t, eps);
  const auto posterior = diffusion.q_posterior(diffusion.predict_x0_from_eps(xt, t, eps), xt, t).mean;
  QVERIFY((direct - posterior).abs().max().item<double>() < 1e-5);

  // The sampler: clip_x0 on and off give the same samples when |x̂_0| ≤ 1 at every step
  // (data N(0.1, 0.2²): E[x_0 | x_t] stays well inside [−1, 1]).
  auto oracle = test::make_oracle(schedule, 0.1, 0.2, {2});
  auto options = options_for(SamplerKind::DDPM, 256, 9);
  ReverseProcess plain(oracle, diffusion, {2}, options);
  options.clip_x0 = true;
  ReverseProcess clipped(oracle, diffusion, {2}, options);
  while (!plain.done()) {
    plain.step();
    clipped.step();
    QVERIFY(plain.predicted_x0().abs().max().item<double>() <= 1.0);  // nothing was clipped
    QVERIFY((plain.sample() - clipped.sample()).abs().max().item<double>() < 1e-5);
  }
}

void TestReverseProcess::everyStep_x0AndEpsReconstructInput() {
  const auto schedule = test::scaled_linear_schedule(100);
  const GaussianDiffusion diffusion(schedule, test_device());
  auto oracle = test::make_oracle(schedule, kDataMean, kDataStd, {2});
  for (auto kind : {SamplerKind::DDPM, SamplerKind::DDIM}) {
    auto options = options_for(kind, 128, 3);
    options.steps = kind == SamplerKind::DDIM ? 25 : 0;
    ReverseProcess process(oracle, diffusion, {2}, options);
    while (!process.done()) {
      const auto input = process.sample();
      process.step();
      const auto t = static_cast<std::size_t>(process.t());
      // eq. 4: x_t = √ᾱ_t x̂_0 + √(1 − ᾱ_t) ε̂
      const auto rebuilt = schedule.sqrt_alpha_bar[t] * process.predicted_x0() +
                           schedule.sqrt_one_minus_alpha_bar[t] * process.predicted_eps();
      QVERIFY2((rebuilt - input).abs().max().item<double>() < 1e-5, qPrintable(QString("t = %1").arg(t)));
    }
  }
}

void TestReverseProcess::ddimEtaOneAllSteps_equalsDdpmWithPosteriorVariance() {
  // With K = T and η = 1, DDIM's σ² is β̃_t and its mean is μ̃_t (Song et al. 2021, Sec. 4.1),
  // and both draw x_T and one z per step t > 0 from the same stream.
  const auto schedule = test::scaled_linear_schedule(100);
  const GaussianDiffusion diffusion(schedule, test_device());
  auto oracle = test::make_oracle(schedule, kDataMean, kDataStd, {2});
  auto options = options_for(SamplerKind::DDPM, 512, 11);
  options.variance = ReverseVariance::Posterior;
  ReverseProcess ddpm(oracle, diffusion, {2}, options);
  options.kind = SamplerKind::DDIM;
  options.steps = 100;
  options.eta = 1.0;
  ReverseProcess ddim(oracle, diffusion, {2}, options);
  while (!ddpm.done()) {
    ddpm.step();
    ddim.step();
    QVERIFY(std::abs(ddpm.sigma() - ddim.sigma()) < 1e-9);
  }
  QVERIFY(ddim.done());
  QVERIFY((ddpm.sample() - ddim.sample()).abs().max().item<double>() < 1e-4);
}

void TestReverseProcess::ddimCoefficients_matchTextbookExpressions_data() {
  QTest::addColumn<qint64>("t");
  QTest::addColumn<qint64>("s");
  QTest::addColumn<double>("eta");
  QTest::newRow("99 → 94, η = 0") << qint64(99) << qint64(94) << 0.0;
  QTest::newRow("99 → 94, η = 0.5") << qint64(99) << qint64(94) << 0.5;
  QTest::newRow("50 → 49, η = 1") << qint64(50) << qint64(49) << 1.0;
  QTest::newRow("60 → 10, η = 0.3") << qint64(60) << qint64(10) << 0.3;
  QTest::newRow("10 → x_0, η = 0.7") << qint64(10) << qint64(-1) << 0.7;
  QTest::newRow("0 → x_0, η = 1") << qint64(0) << qint64(-1) << 1.0;
}

void TestReverseProcess::ddimCoefficients_matchTextbookExpressions() {
  // Song et al. 2021, eq. 12 with σ from eq. 16, in long double from a direct product of α.
  QFETCH(qint64, t);
  QFETCH(qint64, s);
  QFETCH(double, eta);
  const auto schedule = test::scaled_linear_schedule(100);
  std::vector<long double> alpha_bar;
  long double product = 1;
  for (double beta : schedule.beta) alpha_bar.push_back(product *= 1 - static_cast<long double>(beta));
  const long double ab_t = alpha_bar[static_cast<std::size_t>(t)];
  const long double ab_s = s >= 0 ? alpha_bar[static_cast<std::size_t>(s)] : 1.0L;
  const long double sigma = eta * std::sqrt((1 - ab_s) / (1 - ab_t)) * std::sqrt(1 - ab_t / ab_s);
  const long double direction = std::sqrt(std::max(0.0L, 1 - ab_s - sigma * sigma));
  const DdimCoefficients c = ddim_coefficients(schedule, t, s, eta);
  const auto close = [](double actual, long double expected) {
    return std::fabs(static_cast<long double>(actual) - expected) <= 1e-12L * std::max(1.0L, std::fabs(expected));
  };
  QVERIFY2(close(c.sqrt_alpha_bar_prev, std::sqrt(ab_s)), qPrintable(QString::number(c.sqrt_alpha_bar_prev, 'g', 17)));
  QVERIFY2(close(c.direction, direction), qPrintable(QString::number(c.direction, 'g', 17)));
  QVERIFY2(close(c.sigma, sigma), qPrintable(QString::number(c.sigma, 'g', 17)));
  if (s < 0) {  // to x_0: ᾱ = 1, no noise and no direction term
    QCOMPARE(c.sqrt_alpha_bar_prev, 1.0);
    QCOMPARE(c.sigma, 0.0);
    QCOMPARE(c.direction, 0.0);
  }
  if (eta == 1.0 && s >= 0 && s == t - 1)  // η = 1 over one step is DDPM's σ_t² = β̃_t
    QVERIFY(std::fabs(c.sigma * c.sigma / schedule.posterior_variance[static_cast<std::size_t>(t)] - 1.0) < 1e-12);
}

void TestReverseProcess::ddimStepRange_isOneToT() {
  const std::int64_t T = 25;
  for (std::int64_t K = -2; K <= T + 2; ++K) {
    QCOMPARE(ddim_steps_in_range(K, T), K >= 1 && K <= T);
    SamplerOptions options;
    options.kind = SamplerKind::DDIM;
    options.steps = K;
    if (K == 0) continue;  // 0 means T
    if (ddim_steps_in_range(K, T)) {
      QCOMPARE(std::int64_t(sampling_timesteps(options, T).size()), K);
    } else {
      try {
        sampling_timesteps(options, T);
        QFAIL("an out-of-range step count was accepted");
      } catch (const Error& e) {
        QCOMPARE(QString(e.what()), QString("the number of DDIM steps must be between 1 and T = 25, got %1").arg(K));
      }
    }
  }
}

void TestReverseProcess::clipX0_keepsPredictionsAndFinalSampleInRange() {
  // Data N(3, 0.5²) lie outside [−1, 1], so x̂_0 is clipped at nearly every step.
  const auto schedule = test::scaled_linear_schedule(50);
  const GaussianDiffusion diffusion(schedule, test_device());
  auto oracle = test::make_oracle(schedule, 3.0, 0.5, {1, 2, 2});
  for (auto kind : {SamplerKind::DDPM, SamplerKind::DDIM}) {
    auto options = options_for(kind, 32, 2);
    options.clip_x0 = true;
    options.steps = kind == SamplerKind::DDIM ? 10 : 0;
    ReverseProcess process(oracle, diffusion, {1, 2, 2}, options);
    QCOMPARE(process.sample().sizes().vec(), (std::vector<std::int64_t>{32, 1, 2, 2}));
    run_to_end(process, [](const ReverseProcess& p) {
      QVERIFY(p.predicted_x0().abs().max().item<double>() <= 1.0);
    });
    // The last step returns the clipped x̂_0 itself (μ̃ at t = 0 is x̂_0, and σ = 0).
    QVERIFY(process.sample().abs().max().item<double>() <= 1.0 + 1e-6);
  }
}

void TestReverseProcess::cancelFlag_stopsBetweenSteps_andRunResumes() {
  const auto schedule = test::scaled_linear_schedule(40);
  const GaussianDiffusion diffusion(schedule, test_device());
  auto oracle = test::make_oracle(schedule, kDataMean, kDataStd, {2});
  const auto options = options_for(SamplerKind::DDPM, 16, 21);
  ReverseProcess uninterrupted(oracle, diffusion, {2}, options);
  const auto expected = run_all(uninterrupted);

  ReverseProcess process(oracle, diffusion, {2}, options);
  std::atomic<bool> cancel{false};
  int callbacks = 0;
  const auto status = run_to_end(
      process,
      [&](const ReverseProcess&) {
        if (++callbacks == 3) cancel = true;
      },
      &cancel);
  QCOMPARE(status, RunStatus::Cancelled);
  QCOMPARE(process.steps_taken(), std::int64_t(3));
  QVERIFY(!process.done());

  std::atomic<bool> already{true};
  QCOMPARE(run_to_end(process, {}, &already), RunStatus::Cancelled);  // flag read before the first step
  QCOMPARE(process.steps_taken(), std::int64_t(3));

  cancel = false;
  QCOMPARE(run_to_end(process, {}, &cancel), RunStatus::Completed);
  QVERIFY(torch::equal(process.sample().cpu(), expected));
}

void TestReverseProcess::steps_runInEvalModeWithoutGradients() {
  const auto schedule = test::scaled_linear_schedule(25);
  const GaussianDiffusion diffusion(schedule);
  auto oracle = test::make_oracle(schedule, kDataMean, kDataStd, {2});
  oracle->train();
  auto options = options_for(SamplerKind::DDPM, 4, 0);
  options.device = torch::kCPU;
  ReverseProcess process(oracle, diffusion, {2}, options);
  run_to_end(process);
  QVERIFY(!oracle->grad_seen);
  QVERIFY(!oracle->training_seen);
  QVERIFY(!process.sample().requires_grad());
}

void TestReverseProcess::invalidOptions_throwClearErrors() {
  const auto schedule = test::scaled_linear_schedule(25);
  const GaussianDiffusion diffusion(schedule);
  auto oracle = test::make_oracle(schedule, kDataMean, kDataStd, {2});
  const auto make = [&](SamplerOptions options, std::vector<std::int64_t> shape = {2}) {
    options.device = torch::kCPU;
    ReverseProcess process(oracle, diffusion, shape, options);
  };
  SamplerOptions options;
  options.n = 0;
  QVERIFY_EXCEPTION_THROWN(make(options), Error);
  options = {};
  options.steps = 5;  // DDPM takes all T
  QVERIFY_EXCEPTION_THROWN(make(options), Error);
  options = {};
  options.kind = SamplerKind::DDIM;
  options.steps = 26;  // more than T
  QVERIFY_EXCEPTION_THROWN(make(options), Error);
  options.steps = -1;
  QVERIFY_EXCEPTION_THROWN(make(options), Error);
  options.steps = 5;
  options.eta = 1.5;
  QVERIFY_EXCEPTION_THROWN(make(options), Error);
  options.eta = std::nan("");
  QVERIFY_EXCEPTION_THROWN(make(options), Error);
  options.eta = 0.0;
  QVERIFY_EXCEPTION_THROWN(make(options, {3}), Error);  // model built for {2}
  QVERIFY_EXCEPTION_THROWN((ReverseProcess(nullptr, diffusion, {2}, SamplerOptions{})), Error);
  QVERIFY_EXCEPTION_THROWN(sampler_kind_from_string("euler-maruyama"), Error);
  QVERIFY_EXCEPTION_THROWN(reverse_variance_from_string("large"), Error);
  QCOMPARE(sampler_kind_from_string(to_string(SamplerKind::DDIM)), SamplerKind::DDIM);
  QCOMPARE(reverse_variance_from_string(to_string(ReverseVariance::Posterior)), ReverseVariance::Posterior);
  make(options);  // and the valid one constructs
}

void TestReverseProcess::cudaAndCpu_sameSeed_sameSamples() {
  if (!torch::cuda::is_available()) QSKIP("no CUDA device");
  const auto schedule = test::scaled_linear_schedule(50);
  auto oracle = test::make_oracle(schedule, kDataMean, kDataStd, {2});
  auto options = options_for(SamplerKind::DDPM, 1000, 17);
  options.device = torch::kCPU;
  ReverseProcess cpu(oracle, GaussianDiffusion(schedule), {2}, options);
  options.device = torch::kCUDA;
  ReverseProcess cuda(oracle, GaussianDiffusion(schedule), {2}, options);  // the diffusion moves itself
  const auto a = run_all(cpu), b = run_all(cuda);
  QVERIFY2((a - b).abs().max().item<double>() < 1e-4, qPrintable(QString::number((a - b).abs().max().item<double>())));
}

QTEST_GUILESS_MAIN(TestReverseProcess)
#include "test_reverse_process.moc"
