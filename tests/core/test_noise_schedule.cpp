// NoiseSchedule against an independent computation: every column recomputed here in
// long double with the textbook formulas (a direct running product for ᾱ, plain
// 1 − ratio for the cosine β), compared at relative error ≤ 1e-12.
#include "core/schedule/betas_file.h"
#include "core/schedule/noise_schedule.h"
#include "core/schedule/schedule_table.h"
#include "core/util/error.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <sstream>

using namespace ddpm;
Q_DECLARE_METATYPE(ddpm::ScheduleSpec)

namespace {

using Real = long double;
const Real kPi = 3.141592653589793238462643383279502884L;

std::vector<Real> reference_betas(const ScheduleSpec& spec) {
  const std::int64_t T = spec.kind == ScheduleKind::Custom ? std::int64_t(spec.custom_betas.size()) : spec.steps;
  std::vector<Real> betas(static_cast<std::size_t>(T));
  const Real b0 = spec.beta_start, b1 = spec.beta_end;
  for (std::int64_t i = 0; i < T; ++i) {
    const Real frac = T == 1 ? 0.0L : Real(i) / Real(T - 1);
    Real beta = 0;
    switch (spec.kind) {
      case ScheduleKind::Linear: beta = b0 + (b1 - b0) * frac; break;
      case ScheduleKind::Quadratic: {
        const Real r = std::sqrt(b0) + (std::sqrt(b1) - std::sqrt(b0)) * frac;
        beta = r * r;
        break;
      }
      case ScheduleKind::Sigmoid: beta = b0 + (b1 - b0) / (1 + std::exp(-(-6 + 12 * frac))); break;
      case ScheduleKind::Cosine: {
        const Real s = spec.cosine_s;
        auto f = [&](Real t) {
          const Real c = std::cos((t / Real(T) + s) / (1 + s) * kPi / 2);
          return c * c;
        };
        beta = std::min<Real>(1 - f(Real(i + 1)) / f(Real(i)), 0.999L);
        break;
      }
      case ScheduleKind::Custom: beta = spec.custom_betas[static_cast<std::size_t>(i)]; break;
    }
    betas[static_cast<std::size_t>(i)] = beta;
  }
  return betas;
}

void compare(const char* name, const std::vector<double>& actual, const std::vector<Real>& expected) {
  QCOMPARE(actual.size(), expected.size());
  for (std::size_t t = 0; t < actual.size(); ++t) {
    const Real e = expected[t];
    const Real error = e == 0 ? std::fabs(Real(actual[t])) : std::fabs((Real(actual[t]) - e) / e);
    if (!(error <= 1e-12L))
      QFAIL(qPrintable(QString("%1[%2] = %3, expected %4 (relative error %5)")
                           .arg(name).arg(t).arg(actual[t], 0, 'g', 17).arg(double(e), 0, 'g', 17).arg(double(error))));
  }
}

ScheduleSpec spec_of(ScheduleKind kind, std::int64_t steps, double b0 = 1e-4, double b1 = 0.02) {
  ScheduleSpec spec;
  spec.kind = kind;
  spec.steps = steps;
  spec.beta_start = b0;
  spec.beta_end = b1;
  return spec;
}

}  // namespace

class TestNoiseSchedule : public QObject {
  Q_OBJECT

 private slots:
  void columns_matchIndependentLongDoubleFormulas_data() {
    QTest::addColumn<ScheduleSpec>("spec");
    QTest::newRow("linear T=1000 (paper)") << spec_of(ScheduleKind::Linear, 1000);
    QTest::newRow("linear T=10") << spec_of(ScheduleKind::Linear, 10, 1e-3, 0.2);
    QTest::newRow("linear T=4000") << spec_of(ScheduleKind::Linear, 4000, 2.5e-5, 0.005);
    QTest::newRow("cosine T=1000") << spec_of(ScheduleKind::Cosine, 1000);
    QTest::newRow("cosine T=50") << spec_of(ScheduleKind::Cosine, 50);
    QTest::newRow("quadratic T=1000") << spec_of(ScheduleKind::Quadratic, 1000);
    QTest::newRow("sigmoid T=1000") << spec_of(ScheduleKind::Sigmoid, 1000, 1e-4, 0.02);
    QTest::newRow("constant T=300") << spec_of(ScheduleKind::Linear, 300, 0.01, 0.01);
    ScheduleSpec custom;
    custom.kind = ScheduleKind::Custom;
    custom.custom_betas = {0.001, 0.01, 0.1, 0.5, 0.9};
    QTest::newRow("custom 5 values") << custom;
    QTest::newRow("linear T=2") << spec_of(ScheduleKind::Linear, 2, 0.1, 0.5);
  }

