// The Forward view: driving the t slider shows x_t = √ᾱ_t x₀ + √(1 − ᾱ_t) ε (eq. 4) with
// the right statistics (variance ≈ 1 at t = T − 1, x_t ≈ x₀ at t = 0) for images and 2D
// points; pictures and histogram are made from the values shown; noise, data choice,
// user images and the Fashion-MNIST fallback behave.
#include "core/schedule/noise_schedule.h"

#include "ui/forward/forward_batch.h"
#include "ui/forward/forward_data.h"
#include "ui/forward/forward_engine.h"
#include "ui/shared/frame_render.h"
#include "ui/shared/playback.h"
#include "ui/shared/schedule_model.h"
#include "ui/shared/timestep_cursor.h"
#include "ui/forward/forward_view.h"
#include "ui/forward/histogram_plot.h"
#include "ui/shared/image_panel.h"
#include "ui/shared/timestep_bar.h"

#include "ui_test_support.h"

#include <QtTest>
#include <QtWidgets>

#include <cmath>

using namespace ddpm;
using namespace ddpm::ui;

class TestForwardView : public QObject {
  Q_OBJECT

 private slots:
  void init();
  void cleanup();

  void sliderToLastStep_imagesBecomeUnitGaussian();
  void sliderToLastStep_pointsBecomeUnitGaussian();
  void firstStep_showsNearlyTheData();
  void everyValue_followsEq4();
  void picture_isDrawnFromTheShownValues();
  void histogram_isTheDensityOfTheShownValues();
  void newNoise_changesEpsilonOnlyAndIsSeeded();
  void scheduleChange_redrawsWithNewCoefficients();
  void hiddenView_defersWorkUntilShown();
  void imageIndices_chosenByTextAndInvalidOnesRefused();
  void classFilter_choosesImagesOfThatClass();
  void missingFashionMnist_explainsAndFallsBackTo2D();
  void userImage_becomes64x64InUnitRange();
  void brokenImageFile_isRefusedAndDataKept();
  void indexLists_parseAndFormat();

 private:
  void setT(int t);

  ScheduleModel* m_model = nullptr;
  TimestepCursor* m_cursor = nullptr;
  Playback* m_playback = nullptr;
  ForwardView* m_view = nullptr;
};

void TestForwardView::init() {
  m_model = new ScheduleModel;
  m_cursor = new TimestepCursor;
  m_cursor->setSteps(m_model->steps());
  QObject::connect(m_model, &ScheduleModel::scheduleChanged, m_cursor, [this] { m_cursor->setSteps(m_model->steps()); });
  m_playback = new Playback(m_cursor);
  m_view = new ForwardView(m_model, m_cursor, m_playback);
  m_view->resize(1200, 760);
  m_view->show();
  QVERIFY(QTest::qWaitForWindowExposed(m_view));
}

void TestForwardView::cleanup() {
  delete m_view;
  delete m_playback;
  delete m_cursor;
  delete m_model;
}

// Through the view's own slider, then one event-loop pass (frames are coalesced).
void TestForwardView::setT(int t) {
  m_view->timestepBar()->slider()->setValue(t);
  QCOMPARE(m_cursor->t(), t);
  QTRY_COMPARE(m_view->currentFrame().t, t);
}

void TestForwardView::sliderToLastStep_imagesBecomeUnitGaussian() {
  QVERIFY(m_view->setSource(QStringLiteral("fashion-mnist")));
  const ForwardBatch& batch = m_view->engine().batch();
  QVERIFY(batch.isImages());
  QCOMPARE(batch.count, 16);
  QCOMPARE(batch.values.size(), std::size_t(16 * 28 * 28));
  setT(0);
  const QImage atZero = m_view->xtPanel()->image();
  setT(999);
  const ForwardFrame& f = m_view->currentFrame();
  // 12,544 values: x_T = 0.0064 x₀ + 0.99998 ε, so mean ≈ 0 and variance ≈ 1; the standard
  // error of the variance is √(2/12544) ≈ 0.013, far inside the tolerance of 0.1.
  QVERIFY2(std::abs(f.variance - 1.0) < 0.1, qPrintable(QString::number(f.variance)));
  QVERIFY2(std::abs(f.mean) < 0.1, qPrintable(QString::number(f.mean)));
  QVERIFY(m_view->xtPanel()->image() != atZero);
  QVERIFY(m_view->xtPanel()->title().contains(QStringLiteral("999")));
  // The data themselves are not Gaussian: Fashion-MNIST's pixels have mean ≈ −0.4.
  const MomentPair data = moments(batch.values.data(), batch.values.size());
  QVERIFY(data.mean < -0.2);
}

