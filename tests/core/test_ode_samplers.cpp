// The probability-flow ODE samplers (DPM-Solver++(2M), Euler, Heun) against the exact
// ODE solution for Gaussian data, their coefficients against the papers' expressions,
// and their bookkeeping (network evaluations, names, bad input).
// Torch and core headers before <QtTest>: Qt's `slots` macro breaks ATen otherwise.
#include "core/diffusion/gaussian_diffusion.h"
#include "core/sampling/ode_steps.h"
#include "core/sampling/reverse_process.h"
#include "core/util/error.h"
#include "core_test_support.h"
#include "oracle_denoiser.h"

#include <QtTest>

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <vector>

using namespace ddpm;
using ddpm::test::test_device;

namespace {

constexpr double kDataMean = 0.5;
constexpr double kDataStd = 0.6;

SamplerOptions ode_options(SamplerKind kind, std::int64_t K, std::int64_t n = 256, std::uint64_t seed = 5) {
  SamplerOptions o;
  o.kind = kind;
  o.steps = K;
  o.n = n;
  o.seed = seed;
  o.device = test_device();
  return o;
}

torch::Tensor run(ReverseProcess& process) {
  if (run_to_end(process) != RunStatus::Completed) throw std::runtime_error("run did not complete");
  return process.sample().cpu().to(torch::kFloat64);
}

/// Where the exact probability-flow ODE for data N(m, s²) takes x_T, per dimension, to
/// the last code index 0, followed by the step every solver here ends with (index 0 to
/// the data, x_0 = x̂_0(x_t), first order: its interval does not shrink with K, so it is
/// part of the reference rather than of the error).
/// With x̃ = x/√ᾱ and σ̃² = (1 − ᾱ)/ᾱ, x̃ = x_0 + σ̃ ε is N(m, s² + σ̃²) and the oracle's
/// slope is dx̃/dσ̃ = E[ε | x̃] = σ̃ (x̃ − m)/(s² + σ̃²), so (x̃ − m)/√(s² + σ̃²) is constant
/// along the solution: x̃(σ̃_0) = m + (x̃_T − m) √(s² + σ̃_0²)/√(s² + σ̃_T²). The last step
/// x̂_0 = x̃ − σ̃ E[ε | x̃] = m + (x̃ − m) s²/(s² + σ̃²) then gives
/// m + (x̃_T − m) s²/(√(s² + σ̃_0²) √(s² + σ̃_T²)).
torch::Tensor exact_ode_end(const NoiseSchedule& schedule, const torch::Tensor& x_T) {
  auto sigma2 = [&](std::size_t i) { return schedule.one_minus_alpha_bar[i] / schedule.alpha_bar[i]; };
  const std::size_t last = schedule.alpha_bar.size() - 1;
  const double s2 = kDataStd * kDataStd;
  const auto x_tilde = x_T.to(torch::kFloat64) / std::sqrt(schedule.alpha_bar[last]);
  return kDataMean + (x_tilde - kDataMean) * (s2 / std::sqrt((s2 + sigma2(0)) * (s2 + sigma2(last))));
}

/// Mean absolute error of a K-step run against the exact ODE end point.
double ode_error(SamplerKind kind, std::int64_t K, const NoiseSchedule& schedule) {
  const GaussianDiffusion diffusion(schedule, test_device());
  auto oracle = test::make_oracle(schedule, kDataMean, kDataStd, {2});
  ReverseProcess process(oracle, diffusion, {2}, ode_options(kind, K));
  const auto x_T = process.sample().cpu();
  return (run(process) - exact_ode_end(schedule, x_T)).abs().mean().item<double>();
}

}  // namespace

class TestOdeSamplers : public QObject {
  Q_OBJECT

 private slots:
  void errorAgainstExactOde_fallsAtTheMethodsOrder_data();
  void errorAgainstExactOde_fallsAtTheMethodsOrder();
  void euler_isDdimWithEtaZero();
  void dpmSolverFirstStep_isDdimWithEtaZero_thenSecondOrder();
  void dpmSolverCoefficients_matchTheLogSnrForm();
  void heun_evaluatesTheNetworkTwicePerStepButTheLast();
  void continueFrom_restartsDpmSolverAtFirstOrder();
  void logSnrSpacing_isEvenInLambda_distinct_andFromTMinus1To0();
  void names_roundTrip_andUnknownNamesAreRefused();
  void stepCount_outOfRange_isRefusedWithTheSamplersName();
};

