// The forward process q against its definition: moments of q(x_t | x_0) (eq. 4), the
// posterior q(x_{t−1} | x_t, x_0) (eq. 6–7) checked by simulation of the Markov chain
// itself, and the inverse maps from ε to x_0.
#include "core/diffusion/gaussian_diffusion.h"
#include "core/diffusion/q_sample_variance.h"
#include "core/runtime/random.h"
#include "core/util/error.h"

#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace ddpm;

namespace {

// Sample mean and (population) variance of all elements, in double.
std::pair<double, double> moments(const torch::Tensor& x) {
  const auto d = x.to(torch::kFloat64);
  return {d.mean().item<double>(), d.var(/*unbiased=*/false).item<double>()};
}

}  // namespace

class TestGaussianDiffusion : public QObject {
  Q_OBJECT

 private slots:
  void qSampleAtLastStep_isStandardNormal() {
    // n = 10⁶ scalars: the standard error of the mean is 1e-3 and of the variance
    // √2·1e-3; tolerances are 5 standard errors.
    const GaussianDiffusion diffusion{NoiseSchedule{}};
    auto generator = make_generator(7);
    const auto x0 = torch::full({1000, 1000}, 0.8f);
    const std::int64_t T = diffusion.steps();
    const auto xt = diffusion.q_sample(x0, T - 1, randn_like(x0, generator));
    const auto [mean, variance] = moments(xt);
    const double sqrt_ab = diffusion.schedule().sqrt_alpha_bar.back();
    QVERIFY2(std::fabs(mean - sqrt_ab * 0.8) < 5e-3, qPrintable(QString::number(mean)));
    QVERIFY2(std::fabs(variance - (1 - diffusion.schedule().alpha_bar.back())) < 5 * std::sqrt(2.0) * 1e-3,
             qPrintable(QString::number(variance)));
    QVERIFY(std::fabs(mean) < 1e-2);
    QVERIFY(std::fabs(variance - 1.0) < 1e-2);
  }

  void qSampleAtMidStep_hasEq4Moments() {
    const GaussianDiffusion diffusion{NoiseSchedule{}};
    auto generator = make_generator(3);
    const auto x0 = torch::full({500, 1000}, -0.5f);
    const std::int64_t t = 300;
    const auto [mean, variance] = moments(diffusion.q_sample(x0, t, randn_like(x0, generator)));
    const double ab = diffusion.schedule().alpha_bar[t];
    const double n = 5e5;
    QVERIFY(std::fabs(mean - std::sqrt(ab) * -0.5) < 5 * std::sqrt((1 - ab) / n));
    QVERIFY(std::fabs(variance - (1 - ab)) < 5 * std::sqrt(2.0 / n) * (1 - ab));
  }

  void qSampleAtFirstStep_staysCloseToData() {
    const GaussianDiffusion diffusion{NoiseSchedule{}};
    auto generator = make_generator(1);
    const auto x0 = torch::rand({64, 1, 28, 28}, torch::kFloat32) * 2 - 1;
    const auto xt = diffusion.q_sample(x0, 0, randn_like(x0, generator));
    // t = 0: √(1 − ᾱ) = √β_1 = 0.01, so |x_t − x_0| < 6σ + the shrink of √ᾱ ≈ 1e-4.
    QVERIFY((xt - x0).abs().max().item<double>() < 0.06 + 1e-4);
  }

  void sameSeed_givesSameNoise_differentSeedDoesNot() {
    const GaussianDiffusion diffusion{NoiseSchedule{}};
    const auto x0 = torch::zeros({4, 2});
    auto a = make_generator(42), b = make_generator(42), c = make_generator(43);
    const auto xa = diffusion.q_sample(x0, 500, randn_like(x0, a));
    const auto xb = diffusion.q_sample(x0, 500, randn_like(x0, b));
    const auto xc = diffusion.q_sample(x0, 500, randn_like(x0, c));
    QVERIFY(torch::equal(xa, xb));
    QVERIFY(!torch::equal(xa, xc));
  }

  void perRowTimesteps_useTheirOwnCoefficients() {
    const GaussianDiffusion diffusion{NoiseSchedule{}};
    const auto x0 = torch::ones({3, 2});
    const auto eps = torch::ones({3, 2});
    const auto t = torch::tensor({0, 500, 999}, torch::kLong);
    const auto xt = diffusion.q_sample(x0, t, eps);
    const auto& s = diffusion.schedule();
    for (int i = 0; i < 3; ++i) {
      const auto ti = static_cast<std::size_t>(t[i].item<std::int64_t>());
      QVERIFY(std::fabs(xt[i][1].item<double>() - (s.sqrt_alpha_bar[ti] + s.sqrt_one_minus_alpha_bar[ti])) < 1e-6);
    }
  }

