// The Compare view: A/B from one seed (same x_T for both sides, identical settings give
// identical runs, different samplers differ, lockstep frames, |A − B|, shapes that do not
// match are refused) and slerp in noise space (endpoints equal plain sampling with the
// two seeds, deterministic, PNG export). Models: the shipped moons MLP (fast) and, with
// few DDIM steps and samples, the shipped Fashion-MNIST unet-tiny.
#include "core/jobs/checkpoint_model.h"
#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/shipped_checkpoints.h"
#include "core/diffusion/gaussian_diffusion.h"
#include "core/models/denoiser.h"
#include "core/sampling/reverse_process.h"
#include "core/schedule/noise_schedule.h"

#include "ui/compare/ab_comparison.h"
#include "ui/compare/ab_panel.h"
#include "ui/compare/checkpoint_picker.h"
#include "ui/compare/compare_column.h"
#include "ui/compare/slerp_panel.h"
#include "ui/compare/slerp_session.h"
#include "ui/compare/slerp_strip.h"
#include "ui/shared/compute_devices.h"
#include "ui/shared/current_model.h"
#include "ui/window/main_window.h"
#include "ui/sampling/trajectory_frame.h"
#include "ui/sampling/trajectory_store.h"
#include "ui/compare/compare_view.h"
#include "ui/shared/image_panel.h"

#include "ui_test_support.h"

#include <QtTest>
#include <QtWidgets>

#include <cmath>

using namespace ddpm;
using namespace ddpm::ui;

namespace {

constexpr int kWaitMs = 30000;

SamplingSettings ddpmSettings() { return SamplingSettings{}; }

SamplingSettings ddimSettings(int steps, double eta) {
  SamplingSettings s;
  s.sampler = SamplingSettings::Sampler::DDIM;
  s.steps = steps;
  s.eta = eta;
  return s;
}

// A plain run of core's ReverseProcess with DDIM (η = 0) and `seed`, as the reference.
std::vector<float> plainDdim(const CheckpointData& d, std::uint64_t seed, int n, int steps, bool clip) {
  SamplerOptions o;
  o.kind = SamplerKind::DDIM;
  o.steps = steps;
  o.eta = 0.0;
  o.clip_x0 = clip;
  o.n = n;
  o.seed = seed;
  o.x0_range = checkpoint_x0_range(d);  // 2D models clamp x̂_0 into their data's range
  torch::set_num_threads(recommended_threads(d.model));  // as the worker does: same kernels, same numbers
  ReverseProcess p(load_denoiser(d), GaussianDiffusion{NoiseSchedule(d.schedule)}, d.sample_shape, o);
  run_to_end(p);
  const auto x = p.sample().to(torch::kFloat32).contiguous();
  return std::vector<float>(x.data_ptr<float>(), x.data_ptr<float>() + x.numel());
}

std::vector<float> stripRow(const SlerpStrip& s, int j) {
  const float* first = s.sample(j, 0);
  return std::vector<float>(first, first + s.layout.valuesPerState());
}

float maxAbsDifference(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return std::numeric_limits<float>::infinity();
  float worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
  return worst;
}

// Runs both sides of `panel` and waits; true when both finished.
bool runBoth(AbPanel& panel, int waitMs = kWaitMs) {
  QSignalSpy ended(&panel, &AbPanel::runEnded);
  if (!panel.startRuns()) return false;
  return ended.wait(waitMs) && ended.first().first().toBool();
}

bool runSlerp(SlerpPanel& panel) {
  QSignalSpy ended(&panel, &SlerpPanel::runEnded);
  if (!panel.startRun()) return false;
  return ended.wait(kWaitMs) && ended.first().first().toBool();
}

}  // namespace