void TestForwardView::sliderToLastStep_pointsBecomeUnitGaussian() {
  QVERIFY(m_view->setSource(QStringLiteral("swissroll")));
  const ForwardBatch& batch = m_view->engine().batch();
  QVERIFY(batch.isPoints());
  QCOMPARE(batch.count, ForwardView::kPointCount);
  setT(999);
  const ForwardFrame& f = m_view->currentFrame();
  // x and y pooled: 4,000 values; standard error of the variance ≈ 0.022.
  QCOMPARE(f.xt.size(), std::size_t(4000));
  QVERIFY2(std::abs(f.variance - 1.0) < 0.1, qPrintable(QString::number(f.variance)));
  QVERIFY(std::abs(f.mean) < 0.1);
  // Each coordinate on its own too, and uncorrelated.
  double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
  const int n = batch.count;
  for (int i = 0; i < n; ++i) {
    const double x = f.xt[2 * i], y = f.xt[2 * i + 1];
    sx += x, sy += y, sxx += x * x, syy += y * y, sxy += x * y;
  }
  const double vx = sxx / n - (sx / n) * (sx / n), vy = syy / n - (sy / n) * (sy / n);
  QVERIFY(std::abs(vx - 1) < 0.1 && std::abs(vy - 1) < 0.1);
  QVERIFY(std::abs(sxy / n - (sx / n) * (sy / n)) < 0.1);
  QVERIFY(m_view->histogram()->plot()->plotLayout()->elementCount() > 0);
}

void TestForwardView::firstStep_showsNearlyTheData() {
  QVERIFY(m_view->setSource(QStringLiteral("fashion-mnist")));
  setT(0);
  const ForwardFrame& f = m_view->currentFrame();
  const auto& x0 = m_view->engine().batch().values;
  const auto& eps = m_view->engine().noise();
  // |x_0 − x₀| ≤ (1 − √ᾱ) |x₀| + √(1 − ᾱ) |ε| with ᾱ = 1 − 10⁻⁴: at most a few hundredths.
  double worst = 0, bound = 0;
  for (std::size_t i = 0; i < x0.size(); ++i) {
    worst = std::max(worst, std::abs(static_cast<double>(f.xt[i]) - x0[i]));
    bound = std::max(bound, (1 - std::sqrt(1 - 1e-4)) * std::abs(x0[i]) + std::sqrt(1e-4) * std::abs(eps[i]));
  }
  QVERIFY(worst <= bound + 1e-6);
  QVERIFY(worst < 0.06);
  QVERIFY(std::abs(f.variance - m_view->engine().x0Variance()) < 0.01);
}

void TestForwardView::everyValue_followsEq4() {
  QVERIFY(m_view->setSource(QStringLiteral("moons")));
  const NoiseSchedule& s = m_model->schedule();
  for (int t : {1, 250, 777}) {
    setT(t);
    const ForwardFrame& f = m_view->currentFrame();
    const auto& x0 = m_view->engine().batch().values;
    const auto& eps = m_view->engine().noise();
    const double a = std::sqrt(s.alpha_bar[t]), b = std::sqrt(1 - s.alpha_bar[t]);  // independent of the columns
    QCOMPARE(f.sqrtAlphaBar, s.sqrt_alpha_bar[t]);
    for (std::size_t i = 0; i < x0.size(); ++i)
      QVERIFY(std::abs(f.xt[i] - (a * x0[i] + b * eps[i])) < 1e-5);
  }
}

void TestForwardView::picture_isDrawnFromTheShownValues() {
  QVERIFY(m_view->setSource(QStringLiteral("fashion-mnist")));
  setT(300);
  const ForwardFrame& f = m_view->currentFrame();
  const QImage& picture = m_view->xtPanel()->image();
  // 4 × 4 grid of 28 × 28 with 2 px padding: image k starts at (2 + 30·col, 2 + 30·row).
  QCOMPARE(picture.size(), QSize(4 * 28 + 5 * 2, 4 * 28 + 5 * 2));
  for (int k : {0, 5, 15}) {
    for (auto [x, y] : {std::pair{0, 0}, std::pair{13, 14}, std::pair{27, 27}}) {
      const float v = f.xt[static_cast<std::size_t>(k * 784 + y * 28 + x)];
      const int expected = static_cast<int>(std::lround((std::clamp(v, -1.0f, 1.0f) + 1.0f) * 127.5f));
      const QRgb pixel = picture.pixel(2 + 30 * (k % 4) + x, 2 + 30 * (k / 4) + y);
      QCOMPARE(qGray(pixel), expected);
    }
  }
}

