// LossHistory: the smoothed loss line against the bias-corrected EMA written out term
// by term, and the per-t bins against a direct count and mean; the loss chart keeps every
// loss it shows inside its axes.
#include "ui/training/loss_history.h"
#include "ui/training/loss_plot.h"

#include <qcustomplot.h>

#include <QtTest>

#include <cmath>
#include <vector>

using namespace ddpm::ui;

class TestLossHistory : public QObject {
  Q_OBJECT

 private slots:
  void smoothed_equalsBiasCorrectedMovingAverage();
  void smoothed_ofConstantLoss_isThatConstantFromTheFirstStep();
  void nonFiniteLosses_areSkipped();
  void bins_holdMeanLossOfTheirTimesteps();
  void reset_forgetsEverything();
  void lossPlot_keepsEveryLossInViewInsideTheChart();
};

void TestLossHistory::smoothed_equalsBiasCorrectedMovingAverage() {
  const double a = 0.9;
  LossHistory history(a, 10);
  history.reset(100);
  std::vector<double> losses;
  for (int i = 0; i < 40; ++i) losses.push_back(1.0 + std::sin(i * 0.7) + 0.02 * i);
  history.appendSteps(7, {losses.begin(), losses.begin() + 15});  // two reports, as the worker sends them
  history.appendSteps(22, {losses.begin() + 15, losses.end()});
  QCOMPARE(history.size(), std::size_t(40));
  for (int n = 1; n <= 40; ++n) {
    // s_n = Σ_{k=1..n} (1 − a) a^(n−k) ℓ_k / (1 − aⁿ)
    double sum = 0;
    for (int k = 1; k <= n; ++k) sum += (1 - a) * std::pow(a, n - k) * losses[static_cast<std::size_t>(k - 1)];
    const double expected = sum / (1 - std::pow(a, n));
    QVERIFY(std::abs(history.smoothed()[n - 1] - expected) < 1e-12);
    QCOMPARE(history.steps()[n - 1], double(7 + n - 1));
    QCOMPARE(history.raw()[n - 1], losses[static_cast<std::size_t>(n - 1)]);
  }
}

void TestLossHistory::smoothed_ofConstantLoss_isThatConstantFromTheFirstStep() {
  LossHistory history(0.98);
  history.reset(1000);
  history.appendSteps(1, std::vector<double>(5, 0.25));
  for (double s : history.smoothed()) QVERIFY(std::abs(s - 0.25) < 1e-15);
}

void TestLossHistory::nonFiniteLosses_areSkipped() {
  LossHistory history(0.5);
  history.reset(10);
  history.appendSteps(1, {1.0, NAN, 3.0, INFINITY});
  QCOMPARE(history.size(), std::size_t(2));
  QCOMPARE(history.steps()[1], 3.0);
  history.addSamples({0, 1, 2}, {1.0f, NAN, 2.0f});
  qint64 total = 0;
  for (int i = 0; i < history.binCount(); ++i) total += history.binSamples(i);
  QCOMPARE(total, qint64(2));
}

void TestLossHistory::bins_holdMeanLossOfTheirTimesteps() {
  const int T = 1000, bins = 20;
  LossHistory history(0.98, bins);
  history.reset(T);
  std::vector<int> t;
  std::vector<float> loss;
  for (int i = 0; i < 5000; ++i) {
    t.push_back((i * 37) % T);
    loss.push_back(static_cast<float>(1.0 / (1 + t.back())));
  }
  t.push_back(-1);      // out of range: ignored
  loss.push_back(9.0f);
  t.push_back(T);
  loss.push_back(9.0f);
  history.addSamples(t, loss);
  QCOMPARE(history.binCount(), bins);
  for (int b = 0; b < bins; ++b) {
    // Bin b holds t with ⌊t · 20 / 1000⌋ = b, i.e. 50 b ≤ t < 50 (b + 1).
    double sum = 0;
    qint64 count = 0;
    for (std::size_t k = 0; k + 2 < t.size(); ++k)
      if (t[k] >= 50 * b && t[k] < 50 * (b + 1)) {
        sum += loss[k];
        ++count;
      }
    QCOMPARE(history.binSamples(b), count);
    QVERIFY(std::abs(history.binMean(b) - sum / count) < 1e-9);
    QCOMPARE(history.binCentre(b), 50.0 * b + 24.5);
  }
  QCOMPARE(history.binOf(0), 0);
  QCOMPARE(history.binOf(49), 0);
  QCOMPARE(history.binOf(50), 1);
  QCOMPARE(history.binOf(999), 19);
}

void TestLossHistory::reset_forgetsEverything() {
  LossHistory history(0.9, 4);
  history.reset(8);
  history.appendSteps(1, {2.0, 1.0});
  history.addSamples({0, 7}, {1.0f, 2.0f});
  history.reset(16);
  QCOMPARE(history.size(), std::size_t(0));
  QCOMPARE(history.timesteps(), 16);
  for (int i = 0; i < 4; ++i) QCOMPARE(history.binSamples(i), qint64(0));
  history.appendSteps(1, {3.0});
  QCOMPARE(history.smoothed()[0], 3.0);
}

void TestLossHistory::lossPlot_keepsEveryLossInViewInsideTheChart() {
  // A run whose first losses are 20 times the rest, smoothed slowly (a = 0.99), so the
  // smoothed line lags high above the batch losses for a while after the start.
  LossHistory history(0.99);
  history.reset(1000);
  std::vector<double> losses;
  for (int i = 0; i < 1000; ++i) losses.push_back(0.05 + std::exp(-i / 30.0) + 0.01 * (i % 7));
  history.appendSteps(1, losses);
  LossPlot chart;
  for (const bool log : {false, true}) {
    chart.setLogScale(log);
    chart.refresh(history);
    const QCPRange x = chart.plot()->xAxis->range();
    const QCPRange y = chart.plot()->yAxis->range();
    QCOMPARE(x.upper, 1000.0);
    if (log) QCOMPARE(x.lower, 1.0);  // the whole run
    else QVERIFY2(x.lower > 1 && x.lower <= 51, "linear: from the end of the first 5 %");
    for (int i = 0; i < static_cast<int>(history.size()); ++i) {
      if (history.steps()[i] < x.lower) continue;
      for (const double value : {history.raw()[i], history.smoothed()[i]})
        QVERIFY2(value >= y.lower && value <= y.upper,
                 qPrintable(QStringLiteral("%1 at step %2 outside %3 … %4 (log %5)")
                                .arg(value).arg(history.steps()[i]).arg(y.lower).arg(y.upper).arg(log)));
    }
  }
}

QTEST_MAIN(TestLossHistory)
#include "test_loss_history.moc"
