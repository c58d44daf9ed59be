// The Schedule view: edits reach the plots, refused input says why and keeps the old
// schedule, compare mode, series toggles, the log axis, the cursor and hover read-outs,
// and the PNG/CSV exports. Plot data are checked against core's NoiseSchedule.
#include "core/schedule/noise_schedule.h"
#include "core/schedule/schedule_table.h"

#include "ui/shared/maths_format.h"
#include "ui/shared/playback.h"
#include "ui/shared/schedule_model.h"
#include "ui/schedule/schedule_series.h"
#include "ui/shared/timestep_cursor.h"
#include "ui/schedule/schedule_view.h"
#include "ui/schedule/schedule_chart.h"
#include "ui/schedule/schedule_editor.h"
#include "ui/schedule/schedule_readout.h"

#include "ui_test_support.h"

#include <QtTest>
#include <QtWidgets>

#include <cmath>

using namespace ddpm;
using namespace ddpm::ui;

namespace {

/// The y values of a graph, in key order.
ScheduleSpec linear(std::int64_t steps) {
  ScheduleSpec spec;
  spec.steps = steps;
  return spec;
}

std::vector<double> graphValues(QCPGraph* graph) {
  std::vector<double> values;
  for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it) values.push_back(it->value);
  return values;
}

void typeInto(QLineEdit* edit, const QString& text) {
  edit->setFocus();
  edit->selectAll();
  QTest::keyClicks(edit, text);
  QTest::keyClick(edit, Qt::Key_Return);
}

}  // namespace

class TestScheduleView : public QObject {
  Q_OBJECT

 private slots:
  void init();
  void cleanup();

  void paperSchedule_isPlottedExactly();
  void editSteps_updatesPlotData();
  void chooseCosine_plotsCosineColumns();
  void typingPause_appliesWithoutEnter();
  void invalidInput_showsReasonAndKeepsSchedule_data();
  void invalidInput_showsReasonAndKeepsSchedule();
  void fewSteps_warnThatXtIsNotNoise();
  void betasFile_becomesCustomSchedule();
  void badBetasFile_namesTheLineAndKeepsSchedule();
  void compareMode_overlaysSecondSchedule();
  void seriesToggle_hidesGraphAndEmptyPanel();
  void logAxis_automaticForCosineUntilUserChooses();
  void cursorAndReadout_followSharedT();
  void hover_readsValuesUnderMouse();
  void exports_writeChartAndCoreCsv();

 private:
  ScheduleModel* m_model = nullptr;
  TimestepCursor* m_cursor = nullptr;
  Playback* m_playback = nullptr;
  ScheduleView* m_view = nullptr;
};

void TestScheduleView::init() {
  m_model = new ScheduleModel;
  m_cursor = new TimestepCursor;
  m_cursor->setSteps(m_model->steps());
  QObject::connect(m_model, &ScheduleModel::scheduleChanged, m_cursor, [this] { m_cursor->setSteps(m_model->steps()); });
  m_playback = new Playback(m_cursor);
  m_view = new ScheduleView(m_model, m_cursor, m_playback);
  m_view->resize(1200, 760);
  m_view->show();
  QVERIFY(QTest::qWaitForWindowExposed(m_view));
}

void TestScheduleView::cleanup() {
  delete m_view;
  delete m_playback;
  delete m_cursor;
  delete m_model;
}