  void columns_matchIndependentLongDoubleFormulas() {
    QFETCH(ScheduleSpec, spec);
    const NoiseSchedule s(spec);
    const std::vector<Real> beta = reference_betas(spec);
    const std::size_t T = beta.size();
    std::vector<Real> alpha(T), alpha_bar(T), alpha_bar_prev(T), sqrt_ab(T), sqrt_1mab(T), post_var(T), post_log(T),
        coef1(T), coef2(T), snr(T), sqrt_recip_alpha(T), eps_weight(T);
    Real product = 1;
    for (std::size_t t = 0; t < T; ++t) {
      alpha[t] = 1 - beta[t];
      alpha_bar_prev[t] = product;
      product *= alpha[t];  // direct running product, unlike core's log-sum
      alpha_bar[t] = product;
    }
    for (std::size_t t = 0; t < T; ++t) {
      sqrt_ab[t] = std::sqrt(alpha_bar[t]);
      sqrt_1mab[t] = std::sqrt(1 - alpha_bar[t]);
      post_var[t] = beta[t] * (1 - alpha_bar_prev[t]) / (1 - alpha_bar[t]);
      coef1[t] = beta[t] * std::sqrt(alpha_bar_prev[t]) / (1 - alpha_bar[t]);
      coef2[t] = (1 - alpha_bar_prev[t]) * std::sqrt(alpha[t]) / (1 - alpha_bar[t]);
      snr[t] = alpha_bar[t] / (1 - alpha_bar[t]);
      sqrt_recip_alpha[t] = 1 / std::sqrt(alpha[t]);          // eq. 11
      eps_weight[t] = beta[t] / std::sqrt(1 - alpha_bar[t]);  // eq. 11
    }
    for (std::size_t t = 0; t < T; ++t) post_log[t] = std::log(t > 0 ? post_var[t] : (T > 1 ? post_var[1] : beta[0]));

    compare("beta", s.beta, beta);
    compare("alpha", s.alpha, alpha);
    compare("alpha_bar", s.alpha_bar, alpha_bar);
    compare("alpha_bar_prev", s.alpha_bar_prev, alpha_bar_prev);
    compare("sqrt_alpha_bar", s.sqrt_alpha_bar, sqrt_ab);
    compare("sqrt_one_minus_alpha_bar", s.sqrt_one_minus_alpha_bar, sqrt_1mab);
    compare("posterior_variance", s.posterior_variance, post_var);
    compare("posterior_log_variance_clipped", s.posterior_log_variance_clipped, post_log);
    compare("posterior_mean_coef1", s.posterior_mean_coef1, coef1);
    compare("posterior_mean_coef2", s.posterior_mean_coef2, coef2);
    compare("snr", s.snr, snr);
    compare("sqrt_recip_alpha", s.sqrt_recip_alpha, sqrt_recip_alpha);
    compare("beta_over_sqrt_one_minus_alpha_bar", s.beta_over_sqrt_one_minus_alpha_bar, eps_weight);
    // log SNR crosses 0, so its error is measured against max(1, |log SNR|).
    QCOMPARE(s.log_snr.size(), T);
    for (std::size_t t = 0; t < T; ++t) {
      const Real expected = std::log(snr[t]);
      QVERIFY2(std::fabs(Real(s.log_snr[t]) - expected) <= 1e-12L * std::max<Real>(1, std::fabs(expected)),
               qPrintable(QString("log_snr[%1] = %2, expected %3").arg(t).arg(s.log_snr[t], 0, 'g', 17)
                              .arg(double(expected), 0, 'g', 17)));
    }
    QCOMPARE(s.alpha_bar_prev[0], 1.0);
    QCOMPARE(s.posterior_variance[0], 0.0);
  }

