// LossHeatmapData and the LossHeatmap widget: cells hold the mean per-sample loss of the
// samples whose (step, t) fall in them, checked against a direct computation over the
// raw samples; merging columns keeps every mean exact; memory never grows with the run;
// the widget draws the data's values; a real tiny run in the Training view fills it.
#include "core/schedule/noise_schedule.h"

#include "ui/shared/schedule_model.h"
#include "ui/shared/timestep_cursor.h"
#include "ui/training/loss_heatmap_data.h"
#include "ui/training/training_form.h"
#include "ui/training/training_report.h"
#include "ui/training/training_view.h"
#include "ui/training/loss_heatmap.h"

#include "ui_test_support.h"

#include <qcustomplot.h>

#include <QtTest>
#include <QtWidgets>

#include <cmath>
#include <random>

using namespace ddpm;
using namespace ddpm::ui;

namespace {

struct Sample {
  qint64 step;
  int t;
  float loss;
};

// Reports of 1 to 13 steps with `batch` samples each, t uniform, the loss falling in t
// and in the step (as a real run's), noisy.
std::vector<Sample> feedReports(LossHeatmapData& data, int T, qint64 steps, int batch, unsigned seed) {
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> anyT(0, T - 1), reportSize(1, 13);
  std::uniform_real_distribution<float> noise(0.5f, 1.5f);
  std::vector<Sample> all;
  qint64 step = data.origin() + 1;
  while (step <= data.origin() + steps) {
    const qint64 count = std::min<qint64>(reportSize(random), data.origin() + steps - step + 1);
    std::vector<int> t;
    std::vector<float> losses;
    for (qint64 s = 0; s < count; ++s) {
      for (int i = 0; i < batch; ++i) {
        t.push_back(anyT(random));
        losses.push_back(noise(random) * (1.0f + 50.0f / (1.0f + t.back())) / (1.0f + 0.01f * (step + s)));
        all.push_back({step + s, t.back(), losses.back()});
      }
    }
    data.addReport(step, count, t, losses);
    step += count;
  }
  return all;
}

}  // namespace

class TestLossHeatmap : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void cells_equalMeansComputedFromTheRawSamples_data();
  void cells_equalMeansComputedFromTheRawSamples();
  void merging_keepsMeansExact();
  void longRun_memoryStaysBounded();
  void badSamples_areSkipped();
  void widget_drawsTheDataAndSwitchesBinsAndScale();
  void trainingView_tinyRunFillsTheHeatmap();

 private:
  QTemporaryDir m_settingsDir;
};

void TestLossHeatmap::initTestCase() {
  ddpm::test::isolateSettings(m_settingsDir);
  qRegisterMetaType<TrainingOutcome>();
}

void TestLossHeatmap::cells_equalMeansComputedFromTheRawSamples_data() {
  QTest::addColumn<int>("T");
  QTest::addColumn<qint64>("origin");
  QTest::addColumn<qint64>("steps");
  QTest::addColumn<int>("bins");
  QTest::newRow("T=1000, 20 bins, merged") << 1000 << qint64(0) << qint64(300) << 20;
  QTest::newRow("T=1000, 50 bins, merged") << 1000 << qint64(0) << qint64(300) << 50;
  QTest::newRow("T=50, 50 bins, continued run") << 50 << qint64(1000) << qint64(77) << 50;
  QTest::newRow("T=37, 20 bins, few steps") << 37 << qint64(0) << qint64(5) << 20;
}