class TestCompareView : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();

  void window_hasTheCompareViewWithTheNextShortcut();
  void lockstepFrame_showsEachRunAtTheSameFraction();
  void shapeMismatch_isRefusedWithAMessageNamingBothShapes();
  void differenceGrid_isTheAbsoluteDifferenceOfLevels();
  void idle_panelsSayWhatTheyWillShow();
  void identicalSettings_giveIdenticalRuns();
  void differentSamplers_startFromTheSameNoiseAndEndApart();
  void images_firstFramesAreBitIdentical();
  void precision_sameSeedFloat32AgainstBf16();
  void guidance_sameSeedTwoWeightsSideBySide();
  void noModel_isRefusedWithAReason();
  void slerpEndpoints_equalPlainSamplingWithTheTwoSeeds();
  void slerp_isDeterministicAndMovesBetweenTheEnds();
  void slerpImages_endpointsMatchAndTheStripExportsAsPng();
  void settings_surviveASession();
  void screenshots_forTheGuide();

 private:
  QTemporaryDir m_dir;
  std::shared_ptr<const CheckpointData> m_moons;
  std::shared_ptr<const CheckpointData> m_fashion;
};

void TestCompareView::initTestCase() {
  QVERIFY(m_dir.isValid());
  test::isolateSettings(m_dir);
  m_moons = std::make_shared<const CheckpointData>(load_checkpoint(resolve_checkpoint("moons")));
  m_fashion = std::make_shared<const CheckpointData>(load_checkpoint(resolve_checkpoint("fashion-mnist")));
}

void TestCompareView::window_hasTheCompareViewWithTheNextShortcut() {
  MainWindow window(MainWindow::SettingsMode::Fresh);
  QVERIFY(window.compareView() != nullptr);
  QVERIFY(window.setCurrentView(QStringLiteral("compare")));
  QCOMPARE(window.currentViewKey(), QStringLiteral("compare"));
  const auto& views = window.views();
  const int position = static_cast<int>(std::find(views.begin(), views.end(), window.compareView()) - views.begin()) + 1;
  QAction* action = nullptr;
  for (QAction* a : window.findChildren<QAction*>())
    if (a->data().toString() == QLatin1String("compare")) action = a;
  QVERIFY(action != nullptr);
  QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_0 + position)));
}

void TestCompareView::lockstepFrame_showsEachRunAtTheSameFraction() {
  // 1,000 DDPM steps against 50 DDIM steps on a slider of 1,000 positions.
  QCOMPARE(lockstepFrame(0, 1000, 1000), 0);
  QCOMPARE(lockstepFrame(0, 1000, 50), 0);
  QCOMPARE(lockstepFrame(500, 1000, 1000), 500);
  QCOMPARE(lockstepFrame(500, 1000, 50), 25);
  QCOMPARE(lockstepFrame(1000, 1000, 50), 50);
  QCOMPARE(lockstepFrame(980, 1000, 50), 49);
  QCOMPARE(lockstepFrame(2000, 1000, 50), 50);  // clamped
  for (int p = 0; p <= 1000; ++p) {
    const double f = p / 1000.0;
    QVERIFY(std::abs(lockstepFrame(p, 1000, 50) / 50.0 - f) <= 0.5 / 50 + 1e-12);
    QVERIFY(std::abs(lockstepFrame(p, 1000, 7) / 7.0 - f) <= 0.5 / 7 + 1e-12);
  }
}

void TestCompareView::shapeMismatch_isRefusedWithAMessageNamingBothShapes() {
  QVERIFY(sampleShapeMismatch({1, 28, 28}, {1, 28, 28}).isEmpty());
  const QString text = sampleShapeMismatch({2}, {1, 28, 28});
  QVERIFY(text.contains(QStringLiteral("[2]")));
  QVERIFY(text.contains(QStringLiteral("[1, 28, 28]")));

  CurrentModel model;
  AbPanel panel(&model);
  QVERIFY(panel.columnA()->picker()->selectShipped(QStringLiteral("moons")));
  QVERIFY(panel.columnB()->picker()->selectShipped(QStringLiteral("fashion-mnist")));
  QVERIFY(!panel.startRuns());
  QVERIFY(!panel.isRunning());
  QVERIFY2(panel.message().contains(QStringLiteral("same shape")), qPrintable(panel.message()));
  QVERIFY(panel.message().contains(QStringLiteral("[1, 28, 28]")));
}