void TestOdeSamplers::errorAgainstExactOde_fallsAtTheMethodsOrder_data() {
  QTest::addColumn<int>("kind");
  QTest::addColumn<double>("order");
  QTest::newRow("euler") << int(SamplerKind::Euler) << 1.0;
  QTest::newRow("heun") << int(SamplerKind::Heun) << 2.0;
  QTest::newRow("dpm-solver++(2m)") << int(SamplerKind::DPMSolverPP) << 2.0;
}

void TestOdeSamplers::errorAgainstExactOde_fallsAtTheMethodsOrder() {
  QFETCH(int, kind);
  QFETCH(double, order);
  // T = 1000, the paper's linear schedule. The observed order log2(e_K / e_2K) over K =
  // 50 → 100 → 200 must be within 0.35 of the method's order (a first-order method with
  // a bug in its second-order term would show 1, a wrong slope 0).
  const auto schedule = test::scaled_linear_schedule(1000);
  const double e50 = ode_error(SamplerKind(kind), 50, schedule);
  const double e100 = ode_error(SamplerKind(kind), 100, schedule);
  const double e200 = ode_error(SamplerKind(kind), 200, schedule);
  const double p1 = std::log2(e50 / e100), p2 = std::log2(e100 / e200);
  qInfo("%s: error %.3g, %.3g, %.3g at K = 50, 100, 200; observed order %.2f, %.2f",
        display_name(SamplerKind(kind)).c_str(), e50, e100, e200, p1, p2);
  QVERIFY2(std::abs(p1 - order) < 0.35, qPrintable(QString::number(p1)));
  QVERIFY2(std::abs(p2 - order) < 0.35, qPrintable(QString::number(p2)));
  QVERIFY(e200 < 0.05);
}

void TestOdeSamplers::euler_isDdimWithEtaZero() {
  const auto schedule = test::scaled_linear_schedule(200);
  const GaussianDiffusion diffusion(schedule, test_device());
  auto oracle = test::make_oracle(schedule, kDataMean, kDataStd, {3});
  for (const std::int64_t K : {1, 7, 40}) {
    ReverseProcess euler(oracle, diffusion, {3}, ode_options(SamplerKind::Euler, K, 64));
    ReverseProcess ddim(oracle, diffusion, {3}, ode_options(SamplerKind::DDIM, K, 64));
    const auto a = run(euler), b = run(ddim);
    QVERIFY2(torch::allclose(a, b, 1e-5, 1e-5), qPrintable(QString::number((a - b).abs().max().item<double>())));
    QCOMPARE(euler.evaluations(), K);
  }
}

void TestOdeSamplers::dpmSolverFirstStep_isDdimWithEtaZero_thenSecondOrder() {
  const auto schedule = test::scaled_linear_schedule(200);
  const GaussianDiffusion diffusion(schedule, test_device());
  auto oracle = test::make_oracle(schedule, kDataMean, kDataStd, {3});
  ReverseProcess dpm(oracle, diffusion, {3}, ode_options(SamplerKind::DPMSolverPP, 10, 64));
  ReverseProcess ddim(oracle, diffusion, {3}, ode_options(SamplerKind::DDIM, 10, 64));
  dpm.step();
  ddim.step();
  QVERIFY(torch::allclose(dpm.sample(), ddim.sample(), 1e-5, 1e-5));
  // The second step uses the first step's x̂_0: written out here from Lu et al.'s
  // Algorithm 2 with λ = ½ log SNR taken from the schedule's own log_snr.
  const auto x0_first = dpm.predicted_x0().clone();
  const auto x_t = dpm.sample().clone();
  const auto seq = dpm.step_sequence();
  dpm.step();
  const std::int64_t u = seq[0], t = seq[1], s = seq[2];
  auto lambda = [&](std::int64_t i) { return 0.5 * schedule.log_snr[static_cast<std::size_t>(i)]; };
  const double h = lambda(s) - lambda(t), r = (lambda(t) - lambda(u)) / h;
  const auto D = (1.0 + 1.0 / (2.0 * r)) * dpm.predicted_x0() - (1.0 / (2.0 * r)) * x0_first;
  const double sigma_s = std::sqrt(schedule.one_minus_alpha_bar[static_cast<std::size_t>(s)]);
  const double sigma_t = std::sqrt(schedule.one_minus_alpha_bar[static_cast<std::size_t>(t)]);
  const double alpha_s = std::sqrt(schedule.alpha_bar[static_cast<std::size_t>(s)]);
  const auto expected = (sigma_s / sigma_t) * x_t - alpha_s * (std::exp(-h) - 1.0) * D;
  QVERIFY2(torch::allclose(dpm.sample(), expected, 1e-5, 1e-5),
           qPrintable(QString::number((dpm.sample() - expected).abs().max().item<double>())));
  QVERIFY((dpm.sample() - ddim.sample()).abs().max().item<double>() > 0.0);
}