  void posterior_matchesSimulatedMarkovChain() {
    // Simulate the chain itself: x_{t−1} ~ q(x_{t−1}|x_0) (eq. 4), then one forward step
    // x_t = √α_t x_{t−1} + √β_t z. The residual x_{t−1} − μ̃(x_0, x_t) must then have
    // mean 0, variance β̃_t and no correlation with x_t (eq. 6–7 as a regression).
    const GaussianDiffusion diffusion{NoiseSchedule{}};
    const auto& s = diffusion.schedule();
    const std::int64_t n = 400000, t = 100;
    auto generator = make_generator(11);
    const auto x0 = torch::full({n, 1}, 0.7f);
    const auto x_prev = diffusion.q_sample(x0, t - 1, randn_like(x0, generator)).to(torch::kFloat64);
    const auto x_t = std::sqrt(s.alpha[t]) * x_prev + std::sqrt(s.beta[t]) * randn_like(x_prev, generator);
    const auto post = diffusion.q_posterior(x0.to(torch::kFloat64), x_t, timesteps(t, n));
    const auto residual = x_prev - post.mean.to(torch::kFloat64);
    const auto [mean, variance] = moments(residual);
    const double beta_tilde = s.posterior_variance[t];
    QVERIFY2(std::fabs(mean) < 5 * std::sqrt(beta_tilde / n), qPrintable(QString::number(mean)));
    QVERIFY2(std::fabs(variance / beta_tilde - 1) < 5 * std::sqrt(2.0 / n), qPrintable(QString::number(variance / beta_tilde)));
    const double covariance = ((residual - mean) * (x_t - x_t.mean())).mean().item<double>();
    const double x_std = x_t.std().item<double>();
    QVERIFY(std::fabs(covariance / (std::sqrt(variance) * x_std)) < 5 / std::sqrt(double(n)));
    QVERIFY(std::fabs(post.variance[0][0].item<double>() - beta_tilde) < 1e-6 * beta_tilde);  // float32 column
  }

  void posteriorAtFirstStep_isTheData() {
    const GaussianDiffusion diffusion{NoiseSchedule{}};
    const auto x0 = torch::tensor({{0.25, -0.5}});
    const auto xt = torch::tensor({{3.0, 1.0}});
    const auto post = diffusion.q_posterior(x0, xt, timesteps(0, 1));
    QVERIFY(torch::allclose(post.mean, x0, 1e-6, 1e-6));
    QCOMPARE(post.variance[0][0].item<double>(), 0.0);
    QVERIFY(std::isfinite(post.log_variance[0][0].item<double>()));
  }

  void predictX0FromEps_invertsQSample() {
    const GaussianDiffusion diffusion{NoiseSchedule{}};
    auto generator = make_generator(5);
    const auto x0 = torch::rand({8, 3, 4, 4}) * 2 - 1;
    const auto eps = randn_like(x0, generator);
    const auto t = torch::tensor({0, 10, 100, 200, 300, 400, 500, 600}, torch::kLong);
    const auto xt = diffusion.q_sample(x0, t, eps);
    QVERIFY(torch::allclose(diffusion.predict_x0_from_eps(xt, t, eps), x0, 1e-4, 1e-4));
    QVERIFY(torch::allclose(diffusion.predict_eps_from_x0(xt, t, x0), eps, 1e-3, 1e-3));
  }

  void clippedX0_isTheClampedPrediction() {
    const GaussianDiffusion diffusion{NoiseSchedule{}};
    auto generator = make_generator(8);
    const auto xt = randn({6, 5}, generator) * 3.0, eps = randn({6, 5}, generator);
    const auto t = torch::tensor({0, 1, 200, 500, 800, 999}, torch::kLong);
    const auto x0 = diffusion.predict_x0_from_eps(xt, t, eps);
    QVERIFY(x0.abs().max().item<double>() > 1.0);  // something to clip
    QVERIFY(torch::equal(diffusion.predict_x0_from_eps(xt, t, eps, false), x0));
    QVERIFY(torch::equal(diffusion.predict_x0_from_eps(xt, t, eps, true), torch::clamp(x0, -1.0, 1.0)));
  }