void TestCompareView::idle_panelsSayWhatTheyWillShow() {
  // Before a run: the hint spans the middle, each side names its samples, the middle's
  // title fits A's kind of data, and no empty progress bar sits beside Run A and B.
  CurrentModel model;
  AbPanel panel(&model);
  panel.show();
  auto* bar = panel.findChild<QProgressBar*>();
  QVERIFY(bar != nullptr);
  for (const char* name : {"moons", "fashion-mnist", "moons"}) {
    QVERIFY(panel.columnA()->picker()->selectShipped(QString::fromLatin1(name)));
    const bool points = QLatin1String(name) == QLatin1String("moons");
    QCOMPARE(panel.differencePanel()->title(), points ? QStringLiteral("A and B overlaid") : QStringLiteral("|A − B| per pixel"));
    QVERIFY2(panel.differencePanel()->placeholder().contains(QStringLiteral("Run A and B")),
             qPrintable(panel.differencePanel()->placeholder()));
    QCOMPARE(panel.panelA()->placeholder(), QStringLiteral("A's samples"));
    QCOMPARE(panel.panelB()->placeholder(), QStringLiteral("B's samples"));
    QVERIFY(!bar->isVisible());
  }
}

void TestCompareView::differenceGrid_isTheAbsoluteDifferenceOfLevels() {
  TrajectoryLayout layout;
  layout.kind = TrajectoryLayout::Kind::Images;
  layout.count = 2;
  layout.channels = 1;
  layout.height = 2;
  layout.width = 3;
  const std::vector<std::uint8_t> a{0, 10, 255, 128, 7, 9, /* second image */ 1, 2, 3, 4, 5, 6};
  const std::vector<std::uint8_t> b{255, 10, 0, 100, 9, 7, /* second image */ 6, 5, 4, 3, 2, 1};
  const QImage d = renderDifferenceGrid(a.data(), b.data(), layout, 2);
  // Padding 2: image i at x = 2 + i·(3 + 2), y = 2.
  for (int i = 0; i < 2; ++i)
    for (int y = 0; y < 2; ++y)
      for (int x = 0; x < 3; ++x) {
        const std::size_t k = static_cast<std::size_t>(i * 6 + y * 3 + x);
        const int expected = std::abs(static_cast<int>(a[k]) - static_cast<int>(b[k]));
        QCOMPARE(qGray(d.pixel(2 + i * 5 + x, 2 + y)), expected);
      }
  // Mean |Δ| in data units: levels are 127.5 per unit.
  double sum = 0;
  for (std::size_t k = 0; k < a.size(); ++k) sum += std::abs(static_cast<int>(a[k]) - static_cast<int>(b[k]));
  QVERIFY(std::abs(meanAbsLevelDifference(a, b) - sum / a.size() / 127.5) < 1e-12);
}

void TestCompareView::identicalSettings_giveIdenticalRuns() {
  CurrentModel model;
  AbPanel panel(&model);
  QVERIFY(panel.columnA()->picker()->selectShipped(QStringLiteral("fashion-mnist")));
  QVERIFY(panel.columnA()->settings().clipX0);  // images: clip x̂0 to [−1, 1] by default
  QVERIFY(panel.columnA()->picker()->selectShipped(QStringLiteral("moons")));
  QVERIFY(!panel.columnA()->settings().clipX0);  // standardised 2D points: no clipping
  QVERIFY(panel.columnB()->picker()->selectShipped(QStringLiteral("moons")));
  panel.columnA()->setSettings(ddpmSettings());
  panel.columnB()->setSettings(ddpmSettings());
  panel.setSeed(11);
  panel.setSamples(200);
  QVERIFY(runBoth(panel));
  const TrajectoryStore& A = panel.storeA();
  const TrajectoryStore& B = panel.storeB();
  QCOMPARE(A.count(), 1001);
  QCOMPARE(B.count(), 1001);
  for (int k : {0, 1, 500, 1000})
    QVERIFY2(A.frame(k).xtPoints == B.frame(k).xtPoints,
             qPrintable(QStringLiteral("frame %1: max |A − B| = %2")
                            .arg(k)
                            .arg(maxAbsDifference(A.frame(k).xtPoints, B.frame(k).xtPoints))));
  // The overlay shows the two clouds; the difference panel is titled for points.
  QVERIFY(!panel.differencePanel()->image().isNull());
  QVERIFY(panel.differencePanel()->title().contains(QStringLiteral("overlaid")));
}