void TestOdeSamplers::dpmSolverCoefficients_matchTheLogSnrForm() {
  const auto schedule = test::scaled_linear_schedule(1000);
  auto lambda = [&](std::int64_t i) { return 0.5 * schedule.log_snr[static_cast<std::size_t>(i)]; };
  for (const auto& [u, t, s] : std::vector<std::array<std::int64_t, 3>>{{999, 899, 799}, {300, 250, 10}, {40, 20, 0}}) {
    const auto c = dpm_solver_2m(schedule, u, t, s);
    const double h = lambda(s) - lambda(t), r = (lambda(t) - lambda(u)) / h;
    const double alpha_s = std::sqrt(schedule.alpha_bar[static_cast<std::size_t>(s)]);
    QVERIFY(std::abs(c.x - std::exp(lambda(t) - lambda(s)) * alpha_s /
                               std::sqrt(schedule.alpha_bar[static_cast<std::size_t>(t)])) < 1e-12);
    QVERIFY(std::abs(c.x0 + alpha_s * (std::exp(-h) - 1.0)) < 1e-12);
    QVERIFY(std::abs(c.current - (1.0 + 0.5 / r)) < 1e-12);
    QVERIFY(std::abs(c.previous + 0.5 / r) < 1e-12);
  }
  // To the data (s = −1) the step is first order and lands on x̂_0: x_0 = 0·x_t + 1·x̂_0.
  const auto last = dpm_solver_2m(schedule, 20, 0, -1);
  QCOMPARE(last.x, 0.0);
  QCOMPARE(last.x0, 1.0);
  QCOMPARE(last.current, 1.0);
  QCOMPARE(last.previous, 0.0);
}

void TestOdeSamplers::heun_evaluatesTheNetworkTwicePerStepButTheLast() {
  const auto schedule = test::scaled_linear_schedule(100);
  const GaussianDiffusion diffusion(schedule, test_device());
  for (const std::int64_t K : {1, 2, 10}) {
    auto oracle = test::make_oracle(schedule, kDataMean, kDataStd, {2});
    ReverseProcess heun(oracle, diffusion, {2}, ode_options(SamplerKind::Heun, K, 8));
    run(heun);
    QCOMPARE(oracle->calls, int(2 * K - 1));
    QCOMPARE(heun.evaluations(), 2 * K - 1);
    QCOMPARE(network_evaluations(SamplerKind::Heun, K), 2 * K - 1);
    QCOMPARE(network_evaluations(SamplerKind::DPMSolverPP, K), K);
    QCOMPARE(heun.sigma(), 0.0);
  }
}

void TestOdeSamplers::continueFrom_restartsDpmSolverAtFirstOrder() {
  // After continue_from the history belongs to another chain: a run continued from x_t
  // must equal a fresh run's steps from the same x_t, whatever it did before.
  const auto schedule = test::scaled_linear_schedule(100);
  const GaussianDiffusion diffusion(schedule, test_device());
  auto oracle = test::make_oracle(schedule, kDataMean, kDataStd, {2});
  auto options = ode_options(SamplerKind::DPMSolverPP, 10, 16);
  ReverseProcess a(oracle, diffusion, {2}, options), b(oracle, diffusion, {2}, options);
  for (int i = 0; i < 4; ++i) a.step();
  const auto x = a.sample().clone();
  const std::int64_t t = a.next_t();
  a.continue_from(x, t, 1);
  b.continue_from(x, t, 1);
  QVERIFY(torch::equal(run(a), run(b)));
}