void TestScheduleView::paperSchedule_isPlottedExactly() {
  const NoiseSchedule paper;  // linear, T = 1000, 1e-4 → 0.02
  ScheduleChart* chart = m_view->chart();
  for (ScheduleSeries s : allScheduleSeries()) {
    const auto values = graphValues(chart->graph(s));
    QCOMPARE(values.size(), std::size_t(1000));
    for (int t : {0, 1, 499, 999}) {
      const double expected = seriesValue(paper, s, t);
      QCOMPARE(values[static_cast<std::size_t>(t)], expected);
    }
  }
  // Independent check of the formulas behind two series.
  const auto beta = graphValues(chart->graph(ScheduleSeries::Beta));
  QVERIFY(std::abs(beta[0] - 1e-4) < 1e-15);
  QVERIFY(std::abs(beta[999] - 0.02) < 1e-15);
  double alphaBar = 1;
  for (int t = 0; t < 1000; ++t) alphaBar *= 1 - (1e-4 + (0.02 - 1e-4) * t / 999.0);
  const auto logSnr = graphValues(chart->graph(ScheduleSeries::LogSnr));
  QVERIFY(std::abs(logSnr[999] - std::log(alphaBar / (1 - alphaBar))) < 1e-9);
}

void TestScheduleView::editSteps_updatesPlotData() {
  QSignalSpy changed(m_model, &ScheduleModel::scheduleChanged);
  typeInto(m_view->editor()->stepsEdit(), QStringLiteral("500"));
  QCOMPARE(changed.count(), 1);
  QCOMPARE(m_model->steps(), 500);
  const NoiseSchedule expected(linear(500));
  const auto beta = graphValues(m_view->chart()->graph(ScheduleSeries::Beta));
  QCOMPARE(beta.size(), std::size_t(500));
  QCOMPARE(beta, expected.beta);
  QCOMPARE(graphValues(m_view->chart()->graph(ScheduleSeries::AlphaBar)), expected.alpha_bar);
  QCOMPARE(m_view->chart()->plot()->xAxis->range().upper, 499.0);
  QCOMPARE(m_view->editor()->messageKind(), QStringLiteral("ok"));
}

void TestScheduleView::chooseCosine_plotsCosineColumns() {
  QComboBox* kind = m_view->editor()->kindBox();
  const int cosine = kind->findData(static_cast<int>(ScheduleKind::Cosine));
  kind->setCurrentIndex(cosine);
  emit kind->activated(cosine);
  QCOMPARE(m_model->spec().kind, ScheduleKind::Cosine);
  ScheduleSpec spec;
  spec.kind = ScheduleKind::Cosine;
  const NoiseSchedule expected(spec);
  QCOMPARE(graphValues(m_view->chart()->graph(ScheduleSeries::SqrtAlphaBar)), expected.sqrt_alpha_bar);
  QCOMPARE(graphValues(m_view->chart()->graph(ScheduleSeries::Beta)).back(), kCosineMaxBeta);
  QVERIFY(!m_view->editor()->betaStartEdit()->isEnabled());
  QVERIFY(m_view->editor()->cosineSEdit()->isEnabled());
}

void TestScheduleView::typingPause_appliesWithoutEnter() {
  QLineEdit* end = m_view->editor()->betaEndEdit();
  end->setFocus();
  end->selectAll();
  QTest::keyClicks(end, QStringLiteral("0.03"));
  QCOMPARE(m_model->spec().beta_end, 0.02);  // not yet: typing may go on
  QTRY_COMPARE_WITH_TIMEOUT(m_model->spec().beta_end, 0.03, 3000);
  QCOMPARE(graphValues(m_view->chart()->graph(ScheduleSeries::Beta)).back(), 0.03);
}

void TestScheduleView::invalidInput_showsReasonAndKeepsSchedule_data() {
  QTest::addColumn<QString>("field");
  QTest::addColumn<QString>("text");
  QTest::addColumn<QString>("reason");
  QTest::newRow("beta start zero") << "start" << "0" << "beta_start must be a number in (0, 1), got 0";
  QTest::newRow("beta start text") << "start" << "abc" << "beta_start must be a number, got 'abc'";
  QTest::newRow("beta end one") << "end" << "1" << "beta_end must be a number in (0, 1), got 1";
  QTest::newRow("start above end") << "start" << "0.05" << "must not exceed beta_end";
  QTest::newRow("no steps") << "steps" << "0" << "the number of steps T must be between 1 and 100000, got 0";
  QTest::newRow("too many steps") << "steps" << "200000" << "between 1 and 100000";
  QTest::newRow("fractional steps") << "steps" << "12.5" << "T must be a whole number of steps, got '12.5'";
}