void TestCompareView::differentSamplers_startFromTheSameNoiseAndEndApart() {
  CurrentModel model;
  AbPanel panel(&model);
  QVERIFY(panel.columnA()->picker()->selectShipped(QStringLiteral("moons")));
  QVERIFY(panel.columnB()->picker()->selectShipped(QStringLiteral("moons")));
  panel.columnA()->setSettings(ddpmSettings());
  panel.columnB()->setSettings(ddimSettings(50, 0.0));
  panel.setSeed(5);
  panel.setSamples(300);
  QVERIFY(runBoth(panel));
  const TrajectoryStore& A = panel.storeA();
  const TrajectoryStore& B = panel.storeB();
  QCOMPARE(A.layout().totalSteps(), 1000);
  QCOMPARE(B.layout().totalSteps(), 50);
  // Same x_T, bit for bit.
  QVERIFY(A.frame(0).xtPoints == B.frame(0).xtPoints);
  // Different samplers from it: the samples differ (DDPM adds noise at every step).
  const auto& a0 = A.frame(1000).xtPoints;
  const auto& b0 = B.frame(50).xtPoints;
  QVERIFY(maxAbsDifference(a0, b0) > 0.05f);

  // Lockstep: the slider's half-way shows A after 500 steps and B after 25, at nearly the same t.
  QCOMPARE(panel.slider()->maximum(), 1000);
  panel.slider()->setValue(500);
  QCOMPARE(panel.frameA(), 500);
  QCOMPARE(panel.frameB(), 25);
  QVERIFY(std::abs(A.frame(500).t - B.frame(25).t) <= 1000 / 50);
  panel.slider()->setValue(0);
  QCOMPARE(panel.frameA(), 0);
  QCOMPARE(panel.frameB(), 0);
  QVERIFY(panel.statusText().contains(QStringLiteral("0 %")));
}

// The lesson of classifier-free guidance: the shipped conditional model of the eight
// Gaussians, one class, w = 0 on A and w = 3 on B, chosen through each column's class
// picker and slider. Both start from the same x_T, both land in the class's 45° sector,
// and the weight moves the samples.
void TestCompareView::precision_sameSeedFloat32AgainstBf16() {
  CurrentModel model;
  AbPanel panel(&model);
  for (CompareColumn* column : {panel.columnA(), panel.columnB()}) {
    QVERIFY(column->picker()->selectShipped(QStringLiteral("moons")));
    column->setSettings(ddimSettings(20, 0.0));
    QVERIFY(column->precisionBox()->isVisibleTo(column));
    QVERIFY(!column->settings().bf16);
  }
  const QString why = bf16SamplingUnavailableReason();
  panel.columnB()->precisionBox()->setCurrentIndex(1);
  if (!why.isEmpty()) {  // greyed out: the choice cannot be made (setCurrentIndex still moves it, so check the item)
    const auto* items = qobject_cast<QStandardItemModel*>(panel.columnB()->precisionBox()->model());
    QVERIFY(!items->item(1)->isEnabled());
    QCOMPARE(items->item(1)->toolTip(), why);
    QSKIP("this machine cannot sample in bf16 (no CUDA, no AVX512_BF16)");
  }
  QVERIFY(panel.columnB()->settings().bf16);
  QVERIFY(panel.columnB()->samplerText().contains(QStringLiteral("bf16")));
  QVERIFY(!panel.columnA()->samplerText().contains(QStringLiteral("bf16")));
  panel.setSeed(3);
  panel.setSamples(200);
  QVERIFY(runBoth(panel));
  const TrajectoryStore& A = panel.storeA();
  const TrajectoryStore& B = panel.storeB();
  QVERIFY(A.frame(0).xtPoints == B.frame(0).xtPoints);  // the same x_T
  // The same run in two arithmetics: apart, but on average by far less than the data's
  // spread (standardised coordinates, ≈ 1).
  const auto& a = A.frame(20).xtPoints;
  const auto& b = B.frame(20).xtPoints;
  double mean = 0;
  for (std::size_t i = 0; i < a.size(); ++i) mean += std::abs(a[i] - b[i]);
  mean /= static_cast<double>(a.size());
  QVERIFY2(mean > 0.0 && mean < 0.02, qPrintable(QString::number(mean)));
}