void TestLossHeatmap::cells_equalMeansComputedFromTheRawSamples() {
  QFETCH(int, T);
  QFETCH(qint64, origin);
  QFETCH(qint64, steps);
  QFETCH(int, bins);
  LossHeatmapData data(100, 8);
  data.reset(T, origin);
  const std::vector<Sample> all = feedReports(data, T, steps, 4, 7);

  // Independently: the window is the smallest power of two with ⌈steps / W⌉ ≤ 8 columns.
  qint64 width = 1;
  while ((steps + width - 1) / width > 8) width *= 2;
  QCOMPARE(data.stepsPerColumn(), width);
  QCOMPARE(data.columns(), static_cast<int>((steps + width - 1) / width));
  QCOMPARE(data.samples(), static_cast<qint64>(all.size()));
  int checked = 0;
  for (int c = 0; c < data.columns(); ++c) {
    const qint64 first = origin + 1 + c * width, last = origin + (c + 1) * width;
    for (int b = 0; b < bins; ++b) {
      double sum = 0;
      qint64 n = 0;
      for (const Sample& s : all) {
        if (s.step < first || s.step > last || (static_cast<qint64>(s.t) * bins) / T != b) continue;
        sum += s.loss;
        ++n;
      }
      QCOMPARE(data.count(c, b, bins), n);
      if (n == 0) {
        QVERIFY(std::isnan(data.mean(c, b, bins)));
      } else {
        const double expected = sum / n;
        QVERIFY2(std::abs(data.mean(c, b, bins) - expected) <= 1e-12 * expected,
                 qPrintable(QStringLiteral("cell (%1, %2): %3 vs %4").arg(c).arg(b).arg(data.mean(c, b, bins)).arg(expected)));
        ++checked;
      }
    }
  }
  QVERIFY(checked > 0);
  // Bin edges: every t lies in exactly the bin whose [low, high] holds it.
  for (int t = 0; t < T; ++t) {
    const int b = t * bins / T;
    QVERIFY(data.binLow(b, bins) <= t && t <= data.binHigh(b, bins));
  }
}

void TestLossHeatmap::merging_keepsMeansExact() {
  // One sample per step at t = 0 with loss = step: column c of width W holds steps
  // cW + 1 … (c + 1)W, whose mean is cW + (W + 1) / 2, exactly, whatever the merges.
  LossHeatmapData data(100, 4);
  data.reset(1000);
  for (qint64 step = 1; step <= 64; ++step) {
    data.add(step, 0, static_cast<double>(step));
    const qint64 width = data.stepsPerColumn();
    QVERIFY(data.columns() <= 4);
    for (int c = 0; c + 1 < data.columns(); ++c)  // full columns
      QCOMPARE(data.mean(c, 0, 20), c * width + (width + 1) / 2.0);
  }
  QCOMPARE(data.stepsPerColumn(), qint64(16));
  QCOMPARE(data.columns(), 4);
  QCOMPARE(data.mean(3, 0, 20), 48 + 8.5);
  QCOMPARE(data.count(3, 0, 50), qint64(16));
  // A partly filled last column after one more merge: steps 65..67 go into column 2 of width 32.
  for (qint64 step = 65; step <= 67; ++step) data.add(step, 0, static_cast<double>(step));
  QCOMPARE(data.stepsPerColumn(), qint64(32));
  QCOMPARE(data.columns(), 3);
  QCOMPARE(data.mean(2, 0, 50), 66.0);
  QCOMPARE(data.mean(1, 0, 50), 32 + 16.5);
}

