// The small non-widget pieces of the UI: the shared timestep cursor, playback, the
// schedule model (validation, settings), number formatting and the render helpers.
#include "core/schedule/noise_schedule.h"

#include "ui/forward/forward_batch.h"
#include "ui/shared/frame_render.h"
#include "ui/shared/maths_format.h"
#include "ui/shared/playback.h"
#include "ui/shared/schedule_model.h"
#include "ui/schedule/schedule_series.h"
#include "ui/shared/timestep_cursor.h"

#include "ui_test_support.h"

#include <QtTest>

#include <cmath>

using namespace ddpm;
using namespace ddpm::ui;

class TestUiModels : public QObject {
  Q_OBJECT

 private slots:
  void cursor_clampsAndSignalsOnlyRealMoves();
  void cursor_newStepsClampT();
  void playback_sweepsToTheEndAndStops();
  void scheduleModel_refusesInvalidSpecAndKeepsOld();
  void scheduleModel_specSurvivesSettings();
  void scheduleModel_missingCustomFileIsReported();
  void formatNumber_readsLikeMaths_data();
  void formatNumber_readsLikeMaths();
  void addedTerm_carriesItsOwnSign();
  void logSnr_isFiniteOrNaN();
  void histogramDensity_integratesToOne();
  void pointCloud_drawsOnTheRequestedCanvas();
};

void TestUiModels::cursor_clampsAndSignalsOnlyRealMoves() {
  TimestepCursor cursor;
  QSignalSpy spy(&cursor, &TimestepCursor::tChanged);
  cursor.setT(10);
  cursor.setT(10);
  QCOMPARE(spy.count(), 1);
  cursor.setT(5000);
  QCOMPARE(cursor.t(), 999);
  cursor.setT(-3);
  QCOMPARE(cursor.t(), 0);
  cursor.step(-1);  // already at 0: no signal
  QCOMPARE(spy.count(), 3);
  cursor.step(2147483647);  // no overflow
  QCOMPARE(cursor.t(), 999);
}

void TestUiModels::cursor_newStepsClampT() {
  TimestepCursor cursor;
  cursor.setT(800);
  QSignalSpy steps(&cursor, &TimestepCursor::stepsChanged);
  QSignalSpy moved(&cursor, &TimestepCursor::tChanged);
  cursor.setSteps(100);
  QCOMPARE(steps.count(), 1);
  QCOMPARE(moved.count(), 1);
  QCOMPARE(cursor.t(), 99);
  cursor.setSteps(2000);  // t stays where it is
  QCOMPARE(cursor.t(), 99);
  cursor.setSteps(0);
  QCOMPARE(cursor.steps(), 1);
  QCOMPARE(cursor.t(), 0);
}

void TestUiModels::playback_sweepsToTheEndAndStops() {
  TimestepCursor cursor;
  Playback playback(&cursor);
  playback.setSweepSeconds(0.5);
  QSignalSpy playing(&playback, &Playback::playingChanged);
  playback.play();
  QVERIFY(playback.isPlaying());
  QTRY_VERIFY_WITH_TIMEOUT(!playback.isPlaying(), 3000);
  QCOMPARE(cursor.t(), 999);
  QCOMPARE(playing.count(), 2);
  playback.play();  // from the end it starts over
  QVERIFY(cursor.t() < 999);
  playback.pause();
  QVERIFY(!playback.isPlaying());
}

void TestUiModels::scheduleModel_refusesInvalidSpecAndKeepsOld() {
  ScheduleModel model;
  QSignalSpy changed(&model, &ScheduleModel::scheduleChanged);
  ScheduleSpec bad;
  bad.beta_end = 1.5;
  const QString error = model.trySetSpec(bad);
  QVERIFY(error.contains(QStringLiteral("beta_end must be a number in (0, 1)")));
  QCOMPARE(changed.count(), 0);
  QCOMPARE(model.spec(), ScheduleSpec{});
  QVERIFY(model.trySetSpec(ScheduleSpec{}).isEmpty());  // the same spec: no change signal
  QCOMPARE(changed.count(), 0);
  ScheduleSpec few;
  few.steps = 10;
  QVERIFY(model.trySetSpec(few).isEmpty());
  QCOMPARE(changed.count(), 1);
  QCOMPARE(model.warnings().size(), 1);
  QVERIFY(model.describe().startsWith(QStringLiteral("linear, T = 10, β 1×10⁻⁴ → 0.02")));
}

void TestUiModels::scheduleModel_specSurvivesSettings() {
  QTemporaryDir dir;
  QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
  ScheduleSpec spec;
  spec.kind = ScheduleKind::Sigmoid;
  spec.steps = 321;
  spec.beta_start = 3e-4;
  spec.beta_end = 0.035;
  ScheduleModel::saveSpec(settings, QStringLiteral("g"), spec);
  ScheduleSpec loaded;
  QString error;
  QVERIFY(ScheduleModel::loadSpec(settings, QStringLiteral("g"), &loaded, &error));
  QCOMPARE(loaded, spec);
  QVERIFY(!ScheduleModel::loadSpec(settings, QStringLiteral("nothing"), &loaded, &error));
  QCOMPARE(loaded, spec);  // untouched on failure
}