void TestCompareView::guidance_sameSeedTwoWeightsSideBySide() {
  CurrentModel model;
  AbPanel panel(&model);
  for (CompareColumn* column : {panel.columnA(), panel.columnB()}) {
    QVERIFY(column->picker()->selectShipped(QStringLiteral("gaussians8-conditional")));
    column->setSettings(ddimSettings(20, 0.0));
    auto* classes = column->findChild<QComboBox*>(QStringLiteral("guidanceClass"));
    QVERIFY(classes && classes->isVisibleTo(column));
    QCOMPARE(classes->count(), 9);
    classes->setCurrentIndex(classes->findData(2));  // 90°
  }
  panel.columnB()->findChild<QSlider*>(QStringLiteral("guidanceWeight"))->setValue(6);  // w = 3
  QCOMPARE(panel.columnA()->settings().guidance, 0.0);
  QCOMPARE(panel.columnB()->settings().guidance, 3.0);
  QVERIFY(panel.columnB()->samplerText().contains(QStringLiteral("class 2, w = 3")));
  panel.setSeed(3);
  panel.setSamples(200);
  QVERIFY(runBoth(panel));
  const TrajectoryStore& A = panel.storeA();
  const TrajectoryStore& B = panel.storeB();
  QVERIFY(A.frame(0).xtPoints == B.frame(0).xtPoints);
  QVERIFY(maxAbsDifference(A.frame(20).xtPoints, B.frame(20).xtPoints) > 0.01f);
  const CheckpointData d = load_checkpoint(resolve_checkpoint("gaussians8-conditional"));
  for (const TrajectoryStore* store : {&A, &B}) {
    const auto& p = store->frame(20).xtPoints;
    const auto xy = d.normalisation.denormalise(
        torch::from_blob(const_cast<float*>(p.data()), {200, 2}, torch::kFloat32).to(torch::kFloat64));
    const auto off = (torch::atan2(xy.select(1, 1), xy.select(1, 0)) - M_PI / 2).abs();
    const double inSector = off.lt(M_PI / 8).to(torch::kFloat64).mean().item<double>();
    QVERIFY2(inSector > 0.9, qPrintable(QString::number(inSector)));
  }
}

void TestCompareView::images_firstFramesAreBitIdentical() {
  CurrentModel model;
  AbPanel panel(&model);
  QVERIFY(panel.columnA()->picker()->selectShipped(QStringLiteral("fashion-mnist")));
  QVERIFY(panel.columnB()->picker()->selectShipped(QStringLiteral("fashion-mnist")));
  panel.columnA()->setSettings(ddimSettings(2, 0.0));
  panel.columnB()->setSettings(ddimSettings(3, 1.0));
  panel.setSeed(9);
  panel.setSamples(2);
  QVERIFY(runBoth(panel));
  const TrajectoryStore& A = panel.storeA();
  const TrajectoryStore& B = panel.storeB();
  QVERIFY(A.layout().isImages());
  QVERIFY(A.frame(0).xtBytes == B.frame(0).xtBytes);
  QVERIFY(A.frame(2).xtBytes != B.frame(3).xtBytes);
  // At the end, the |A − B| panel shows the difference of the two final grids.
  QCOMPARE(panel.slider()->value(), panel.slider()->maximum());
  const QImage expected =
      renderDifferenceGrid(A.frame(2).xtBytes.data(), B.frame(3).xtBytes.data(), A.layout(), 2);
  QCOMPARE(panel.differencePanel()->image(), expected);
  QVERIFY(panel.differencePanel()->caption().contains(QStringLiteral("mean |A − B|")));
  // Export composes the three panels side by side.
  const QImage composed = panel.composeImage();
  QVERIFY(!composed.isNull() && composed.width() > 3 * composed.height() / 2);
}