void TestForwardView::histogram_isTheDensityOfTheShownValues() {
  QVERIFY(m_view->setSource(QStringLiteral("gaussians8")));
  setT(600);
  const ForwardFrame& f = m_view->currentFrame();
  QCOMPARE(f.density.size(), std::size_t(kHistogramBins));
  const double width = (kHistogramHigh - kHistogramLow) / kHistogramBins;
  double area = 0;
  for (double d : f.density) area += d * width;
  std::size_t inside = 0;
  for (float v : f.xt) inside += (v >= kHistogramLow && v < kHistogramHigh) ? 1 : 0;
  QVERIFY(std::abs(area - static_cast<double>(inside) / f.xt.size()) < 1e-9);
  // A bin counted by hand.
  const int bin = kHistogramBins / 2;
  std::size_t count = 0;
  for (float v : f.xt) count += (v >= kHistogramLow + bin * width && v < kHistogramLow + (bin + 1) * width) ? 1 : 0;
  QVERIFY(std::abs(f.density[bin] - count / (f.xt.size() * width)) < 1e-9);
  // The bars show exactly these densities.
  QCPBars* bars = m_view->histogram()->bars();
  QCOMPARE(bars->data()->size(), kHistogramBins);
  QCOMPARE((bars->data()->constBegin() + bin)->value, f.density[bin]);
}

void TestForwardView::newNoise_changesEpsilonOnlyAndIsSeeded() {
  QVERIFY(m_view->setSource(QStringLiteral("swissroll")));
  setT(500);
  const auto x0 = m_view->engine().batch().values;
  const auto eps0 = m_view->engine().noise();
  const auto xt0 = m_view->currentFrame().xt;
  m_view->newNoiseButton()->click();
  QCOMPARE(m_view->noiseSeed(), std::uint64_t(1));
  QTRY_VERIFY(m_view->currentFrame().xt != xt0);
  QVERIFY(m_view->engine().noise() != eps0);
  QCOMPARE(m_view->engine().batch().values, x0);
  // ε is fixed while t moves, and seed 0 gives the same ε again.
  const auto eps1 = m_view->engine().noise();
  setT(10);
  QCOMPARE(m_view->engine().noise(), eps1);
  m_view->setNoiseSeed(0);
  QCOMPARE(m_view->engine().noise(), eps0);
}

void TestForwardView::scheduleChange_redrawsWithNewCoefficients() {
  QVERIFY(m_view->setSource(QStringLiteral("circles")));
  setT(50);
  ScheduleSpec cosine;
  cosine.kind = ScheduleKind::Cosine;
  cosine.steps = 100;
  QVERIFY(m_model->trySetSpec(cosine).isEmpty());
  const NoiseSchedule expected(cosine);
  QTRY_COMPARE(m_view->currentFrame().sqrtAlphaBar, expected.sqrt_alpha_bar[50]);
  QVERIFY(m_view->formulaHtml().contains(QStringLiteral("paper step 51 of 100")));
}

void TestForwardView::hiddenView_defersWorkUntilShown() {
  QVERIFY(m_view->setSource(QStringLiteral("swissroll")));
  setT(100);
  m_view->hide();
  m_cursor->setT(200);
  QCoreApplication::processEvents();
  QCOMPARE(m_view->currentFrame().t, 100);  // nothing computed while hidden
  m_view->show();
  QTRY_COMPARE(m_view->currentFrame().t, 200);
}

void TestForwardView::imageIndices_chosenByTextAndInvalidOnesRefused() {
  QVERIFY(m_view->setSource(QStringLiteral("fashion-mnist")));
  QVERIFY(m_view->setImageIndices(QStringLiteral("0-3, 10")));
  QCOMPARE(m_view->imageIndices(), (QVector<int>{0, 1, 2, 3, 10}));
  QCOMPARE(m_view->engine().batch().count, 5);
  QString error;
  QVERIFY(!m_view->setImageIndices(QStringLiteral("7, banana"), &error));
  QVERIFY(error.contains(QStringLiteral("banana")));
  QVERIFY(m_view->message().contains(QStringLiteral("banana")));
  QCOMPARE(m_view->imageIndices(), (QVector<int>{0, 1, 2, 3, 10}));  // kept
  QVERIFY(!m_view->setImageIndices(QStringLiteral("10000"), &error));
  QVERIFY(error.contains(QStringLiteral("0 to 9999")));
  QVERIFY(m_view->setImageIndices(QStringLiteral("42")));
  QVERIFY(m_view->message().isEmpty());
}