  void timesteps_isTWhateverTheKind() {
    for (ScheduleKind kind : {ScheduleKind::Linear, ScheduleKind::Cosine, ScheduleKind::Quadratic, ScheduleKind::Sigmoid}) {
      const ScheduleSpec spec = spec_of(kind, 37);
      QCOMPARE(spec.timesteps(), std::int64_t(37));
      QCOMPARE(NoiseSchedule(spec).steps(), spec.timesteps());
    }
    ScheduleSpec custom;  // steps keeps its default 1000: the list decides T
    custom.kind = ScheduleKind::Custom;
    custom.custom_betas = {0.001, 0.01, 0.1, 0.5, 0.9};
    QCOMPARE(custom.timesteps(), std::int64_t(5));
    const NoiseSchedule schedule(custom);
    QCOMPARE(schedule.steps(), std::int64_t(5));
    QCOMPARE(schedule.spec().steps, std::int64_t(5));
    QCOMPARE(schedule.spec().timesteps(), std::int64_t(5));
    custom.custom_betas.clear();
    QCOMPARE(custom.timesteps(), std::int64_t(0));
    ScheduleSpec linearWithList = spec_of(ScheduleKind::Linear, 12);
    linearWithList.custom_betas = {0.1, 0.2};  // ignored unless the kind is Custom
    QCOMPARE(linearWithList.timesteps(), std::int64_t(12));
  }

  void linearPaperSchedule_hasKnownAlphaBarT() {
    const NoiseSchedule s;  // the paper's default
    QCOMPARE(s.steps(), std::int64_t(1000));
    QCOMPARE(s.beta.front(), 1e-4);
    QCOMPARE(s.beta.back(), 0.02);
    QVERIFY2(std::fabs(s.alpha_bar.back() - 4.04e-5) < 0.01e-5, qPrintable(QString::number(s.alpha_bar.back())));
    QVERIFY(s.warnings().empty());
  }

  void cosineSchedule_clipsBetaAt0999() {
    ScheduleSpec spec = spec_of(ScheduleKind::Cosine, 1000);
    const NoiseSchedule s(spec);
    QCOMPARE(s.beta.back(), 0.999);
    for (std::size_t t = 0; t + 1 < s.beta.size(); ++t) QVERIFY(s.beta[t] < 0.999);
    // ᾱ of the cosine schedule before clipping follows f(t)/f(0) closely.
    const double expected = std::pow(std::cos((0.5 + 0.008) / 1.008 * M_PI / 2), 2) /
                            std::pow(std::cos(0.008 / 1.008 * M_PI / 2), 2);
    QVERIFY(std::fabs(s.alpha_bar[499] - expected) < 1e-12);
  }

  void invalidSpecs_areRefusedWithReason_data() {
    QTest::addColumn<ScheduleSpec>("spec");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("T = 0") << spec_of(ScheduleKind::Linear, 0) << "between 1 and 100000";
    QTest::newRow("T huge") << spec_of(ScheduleKind::Linear, 100001) << "between 1 and 100000";
    QTest::newRow("beta_start 0") << spec_of(ScheduleKind::Linear, 10, 0.0, 0.02) << "beta_start must be a number in (0, 1)";
    QTest::newRow("beta_end 1") << spec_of(ScheduleKind::Linear, 10, 1e-4, 1.0) << "beta_end must be a number in (0, 1)";
    QTest::newRow("beta NaN") << spec_of(ScheduleKind::Quadratic, 10, std::nan(""), 0.02) << "beta_start";
    QTest::newRow("beta inf") << spec_of(ScheduleKind::Sigmoid, 10, 1e-4, INFINITY) << "beta_end";
    QTest::newRow("start > end") << spec_of(ScheduleKind::Linear, 10, 0.5, 0.1) << "must not exceed beta_end";
    ScheduleSpec cosine = spec_of(ScheduleKind::Cosine, 10);
    cosine.cosine_s = -0.1;
    QTest::newRow("cosine s < 0") << cosine << "cosine offset s";
    ScheduleSpec empty;
    empty.kind = ScheduleKind::Custom;
    QTest::newRow("custom empty") << empty << "has no β values";
    ScheduleSpec bad = empty;
    bad.custom_betas = {0.1, 1.5};
    QTest::newRow("custom beta 1.5") << bad << "beta at t = 1";
  }