void TestScheduleView::invalidInput_showsReasonAndKeepsSchedule() {
  QFETCH(QString, field);
  QFETCH(QString, text);
  QFETCH(QString, reason);
  ScheduleEditor* editor = m_view->editor();
  QLineEdit* edit = field == QLatin1String("start") ? editor->betaStartEdit()
                    : field == QLatin1String("end") ? editor->betaEndEdit()
                                                    : editor->stepsEdit();
  const ScheduleSpec before = m_model->spec();
  const auto betaBefore = graphValues(m_view->chart()->graph(ScheduleSeries::Beta));
  QSignalSpy changed(m_model, &ScheduleModel::scheduleChanged);
  typeInto(edit, text);
  QCOMPARE(changed.count(), 0);
  QCOMPARE(m_model->spec(), before);
  QCOMPARE(graphValues(m_view->chart()->graph(ScheduleSeries::Beta)), betaBefore);
  QCOMPARE(editor->messageKind(), QStringLiteral("error"));
  QVERIFY2(editor->messageText().contains(reason), qPrintable(editor->messageText()));
  QVERIFY(editor->messageText().contains(QStringLiteral("previous schedule is kept")));
  QVERIFY(editor->messageLabel()->isVisible());
  QVERIFY(edit->property("invalid").toBool());
  QCOMPARE(edit->text(), text);  // what was typed stays, to be corrected

  // Correcting the field applies and clears the mark.
  typeInto(edit, field == QLatin1String("steps") ? QStringLiteral("300") : QStringLiteral("0.0002"));
  QCOMPARE(editor->messageKind() == QLatin1String("error"), false);
  QVERIFY(!edit->property("invalid").toBool());
}

void TestScheduleView::fewSteps_warnThatXtIsNotNoise() {
  typeInto(m_view->editor()->stepsEdit(), QStringLiteral("20"));
  QCOMPARE(m_model->steps(), 20);  // valid: applied
  QCOMPARE(m_view->editor()->messageKind(), QStringLiteral("warning"));
  QVERIFY2(m_view->editor()->messageText().contains(QStringLiteral("x_T is not pure noise")),
           qPrintable(m_view->editor()->messageText()));
  const NoiseSchedule s(linear(20));
  QVERIFY(s.alpha_bar.back() > kAlphaBarWarningThreshold);
}

void TestScheduleView::betasFile_becomesCustomSchedule() {
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("betas.txt"));
  test::writeText(path, "# three steps\n0.1\n0.5\n0.9\n");
  QSignalSpy loaded(m_view->editor(), &ScheduleEditor::betasFileLoaded);
  QVERIFY(m_view->editor()->loadBetasFile(path).isEmpty());
  QCOMPARE(loaded.count(), 1);
  QCOMPARE(m_model->spec().kind, ScheduleKind::Custom);
  QCOMPARE(graphValues(m_view->chart()->graph(ScheduleSeries::Beta)), (std::vector<double>{0.1, 0.5, 0.9}));
  const auto alphaBar = graphValues(m_view->chart()->graph(ScheduleSeries::AlphaBar));
  QVERIFY(std::abs(alphaBar[2] - 0.9 * 0.5 * 0.1) < 1e-15);
  QCOMPARE(m_view->editor()->stepsEdit()->text(), QStringLiteral("3"));
  QVERIFY(!m_view->editor()->stepsEdit()->isEnabled());
  QCOMPARE(m_cursor->steps(), 3);
}