void TestForwardView::classFilter_choosesImagesOfThatClass() {
  QVERIFY(m_view->setSource(QStringLiteral("fashion-mnist")));
  m_view->setClassFilter(1);  // trousers
  const ForwardBatch& batch = m_view->engine().batch();
  QCOMPARE(batch.count, 16);
  for (int label : batch.labels) QCOMPARE(label, 1);
  const QVector<int> first = m_view->imageIndices();
  m_view->shuffleImages();
  QVERIFY(m_view->imageIndices() != first);
  for (int label : m_view->engine().batch().labels) QCOMPARE(label, 1);
}

void TestForwardView::missingFashionMnist_explainsAndFallsBackTo2D() {
  QTemporaryDir empty;
  m_view->setFashionMnistDir(empty.path());
  QVERIFY(!m_view->setSource(QStringLiteral("fashion-mnist")));
  QCOMPARE(m_view->source(), QStringLiteral("swissroll"));
  QVERIFY2(m_view->message().contains(QStringLiteral("Fashion-MNIST is not available")), qPrintable(m_view->message()));
  QVERIFY(m_view->message().contains(QStringLiteral("dataset-fashion-mnist")));  // core names the package
  QVERIFY(m_view->engine().batch().isPoints());
  setT(999);
  QVERIFY(std::abs(m_view->currentFrame().variance - 1.0) < 0.1);
}

void TestForwardView::userImage_becomes64x64InUnitRange() {
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("red.png"));
  test::writeSolidPng(path, 120, 80, QColor(255, 0, 0));
  QSignalSpy opened(m_view, &ForwardView::imageOpened);
  QVERIFY(m_view->loadImage(path));
  QCOMPARE(opened.count(), 1);
  QCOMPARE(m_view->source(), QStringLiteral("image"));
  const ForwardBatch& batch = m_view->engine().batch();
  QCOMPARE(batch.count, 1);
  QCOMPARE(batch.channels, 3);
  QCOMPARE(batch.height, 64);
  QCOMPARE(batch.width, 64);
  // Pure red: R = 255 → +1, G = B = 0 → −1, everywhere.
  for (std::size_t i = 0; i < 64 * 64; ++i) {
    QVERIFY(std::abs(batch.values[i] - 1.0f) < 1e-6);
    QVERIFY(std::abs(batch.values[64 * 64 + i] + 1.0f) < 1e-6);
  }
  setT(999);
  QVERIFY(std::abs(m_view->currentFrame().variance - 1.0) < 0.1);

  // Grayscale: one channel, BT.601 luma of red = 0.299 · 255 ≈ 76 → 76/127.5 − 1.
  QCheckBox* gray = m_view->findChild<QCheckBox*>();
  QVERIFY(gray);
  gray->setChecked(true);
  QCOMPARE(m_view->engine().batch().channels, 1);
  QVERIFY(std::abs(m_view->engine().batch().values[0] - (76.0f / 127.5f - 1.0f)) < 1e-5);
}

void TestForwardView::brokenImageFile_isRefusedAndDataKept() {
  QVERIFY(m_view->setSource(QStringLiteral("moons")));
  const auto before = m_view->engine().batch().values;
  QTemporaryDir dir;
  const QString path = dir.filePath(QStringLiteral("not_really.png"));
  test::writeText(path, "this is text, not a picture");
  QString error;
  QVERIFY(!m_view->loadImage(path, &error));
  QVERIFY2(error.contains(QStringLiteral("cannot read image")), qPrintable(error));
  QVERIFY(m_view->message().contains(QStringLiteral("Could not open your image")));
  QCOMPARE(m_view->source(), QStringLiteral("moons"));
  QCOMPARE(m_view->engine().batch().values, before);
  QVERIFY(!m_view->loadImage(dir.filePath(QStringLiteral("missing.png")), &error));
  QVERIFY(error.contains(QStringLiteral("no such file")));
}

void TestForwardView::indexLists_parseAndFormat() {
  QString error;
  QCOMPARE(parseIndexList(QStringLiteral("5 - 8; 1,2"), 100, &error), (QVector<int>{5, 6, 7, 8, 1, 2}));
  QCOMPARE(formatIndexList({0, 1, 2, 3, 7, 9, 10}), QStringLiteral("0-3, 7, 9, 10"));
  QVERIFY(parseIndexList(QStringLiteral(""), 100, &error).isEmpty());
  QVERIFY(error.contains(QStringLiteral("at least one")));
  QVERIFY(parseIndexList(QStringLiteral("0-99"), 100, &error).isEmpty());
  QVERIFY(error.contains(QStringLiteral("at most 64")));
}

QTEST_MAIN(TestForwardView)
#include "test_forward_view.moc"