  void pMean_isEq11_orEq7OnTheClippedX0() {
    // μ_θ written out per element from the schedule's double columns: eq. 11 unclipped,
    // eq. 7 with x̂_0 = clamp((x_t − √(1 − ᾱ_t) ε) / √ᾱ_t) when clipping.
    const GaussianDiffusion diffusion{NoiseSchedule{}};
    const auto& s = diffusion.schedule();
    auto generator = make_generator(9);
    const auto xt = randn({5, 4}, generator) * 2.0, eps = randn({5, 4}, generator);
    const std::vector<std::int64_t> steps = {0, 3, 250, 600, 999};
    const auto t = torch::tensor(steps, torch::kLong);
    const auto plain = diffusion.p_mean(xt, t, eps, false).to(torch::kFloat64);
    const auto clipped = diffusion.p_mean(xt, t, eps, true).to(torch::kFloat64);
    const auto given = diffusion.p_mean(xt, t, eps, true, diffusion.predict_x0_from_eps(xt, t, eps, true));
    QVERIFY(torch::equal(given, diffusion.p_mean(xt, t, eps, true)));
    QVERIFY(torch::equal(diffusion.p_mean(xt, t, eps, false), diffusion.p_mean_from_eps(xt, t, eps)));
    for (std::size_t row = 0; row < steps.size(); ++row) {
      const auto i = static_cast<std::size_t>(steps[row]);
      const double alpha = 1.0 - s.beta[i], alpha_bar = s.alpha_bar[i], alpha_bar_prev = i > 0 ? s.alpha_bar[i - 1] : 1.0;
      for (std::int64_t col = 0; col < 4; ++col) {
        const double x = xt[row][col].item<double>(), e = eps[row][col].item<double>();
        const double eq11 = (x - s.beta[i] / std::sqrt(1.0 - alpha_bar) * e) / std::sqrt(alpha);
        const double x0 = std::clamp((x - std::sqrt(1.0 - alpha_bar) * e) / std::sqrt(alpha_bar), -1.0, 1.0);
        const double eq7 = std::sqrt(alpha_bar_prev) * s.beta[i] / (1.0 - alpha_bar) * x0 +
                           std::sqrt(alpha) * (1.0 - alpha_bar_prev) / (1.0 - alpha_bar) * x;
        const double got11 = plain[row][col].item<double>(), got7 = clipped[row][col].item<double>();
        QVERIFY2(std::fabs(got11 - eq11) <= 1e-4 * std::max(1.0, std::fabs(eq11)),
                 qPrintable(QString("eq. 11 at t = %1: %2, expected %3").arg(i).arg(got11).arg(eq11)));
        QVERIFY2(std::fabs(got7 - eq7) <= 1e-4 * std::max(1.0, std::fabs(eq7)),
                 qPrintable(QString("eq. 7 at t = %1: %2, expected %3").arg(i).arg(got7).arg(eq7)));
      }
    }
  }

  void qSampleVariance_isAlphaBarVarX0PlusOneMinusAlphaBar() {
    const NoiseSchedule schedule;
    double alpha_bar = 1.0;  // direct running product of α_s
    for (std::int64_t t = 0; t < schedule.steps(); ++t) {
      alpha_bar *= 1.0 - schedule.beta[static_cast<std::size_t>(t)];
      for (double v : {0.0, 0.25, 1.0, 4.0}) {
        const double expected = alpha_bar * v + (1.0 - alpha_bar);
        QVERIFY(std::fabs(q_sample_variance(schedule, t, v) - expected) <= 1e-12 * expected);
      }
    }
    // And by simulation at one t: x_0 ~ N(0.3, 0.5²), 4·10⁵ draws, 5 standard errors.
    const GaussianDiffusion diffusion(schedule);
    auto generator = make_generator(12);
    const std::int64_t n = 400000, t = 150;
    const auto x0 = randn({n, 1}, generator) * 0.5 + 0.3;
    const double variance = moments(diffusion.q_sample(x0, t, randn_like(x0, generator))).second;
    const double expected = q_sample_variance(schedule, t, 0.25);
    QVERIFY2(std::fabs(variance / expected - 1.0) < 5 * std::sqrt(2.0 / n), qPrintable(QString::number(variance)));
  }

  void timestepOutsideRange_isAnError() {
    const GaussianDiffusion diffusion{NoiseSchedule{}};
    const auto x0 = torch::zeros({2, 2});
    QVERIFY_THROWS_EXCEPTION(Error, diffusion.q_sample(x0, 1000, x0));
    QVERIFY_THROWS_EXCEPTION(Error, diffusion.q_sample(x0, -1, x0));
  }
};

QTEST_GUILESS_MAIN(TestGaussianDiffusion)
#include "test_gaussian_diffusion.moc"