void TestCompareView::noModel_isRefusedWithAReason() {
  CurrentModel model;  // nothing loaded: "Current model" has no checkpoint
  AbPanel ab(&model);
  QVERIFY(!ab.runButton()->isEnabled());
  QVERIFY(!ab.startRuns());
  QVERIFY2(ab.message().contains(QStringLiteral("no current model")), qPrintable(ab.message()));
  SlerpPanel slerp(&model);
  QVERIFY(!slerp.startRun());
  QVERIFY(slerp.message().contains(QStringLiteral("no current model")));
  // A file that is not a checkpoint: a sentence, no model.
  const QString bad = m_dir.filePath(QStringLiteral("bad.safetensors"));
  test::writeText(bad, "not a checkpoint");
  QVERIFY(!ab.columnA()->picker()->openFile(bad));
  QVERIFY(ab.columnA()->picker()->error().contains(QStringLiteral("bad.safetensors")));
  QVERIFY(!ab.startRuns());
}

void TestCompareView::slerpEndpoints_equalPlainSamplingWithTheTwoSeeds() {
  CurrentModel model;
  SlerpPanel panel(&model);
  QVERIFY(panel.picker()->selectShipped(QStringLiteral("moons")));
  SlerpSettings s;
  s.seedA = 3;
  s.seedB = 4;
  s.count = 5;
  s.samples = 64;
  s.steps = 20;
  panel.setSettings(s);
  QVERIFY(runSlerp(panel));
  const SlerpStrip& strip = panel.session()->strip();
  QCOMPARE(strip.count(), 5);
  QCOMPARE(strip.lambdas.front(), 0.0);
  QCOMPARE(strip.lambdas.back(), 1.0);
  QCOMPARE(strip.lambdas[2], 0.5);
  const auto a = plainDdim(*m_moons, 3, 64, 20, false);
  const auto b = plainDdim(*m_moons, 4, 64, 20, false);
  QCOMPARE(maxAbsDifference(stripRow(strip, 0), a), 0.0f);
  QCOMPARE(maxAbsDifference(stripRow(strip, 4), b), 0.0f);
  // In between it is neither end.
  QVERIFY(maxAbsDifference(stripRow(strip, 2), a) > 0.05f);
  QVERIFY(maxAbsDifference(stripRow(strip, 2), b) > 0.05f);
  // x_T of 64 points is one vector of 128 numbers: two draws are nearly orthogonal (θ ≈ 90° ± 5°).
  QVERIFY(strip.thetaDegrees > 60 && strip.thetaDegrees < 120);
  QVERIFY(!panel.stripPanel()->image().isNull());
}

void TestCompareView::slerp_isDeterministicAndMovesBetweenTheEnds() {
  CurrentModel model;
  SlerpPanel panel(&model);
  QVERIFY(panel.picker()->selectShipped(QStringLiteral("moons")));
  SlerpSettings s;
  s.seedA = 8;
  s.seedB = 21;
  s.count = 9;
  s.samples = 16;
  s.steps = 10;
  panel.setSettings(s);
  QVERIFY(runSlerp(panel));
  const SlerpStrip first = panel.session()->strip();
  QVERIFY(runSlerp(panel));
  const SlerpStrip& second = panel.session()->strip();
  QVERIFY(first.samples == second.samples);
  // Smooth: neighbouring λ are closer (on average) than the two ends.
  auto meanDistance = [&](int i, int j) {
    const auto x = stripRow(first, i), y = stripRow(first, j);
    double sum = 0;
    for (std::size_t k = 0; k + 1 < x.size(); k += 2) sum += std::hypot(x[k] - y[k], x[k + 1] - y[k + 1]);
    return sum / (x.size() / 2);
  };
  const double ends = meanDistance(0, 8);
  for (int j = 0; j + 1 < 9; ++j) QVERIFY(meanDistance(j, j + 1) < ends);
}