  void invalidSpecs_areRefusedWithReason() {
    QFETCH(ScheduleSpec, spec);
    QFETCH(QString, fragment);
    try {
      NoiseSchedule s(spec);
      QFAIL("expected ddpm::Error");
    } catch (const Error& e) {
      QVERIFY2(QString::fromUtf8(e.what()).contains(fragment), e.what());
    }
  }

  void alphaBarFarFromZero_isAWarningNotAnError() {
    const NoiseSchedule s(spec_of(ScheduleKind::Linear, 10));
    QCOMPARE(s.warnings().size(), std::size_t(1));
    QVERIFY(QString::fromStdString(s.warnings()[0]).contains("x_T is not pure noise"));
    QVERIFY(QString::fromStdString(s.warnings()[0]).startsWith(QStringLiteral("ᾱ_T = 0.90")));
  }

  void betasText_parsesCommentsBlankLinesAndCommas() {
    const auto betas = parse_betas("# my schedule\n0.001\n\n0.002, 0.003 # two more\n0.5\n", "mine.txt");
    QCOMPARE(betas, (std::vector<double>{0.001, 0.002, 0.003, 0.5}));
  }

  void betasText_errorsNameTheLine_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("not a number") << "0.1\n0.2\nabc\n" << "b.txt:3: 'abc' is not a number";
    QTest::newRow("out of range") << "0.1\n\n1.5\n" << "b.txt:3: beta 1.5 is outside (0, 1)";
    QTest::newRow("negative") << "-0.1\n" << "b.txt:1:";
    QTest::newRow("empty") << "" << "b.txt: no beta values found";
    QTest::newRow("only comments") << "# nothing\n\n" << "no beta values found";
    QTest::newRow("trailing junk") << "0.1x\n" << "b.txt:1: '0.1x' is not a number";
  }

  void betasText_errorsNameTheLine() {
    QFETCH(QString, text);
    QFETCH(QString, fragment);
    try {
      parse_betas(text.toStdString(), "b.txt");
      QFAIL("expected ddpm::Error");
    } catch (const Error& e) {
      QVERIFY2(QString::fromUtf8(e.what()).contains(fragment), e.what());
    }
  }

  void missingBetasFile_saysCannotRead() {
    try {
      read_betas_file("/nonexistent/betas.txt");
      QFAIL("expected ddpm::Error");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("cannot read beta schedule '/nonexistent/betas.txt'"), e.what());
    }
  }

  void csvTable_hasContractHeaderAndRoundTripsDigits() {
    const NoiseSchedule s(spec_of(ScheduleKind::Cosine, 20));
    const QStringList lines = QString::fromStdString(schedule_to_csv(s)).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.first(), QStringLiteral(
        "t,beta,alpha,alpha_bar,alpha_bar_prev,sqrt_alpha_bar,sqrt_one_minus_alpha_bar,posterior_variance,"
        "posterior_log_variance_clipped,posterior_mean_coef1,posterior_mean_coef2,snr"));
    QCOMPARE(lines.size(), 21);
    for (int t = 0; t < 20; ++t) {
      const QStringList cells = lines[t + 1].split(',');
      QCOMPARE(cells.size(), 12);
      QCOMPARE(cells[0].toInt(), t);
      QCOMPARE(cells[3].toDouble(), s.alpha_bar[std::size_t(t)]);  // 17 digits: exact round trip
      QCOMPARE(cells[11].toDouble(), s.snr[std::size_t(t)]);
    }
  }
};

QTEST_GUILESS_MAIN(TestNoiseSchedule)
#include "test_noise_schedule.moc"