void TestUiModels::scheduleModel_missingCustomFileIsReported() {
  QTemporaryDir dir;
  const QString betas = dir.filePath(QStringLiteral("b.txt"));
  test::writeText(betas, "0.1\n0.2\n");
  QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
  ScheduleSpec spec;
  spec.kind = ScheduleKind::Custom;
  spec.custom_betas = {0.1, 0.2};
  spec.custom_source = betas.toStdString();
  ScheduleModel::saveSpec(settings, QStringLiteral("g"), spec);
  ScheduleSpec loaded;
  QString error;
  QVERIFY(ScheduleModel::loadSpec(settings, QStringLiteral("g"), &loaded, &error));
  QCOMPARE(loaded.custom_betas, spec.custom_betas);
  QVERIFY(QFile::remove(betas));
  QVERIFY(!ScheduleModel::loadSpec(settings, QStringLiteral("g"), &loaded, &error));
  QVERIFY2(error.contains(QStringLiteral("b.txt")), qPrintable(error));
}

void TestUiModels::formatNumber_readsLikeMaths_data() {
  QTest::addColumn<double>("value");
  QTest::addColumn<int>("digits");
  QTest::addColumn<QString>("text");
  QTest::newRow("fraction") << 0.52139 << 4 << QStringLiteral("0.5214");
  QTest::newRow("small") << 1e-4 << 3 << QStringLiteral("1.00×10⁻⁴");
  QTest::newRow("rounds up a decade") << 9.99996e-5 << 4 << QStringLiteral("1.000×10⁻⁴");
  QTest::newRow("negative") << -3.6411 << 4 << QStringLiteral("−3.641");
  QTest::newRow("thousandth") << 0.00508 << 4 << QStringLiteral("0.005080");
  QTest::newRow("large") << 123456.0 << 3 << QStringLiteral("1.23×10⁵");
  QTest::newRow("zero") << 0.0 << 4 << QStringLiteral("0");
  QTest::newRow("nan") << std::nan("") << 4 << QStringLiteral("—");
}

void TestUiModels::formatNumber_readsLikeMaths() {
  QFETCH(double, value);
  QFETCH(int, digits);
  QFETCH(QString, text);
  QCOMPARE(formatNumber(value, digits), text);
  QCOMPARE(formatNumber(0.02, 4, true), QStringLiteral("0.02"));
}

void TestUiModels::addedTerm_carriesItsOwnSign() {
  QCOMPARE(addedTermHtml(0.5), QStringLiteral("+ <b>0.5000</b>"));
  QCOMPARE(addedTermHtml(-0.99518, 4), QStringLiteral("− <b>0.9952</b>"));  // x − y, never x + −y
  QCOMPARE(addedTermHtml(-2e-5, 3), QStringLiteral("− <b>2.00×10⁻⁵</b>"));
  QCOMPARE(addedTermHtml(0.0), QStringLiteral("+ <b>0</b>"));
}

void TestUiModels::logSnr_isFiniteOrNaN() {
  ScheduleSpec spec;
  spec.kind = ScheduleKind::Custom;
  spec.custom_betas.assign(2000, 0.9);  // ᾱ underflows to 0 long before the end
  const NoiseSchedule s(spec);
  QVERIFY(std::isnan(seriesValue(s, ScheduleSeries::LogSnr, 1999)));
  QVERIFY(std::abs(seriesValue(s, ScheduleSeries::LogSnr, 0) - std::log(0.1 / 0.9)) < 1e-12);
}

void TestUiModels::histogramDensity_integratesToOne() {
  std::vector<float> values;
  for (int i = 0; i < 1000; ++i) values.push_back(-2.0f + 4.0f * i / 1000.0f);  // uniform on [−2, 2)
  const auto density = histogramDensity(values.data(), values.size(), -4, 4, 16);
  double area = 0;
  for (double d : density) area += d * 0.5;
  QVERIFY(std::abs(area - 1.0) < 1e-12);
  QVERIFY(std::abs(density[6] - 0.25) < 1e-12);  // U(−2, 2) has density 1/4
  QCOMPARE(density[0], 0.0);
  const MomentPair m = moments(values.data(), values.size());
  QVERIFY(std::abs(m.mean - (-0.002)) < 1e-6);
  QVERIFY(std::abs(m.variance - 16.0 / 12.0) < 1e-3);
}

void TestUiModels::pointCloud_drawsOnTheRequestedCanvas() {
  const std::vector<float> xy = {0.0f, 0.0f, 1.0f, -1.0f};
  const auto colours = pointColours(xy.data(), 2);
  QCOMPARE(colours.size(), std::size_t(2));
  const QImage image = renderPointCloud(xy.data(), 2, colours, QSize(300, 200), 1.0);
  QCOMPARE(image.size(), QSize(200, 200));  // square, the smaller side
  // The origin's point is drawn at the centre, in its colour (not the white background).
  QVERIFY(image.pixel(100, 100) != qRgb(255, 255, 255));
  QCOMPARE(gridColumns(16), 4);
  QCOMPARE(gridColumns(5), 3);
}

QTEST_MAIN(TestUiModels)
#include "test_ui_models.moc"