void TestCompareView::slerpImages_endpointsMatchAndTheStripExportsAsPng() {
  MainWindow window(MainWindow::SettingsMode::Fresh);
  window.setErrorDialogsEnabled(false);
  CompareView* view = window.compareView();
  view->setPage(1);
  SlerpPanel* panel = view->slerpPanel();
  QVERIFY(panel->picker()->selectShipped(QStringLiteral("fashion-mnist")));
  SlerpSettings s;
  s.seedA = 1;
  s.seedB = 2;
  s.count = 3;
  s.samples = 1;
  s.steps = 3;
  panel->setSettings(s);
  QString error;
  // Before a run, the export is a picture of the view itself (at 2×).
  QVERIFY2(view->exportImage(m_dir.filePath(QStringLiteral("early.png")), &error), qPrintable(error));
  QCOMPARE(QImage(m_dir.filePath(QStringLiteral("early.png"))).size(), view->size() * 2);
  QVERIFY(!view->exportImage(QStringLiteral("/no/such/folder/x.png"), &error));
  QVERIFY(error.contains(QStringLiteral("/no/such/folder")));
  QVERIFY(runSlerp(*panel));
  const SlerpStrip& strip = panel->session()->strip();
  QVERIFY(strip.layout.isImages());
  QCOMPARE(maxAbsDifference(stripRow(strip, 0), plainDdim(*m_fashion, 1, 1, 3, true)), 0.0f);
  QCOMPARE(maxAbsDifference(stripRow(strip, 2), plainDdim(*m_fashion, 2, 1, 3, true)), 0.0f);
  // 784 dimensions: two x_T are nearly orthogonal, and the slerp midpoint keeps the norm ≈ 28.
  QVERIFY(std::abs(strip.thetaDegrees - 90) < 10);
  QVERIFY(std::abs(strip.normMid - 28) < 3);
  QVERIFY(strip.normLine < 0.8 * strip.normMid);
  // The strip on screen: 3 columns of 28 px, padding 2.
  QCOMPARE(panel->stripPanel()->image().size(), QSize(2 + 3 * 30, 2 + 30));
  const QString path = m_dir.filePath(QStringLiteral("strip.png"));
  QVERIFY2(view->exportImage(path, &error), qPrintable(error));
  const QImage saved(path);
  QVERIFY(!saved.isNull());
  QVERIFY(saved.width() > 3 * 100 && saved.width() > saved.height());
  QVERIFY(window.formulaPanel() != nullptr);
  QVERIFY(view->formulaHtml().contains(QStringLiteral("sin((1 − λ)θ)")));
}

void TestCompareView::settings_surviveASession() {
  // What a person chose in the Compare view comes back in the next session: the page,
  // each side's sampler, the shared seed and N, and the slerp settings.
  QTemporaryDir dir;
  QSettings stored(dir.filePath(QStringLiteral("studio.ini")), QSettings::IniFormat);
  SamplingSettings a, b;
  a.sampler = SamplingSettings::Sampler::DDIM;
  a.steps = 37;
  a.eta = 0.25;
  a.clipX0 = true;
  b.sampler = SamplingSettings::Sampler::DDPM;
  b.posteriorVariance = true;
  SlerpSettings slerp;
  slerp.seedA = 11;
  slerp.seedB = 12;
  slerp.count = 5;
  slerp.samples = 3;
  slerp.ddpm = true;
  slerp.steps = 33;
  {
    MainWindow window(MainWindow::SettingsMode::Fresh);
    CompareView* view = window.compareView();
    view->abPanel()->columnA()->setSettings(a);
    view->abPanel()->columnB()->setSettings(b);
    view->abPanel()->seedBox()->setValue(4242);
    view->abPanel()->samplesBox()->setValue(7);
    view->slerpPanel()->setSettings(slerp);
    view->setPage(1);
    view->saveState(stored);
  }
  MainWindow window(MainWindow::SettingsMode::Fresh);
  CompareView* view = window.compareView();
  QCOMPARE(view->tabs()->currentIndex(), 0);  // a fresh window starts on A/B
  view->restoreState(stored);
  QCOMPARE(view->tabs()->currentIndex(), 1);
  const SamplingSettings ra = view->abPanel()->columnA()->settings(), rb = view->abPanel()->columnB()->settings();
  QVERIFY(ra.sampler == SamplingSettings::Sampler::DDIM);
  QCOMPARE(ra.steps, 37);
  QCOMPARE(ra.eta, 0.25);
  QVERIFY(ra.clipX0);
  QVERIFY(rb.sampler == SamplingSettings::Sampler::DDPM);
  QVERIFY(rb.posteriorVariance);
  QCOMPARE(view->abPanel()->seedBox()->value(), 4242);
  QCOMPARE(view->abPanel()->samplesBox()->value(), 7);
  const SlerpSettings rs = view->slerpPanel()->settings();
  QCOMPARE(rs.seedA, quint64{11});
  QCOMPARE(rs.seedB, quint64{12});
  QCOMPARE(rs.count, 5);
  QCOMPARE(rs.samples, 3);
  QVERIFY(rs.ddpm);
  QCOMPARE(rs.steps, 33);

  // Nonsense in the file is brought into range, not taken as is.
  stored.setValue(QStringLiteral("compareView/a/eta"), 7.5);
  stored.setValue(QStringLiteral("compareView/samples"), -3);
  view->restoreState(stored);
  QCOMPARE(view->abPanel()->columnA()->settings().eta, 1.0);
  QCOMPARE(view->abPanel()->samplesBox()->value(), view->abPanel()->samplesBox()->minimum());
}