void TestLossHeatmap::longRun_memoryStaysBounded() {
  LossHeatmapData data(100, 128);
  data.reset(1000);
  const std::size_t bytes = data.cellBytes();
  QVERIFY(bytes <= std::size_t(128) * 100 * 16);
  std::vector<int> t(64);
  std::vector<float> losses(64, 1.0f);
  for (int i = 0; i < 64; ++i) t[static_cast<std::size_t>(i)] = i * 15;
  qint64 step = 1;
  for (int report = 0; report < 20000; ++report, step += 1) data.addReport(step, 1, t, losses);  // 1.28 M samples
  data.add(2'000'000'000LL, 999, 2.0);  // a very long run
  QCOMPARE(data.cellBytes(), bytes);
  QVERIFY(data.columns() <= 128);
  qint64 total = 0;
  for (int c = 0; c < data.columns(); ++c)
    for (int b = 0; b < 50; ++b) total += data.count(c, b, 50);
  QCOMPARE(total, qint64(20000) * 64 + 1);
  QVERIFY(data.stepsPerColumn() * 128 >= 2'000'000'000LL);
}

void TestLossHeatmap::badSamples_areSkipped() {
  LossHeatmapData data;
  data.reset(100, 10);
  data.add(10, 5, 1.0);    // not after the origin
  data.add(11, -1, 1.0);   // t out of range
  data.add(11, 100, 1.0);
  data.add(11, 5, std::nan(""));
  data.add(11, 5, INFINITY);
  QCOMPARE(data.samples(), qint64(0));
  data.add(11, 5, 3.0);
  QCOMPARE(data.samples(), qint64(1));
  QCOMPARE(data.mean(0, 1, 20), 3.0);
  QVERIFY(!data.supportsBins(30));
  QCOMPARE(data.count(0, 1, 30), qint64(0));
}

void TestLossHeatmap::widget_drawsTheDataAndSwitchesBinsAndScale() {
  LossHeatmapData data(100, 16);
  data.reset(1000);
  feedReports(data, 1000, 40, 8, 3);
  LossHeatmap widget;
  widget.resize(600, 400);
  widget.refresh(data);
  QCPColorMapData* cells = widget.colorMap()->data();
  QCOMPARE(widget.bins(), 50);
  QCOMPARE(cells->keySize(), data.columns());
  QCOMPARE(cells->valueSize(), 50);
  for (int c = 0; c < data.columns(); ++c)
    for (int b = 0; b < 50; ++b) {
      const double want = data.mean(c, b, 50), got = cells->cell(c, b);
      QVERIFY(std::isnan(want) ? std::isnan(got) : got == want);
    }
  QCOMPARE(widget.colorScale()->dataScaleType(), QCPAxis::stLogarithmic);

  // The owner redraws on settingsChanged, as the Training view does.
  connect(&widget, &LossHeatmap::settingsChanged, &widget, [&] { widget.refresh(data); });
  widget.binsBox()->setCurrentIndex(widget.binsBox()->findData(20));
  QCOMPARE(widget.bins(), 20);
  QCOMPARE(cells->valueSize(), 20);
  QCOMPARE(cells->cell(0, 3), data.mean(0, 3, 20));
  // Cell (c, b) sits on its step window and its bin of t.
  double key = 0, value = 0;
  cells->cellToCoord(1, 3, &key, &value);
  QCOMPARE(key, data.columnFirstStep(1) + (data.stepsPerColumn() - 1) / 2.0);
  QCOMPARE(value, (3 + 0.5) * 1000 / 20 - 0.5);
  widget.logBox()->setChecked(false);
  QCOMPARE(widget.colorScale()->dataScaleType(), QCPAxis::stLinear);
  QCOMPARE(widget.colorScale()->dataRange().lower, 0.0);
}

void TestLossHeatmap::trainingView_tinyRunFillsTheHeatmap() {
  QTemporaryDir dir;
  ScheduleModel schedule;
  ScheduleSpec spec;
  spec.steps = 50;
  spec.beta_start = 0.002;
  spec.beta_end = 0.4;
  QVERIFY(schedule.trySetSpec(spec).isEmpty());
  TimestepCursor cursor;
  TrainingView view(&schedule, &cursor);
  view.resize(1200, 800);
  view.show();
  QVERIFY(view.lossByTTabs()->indexOf(view.lossHeatmap()) >= 0);
  TrainingForm* form = view.form();
  form->setDataSpec(QStringLiteral("moons"));
  form->setModel(QStringLiteral("mlp"));
  form->setTotalSteps(120);
  form->setBatchSize(32);
  form->setAutosaveEvery(0);
  form->setDevice(QStringLiteral("cpu"));
  form->setThreads(1);
  form->setPreviewSeconds(5);
  form->setOutputPath(dir.filePath(QStringLiteral("run.safetensors")));
  QSignalSpy ended(&view, &TrainingView::trainingEnded);
  QVERIFY(view.start());
  QVERIFY(ended.wait(30000));
  const LossHeatmapData& data = view.heatmapData();
  QCOMPARE(data.samples(), qint64(120) * 32);  // every sample of every step, none lost
  QCOMPARE(data.timesteps(), 50);
  QVERIFY(data.columns() > 1 && data.columns() <= data.maxColumns());
  // Every step's batch landed in its own step's column: the column totals are batch × steps in it.
  for (int c = 0; c < data.columns(); ++c) {
    qint64 n = 0;
    for (int b = 0; b < 50; ++b) n += data.count(c, b, 50);
    const qint64 stepsIn = std::min<qint64>(data.columnLastStep(c), 120) - data.columnFirstStep(c) + 1;
    QCOMPARE(n, stepsIn * 32);
  }
  // The tab draws them.
  view.lossByTTabs()->setCurrentWidget(view.lossHeatmap());
  QCOMPARE(view.lossHeatmap()->colorMap()->data()->keySize(), data.columns());
}

QTEST_MAIN(TestLossHeatmap)
#include "test_loss_heatmap.moc"