void TestOdeSamplers::logSnrSpacing_isEvenInLambda_distinct_andFromTMinus1To0() {
  ScheduleSpec cosine;
  cosine.kind = ScheduleKind::Cosine;
  cosine.steps = 1000;
  for (const auto& schedule : {test::scaled_linear_schedule(1000), NoiseSchedule(cosine)}) {
    auto lambda = [&](std::int64_t i) {
      const auto k = static_cast<std::size_t>(i);
      return 0.5 * std::log(std::max(schedule.alpha_bar[k], 1e-300) / schedule.one_minus_alpha_bar[k]);
    };
    for (const std::int64_t K : {2, 10, 50, 999, 1000}) {
      SamplerOptions options = ode_options(SamplerKind::DPMSolverPP, K);
      options.spacing = StepSpacing::LogSnr;
      const auto seq = sampling_timesteps(options, schedule);
      QCOMPARE(std::int64_t(seq.size()), K);
      QCOMPARE(seq.front(), std::int64_t(999));
      QCOMPARE(seq.back(), std::int64_t(0));
      for (std::size_t i = 1; i < seq.size(); ++i) QVERIFY(seq[i] < seq[i - 1]);
      // Denser runs put several targets between the last indices (λ jumps by ~0.4 from
      // index 0 to 1), where distinctness, not the nearest λ, decides.
      if (K > 10) continue;
      // Each index is the nearest to its target λ: no free neighbour index (one no other
      // step took) comes closer. The cosine schedule's λ jumps from −9.9 to −6.5 at its
      // clipped last β, so there the second step must take the next free index.
      for (std::size_t i = 0; i < seq.size(); ++i) {
        const double target = lambda(999) + (lambda(0) - lambda(999)) * double(i) / double(K - 1);
        const std::int64_t t = seq[i];
        for (const std::int64_t n : {t - 1, t + 1})
          if (n >= 0 && n < 1000 && std::find(seq.begin(), seq.end(), n) == seq.end())
            QVERIFY2(std::abs(lambda(t) - target) <= std::abs(lambda(n) - target) + 1e-12,
                     qPrintable(QString("K %1, step %2: index %3 (λ %4), neighbour %5 (λ %6), target %7").arg(K).arg(i).arg(t).arg(lambda(t)).arg(n).arg(lambda(n)).arg(target)));
      }
    }
  }
  // The overload that knows only T cannot space by λ.
  SamplerOptions options = ode_options(SamplerKind::DPMSolverPP, 10);
  options.spacing = StepSpacing::LogSnr;
  QVERIFY_THROWS_EXCEPTION(Error, sampling_timesteps(options, 1000));
  QCOMPARE(default_spacing(SamplerKind::DPMSolverPP), StepSpacing::LogSnr);
  QCOMPARE(default_spacing(SamplerKind::DDIM), StepSpacing::Uniform);
}

void TestOdeSamplers::names_roundTrip_andUnknownNamesAreRefused() {
  for (const auto kind : all_sampler_kinds()) QCOMPARE(sampler_kind_from_string(to_string(kind)), kind);
  QCOMPARE(to_string(SamplerKind::DPMSolverPP), std::string("dpm-solver++"));
  QCOMPARE(display_name(SamplerKind::DPMSolverPP), std::string("DPM-Solver++(2M)"));
  try {
    sampler_kind_from_string("dpm-solver");
    QFAIL("an unknown sampler was accepted");
  } catch (const Error& e) {
    QCOMPARE(QString(e.what()), QString("unknown sampler 'dpm-solver': use ddpm, ddim, dpm-solver++, euler or heun"));
  }
}

void TestOdeSamplers::stepCount_outOfRange_isRefusedWithTheSamplersName() {
  const auto schedule = test::scaled_linear_schedule(25);
  const GaussianDiffusion diffusion(schedule, test_device());
  auto oracle = test::make_oracle(schedule, kDataMean, kDataStd, {2});
  try {
    ReverseProcess p(oracle, diffusion, {2}, ode_options(SamplerKind::Heun, 26));
    QFAIL("26 steps on T = 25 were accepted");
  } catch (const Error& e) {
    QCOMPARE(QString(e.what()), QString("the number of Heun steps must be between 1 and T = 25, got 26"));
  }
}

QTEST_GUILESS_MAIN(TestOdeSamplers)
#include "test_ode_samplers.moc"