void TestScheduleView::badBetasFile_namesTheLineAndKeepsSchedule() {
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("bad.txt"));
  test::writeText(path, "0.1\n0.2\nbanana\n");
  const QString error = m_view->editor()->loadBetasFile(path);
  QVERIFY2(error.contains(QStringLiteral("bad.txt:3")) && error.contains(QStringLiteral("banana")), qPrintable(error));
  QCOMPARE(m_model->spec(), ScheduleSpec{});
  QCOMPARE(m_view->editor()->messageKind(), QStringLiteral("error"));
  QVERIFY(!m_view->editor()->loadBetasFile(dir.filePath(QStringLiteral("missing.txt"))).isEmpty());
  QCOMPARE(m_model->spec(), ScheduleSpec{});
}

void TestScheduleView::compareMode_overlaysSecondSchedule() {
  ScheduleChart* chart = m_view->chart();
  QVERIFY(!chart->graph(ScheduleSeries::AlphaBar, true)->visible());
  m_view->compareBox()->click();
  QVERIFY(m_view->compareEnabled());
  QVERIFY(m_view->compareEditor()->isVisible());
  ScheduleSpec cosine;
  cosine.kind = ScheduleKind::Cosine;
  const NoiseSchedule expected(cosine);
  QCPGraph* overlay = chart->graph(ScheduleSeries::AlphaBar, true);
  QVERIFY(overlay->visible());
  QCOMPARE(graphValues(overlay), expected.alpha_bar);
  QCOMPARE(overlay->pen().style(), Qt::DashLine);
  m_cursor->setT(300);
  QCOMPARE(m_view->readout()->valueText(ScheduleSeries::AlphaBar, true), formatNumber(expected.alpha_bar[300]));

  // Editing the second schedule changes only the overlay.
  typeInto(m_view->compareEditor()->stepsEdit(), QStringLiteral("200"));
  QCOMPARE(m_view->compareModel()->steps(), 200);
  QCOMPARE(m_model->steps(), 1000);
  QCOMPARE(graphValues(overlay).size(), std::size_t(200));
  QCOMPARE(m_view->readout()->valueText(ScheduleSeries::AlphaBar, true), QStringLiteral("—"));  // t = 300 ≥ 200

  m_view->compareBox()->click();
  QVERIFY(!overlay->visible());
}

void TestScheduleView::seriesToggle_hidesGraphAndEmptyPanel() {
  ScheduleChart* chart = m_view->chart();
  m_view->readout()->toggle(ScheduleSeries::LogSnr)->click();
  QVERIFY(!chart->graph(ScheduleSeries::LogSnr)->visible());
  QVERIFY(!chart->panel(SchedulePanel::LogSnr)->visible());
  QVERIFY(chart->panel(SchedulePanel::LogSnr)->layout() == nullptr);  // its space goes to the others
  m_view->readout()->toggle(ScheduleSeries::Beta)->click();
  QVERIFY(chart->panel(SchedulePanel::Variances)->visible());  // β̃ is still shown there
  QVERIFY(chart->panel(SchedulePanel::Variances)->axis(QCPAxis::atBottom)->tickLabels());  // lowest panel: t axis
  m_view->readout()->toggle(ScheduleSeries::LogSnr)->click();
  QVERIFY(chart->graph(ScheduleSeries::LogSnr)->visible());
  QVERIFY(chart->panel(SchedulePanel::LogSnr)->visible());
  QVERIFY(!chart->panel(SchedulePanel::Variances)->axis(QCPAxis::atBottom)->tickLabels());
}