// Not a check: with DDPM_COMPARE_SHOTS=<folder> set, draws the two pictures of the guide
// (run under xvfb-run with QT_QPA_PLATFORM=xcb for real fonts).
void TestCompareView::screenshots_forTheGuide() {
  const QString folder = qEnvironmentVariable("DDPM_COMPARE_SHOTS");
  if (folder.isEmpty()) QSKIP("set DDPM_COMPARE_SHOTS to a folder to draw the guide's screenshots");
  MainWindow window(MainWindow::SettingsMode::Fresh);
  window.setErrorDialogsEnabled(false);
  window.resize(1440, 900);
  window.show();
  const bool points = qEnvironmentVariableIsSet("DDPM_COMPARE_POINTS");  // moons instead of Fashion-MNIST
  QVERIFY(window.openCheckpoint(QString::fromStdString(resolve_checkpoint(points ? "moons" : "fashion-mnist"))));
  window.setCurrentView(QStringLiteral("compare"));
  CompareView* view = window.compareView();
  AbPanel* ab = view->abPanel();
  const int ddpmSteps = qEnvironmentVariableIntValue("DDPM_COMPARE_DDPM");  // 0: A is DDIM too
  ab->columnA()->setSettings(ddpmSteps > 0 ? ddpmSettings() : ddimSettings(20, 1.0));
  const int bSteps = qEnvironmentVariableIsSet("DDPM_COMPARE_B_STEPS") ? qEnvironmentVariableIntValue("DDPM_COMPARE_B_STEPS")
                                                                         : 20;
  SamplingSettings b = ddimSettings(bSteps, 0.0);
  b.clipX0 = !points;
  ab->columnB()->setSettings(b);
  SamplingSettings a = ab->columnA()->settings();
  a.clipX0 = !points;
  ab->columnA()->setSettings(a);
  ab->setSeed(1);
  ab->setSamples(points ? 500 : 16);
  QVERIFY(runBoth(*ab, 400000));
  const int position = qEnvironmentVariableIsSet("DDPM_COMPARE_AT") ? qEnvironmentVariableIntValue("DDPM_COMPARE_AT")
                                                                      : ab->slider()->maximum();
  ab->slider()->setValue(position);
  QTest::qWait(300);
  const QString suffix = points ? QStringLiteral("moons") : QStringLiteral("fashion");
  QVERIFY(window.grab().save(folder + QStringLiteral("/compare_ab_") + suffix + QStringLiteral(".png")));

  view->setPage(1);
  SlerpPanel* slerp = view->slerpPanel();
  SlerpSettings s;
  s.seedA = 1;
  s.seedB = 2;
  s.count = 9;
  s.samples = points ? 64 : 3;
  s.steps = 20;
  slerp->setSettings(s);
  QVERIFY(runSlerp(*slerp));
  QTest::qWait(300);
  QVERIFY(window.grab().save(folder + QStringLiteral("/compare_slerp_") + suffix + QStringLiteral(".png")));
}

QTEST_MAIN(TestCompareView)
#include "test_compare_view.moc"