void TestScheduleView::logAxis_automaticForCosineUntilUserChooses() {
  QCheckBox* log = m_view->logScaleBox();
  QVERIFY(!log->isChecked());  // linear β spans 2 decades: linear axis
  ScheduleSpec cosine;
  cosine.kind = ScheduleKind::Cosine;
  QVERIFY(m_model->trySetSpec(cosine).isEmpty());
  QVERIFY(log->isChecked());  // 4×10⁻⁵ … 0.999: logarithmic
  QCPAxis* axis = m_view->chart()->panel(SchedulePanel::Variances)->axis(QCPAxis::atLeft);
  QCOMPARE(axis->scaleType(), QCPAxis::stLogarithmic);
  QVERIFY(std::isnan(graphValues(m_view->chart()->graph(ScheduleSeries::PosteriorVariance))[0]));  // β̃ at t = 0 is 0
  log->click();  // the user wants it linear
  QCOMPARE(axis->scaleType(), QCPAxis::stLinear);
  QCOMPARE(graphValues(m_view->chart()->graph(ScheduleSeries::PosteriorVariance))[0], 0.0);
  QVERIFY(m_model->trySetSpec(ScheduleSpec{}).isEmpty());
  ScheduleSpec cosine2 = cosine;
  cosine2.steps = 900;
  QVERIFY(m_model->trySetSpec(cosine2).isEmpty());
  QVERIFY(!log->isChecked());  // the user's choice sticks
}

void TestScheduleView::cursorAndReadout_followSharedT() {
  m_cursor->setT(640);
  QCOMPARE(m_view->chart()->cursorT(), 640);
  const NoiseSchedule& s = m_model->schedule();
  QCOMPARE(m_view->readout()->valueText(ScheduleSeries::AlphaBar), formatNumber(s.alpha_bar[640]));
  QCOMPARE(m_view->readout()->valueText(ScheduleSeries::PosteriorVariance), formatNumber(s.posterior_variance[640]));
  QCOMPARE(m_view->readout()->valueText(ScheduleSeries::LogSnr), formatNumber(std::log(s.snr[640])));
  QVERIFY(m_view->formulaHtml().contains(formatNumber(s.beta[640])));
}

void TestScheduleView::hover_readsValuesUnderMouse() {
  ScheduleChart* chart = m_view->chart();
  chart->plot()->replot();
  QCPAxisRect* rect = chart->panel(SchedulePanel::Variances);
  const QPoint at(static_cast<int>(rect->axis(QCPAxis::atBottom)->coordToPixel(300)), rect->rect().center().y());
  QTest::mouseMove(chart->plot(), at);
  QTRY_VERIFY(chart->hoverT() >= 0);
  const int t = chart->hoverT();
  QVERIFY(std::abs(t - 300) <= 1);
  const NoiseSchedule& s = m_model->schedule();
  QVERIFY2(chart->hoverText().contains(QStringLiteral("ᾱₜ = ") + formatNumber(s.alpha_bar[static_cast<std::size_t>(t)])),
           qPrintable(chart->hoverText()));
  QCOMPARE(m_cursor->t(), 0);  // hovering does not move t; pressing does
}

void TestScheduleView::exports_writeChartAndCoreCsv() {
  QTemporaryDir dir;
  QString error;
  const QString png = dir.filePath(QStringLiteral("chart.png"));
  QVERIFY2(m_view->exportImage(png, &error), qPrintable(error));
  const QImage image(png);
  QVERIFY(image.width() >= 1280);  // twice the on-screen size, at least 640 wide
  const QString csv = dir.filePath(QStringLiteral("schedule.csv"));
  QVERIFY2(m_view->exportTable(csv, &error), qPrintable(error));
  QFile file(csv);
  QVERIFY(file.open(QIODevice::ReadOnly));
  const QByteArray bytes = file.readAll();
  QCOMPARE(bytes.toStdString(), schedule_to_csv(m_model->schedule()));
  QVERIFY(bytes.startsWith("t,beta,alpha,alpha_bar,"));
  QCOMPARE(bytes.count('\n'), 1001);
  QVERIFY(!m_view->exportTable(dir.filePath(QStringLiteral("no/such/dir/x.csv")), &error));
  QVERIFY(error.contains(QStringLiteral("cannot write")));
}

QTEST_MAIN(TestScheduleView)
#include "test_schedule_view.moc"
