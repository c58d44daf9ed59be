// The Sampling view: a checkpoint's model sampled on the worker thread, every step
// recorded (K + 1 frames: x_T, then the state after each step), frames equal to an
// independent run of core's ReverseProcess, scrubbing / Step / Step back / Play, cancel,
// broken checkpoints, a freshly trained model, and PNG / GIF export.
#include "core/checkpoint/checkpoint.h"
#include "core/jobs/checkpoint_model.h"
#include "core/jobs/noisy_classifier_job.h"
#include "core/diffusion/gaussian_diffusion.h"
#include "core/models/denoiser.h"
#include "core/sampling/reverse_process.h"
#include "core/schedule/noise_schedule.h"

#include "ui/shared/compute_devices.h"
#include "ui/shared/current_model.h"
#include "ui/shared/frame_render.h"
#include "ui/window/main_window.h"
#include "ui/shared/maths_format.h"
#include "ui/sampling/classifier_guidance_controls.h"
#include "ui/sampling/sampling_session.h"
#include "ui/sampling/trajectory_render.h"
#include "ui/sampling/trajectory_store.h"
#include "ui/window/studio_options.h"
#include "ui/shared/timestep_cursor.h"
#include "ui/sampling/sampling_view.h"
#include "ui/shared/formula_panel.h"
#include "ui/shared/image_panel.h"

#include "ui_fixtures.h"
#include "ui_test_support.h"

#include <QtTest>
#include <QtWidgets>

#include <chrono>

Q_DECLARE_METATYPE(ddpm::ui::SamplingSettings)

using namespace ddpm;
using namespace ddpm::ui;

namespace {

constexpr int kWaitMs = 20000;

// An untrained 2D model: the MLP preset, a cosine schedule with T steps, "moons".
CheckpointData pointsCheckpoint(std::int64_t T, std::int64_t step = 321) {
  return test::untrainedPointsCheckpoint(T, ScheduleKind::Cosine, step);
}

// An untrained image model: unet-tiny on 1 × 8 × 8, linear schedule with T = 20. Its
// output layer starts near zero (ε̂ ≈ 0), unless every weight is drawn at random.
CheckpointData imageCheckpoint(bool randomWeights = false) {
  torch::manual_seed(5);
  const Denoiser model = make_denoiser(model_preset("unet-tiny", {1, 8, 8}));
  if (randomWeights) {
    torch::NoGradGuard no_grad;
    for (auto& p : model->parameters()) p.normal_(0.0, 0.05);
  }
  CheckpointData d;
  d.model = model->config();
  d.schedule.kind = ScheduleKind::Linear;
  d.schedule.steps = 20;
  d.schedule.beta_start = 1e-3;
  d.schedule.beta_end = 0.2;
  d.data_spec = "fashion-mnist";
  d.normalisation = Normalisation::pixels_to_unit_range();
  d.sample_shape = {1, 8, 8};
  d.step = 10;
  d.weights = named_weights(*model);
  return d;
}

// An untrained class-conditional 2D model of three named classes, every weight drawn at
// random (the output layer and the label table start near zero, which would hide the
// class) so that each class predicts something different.
CheckpointData conditionalCheckpoint() {
  CheckpointData d = pointsCheckpoint(40);
  d.model.num_classes = 3;
  torch::manual_seed(9);
  const Denoiser model = make_denoiser(d.model);
  {
    torch::NoGradGuard no_grad;
    for (auto& p : model->parameters()) p.normal_(0.0, 0.2);
  }
  d.weights = named_weights(*model);
  d.class_names = {"left", "middle", "right"};
  return d;
}

// The same run as the view's, driven here with core alone.
ReverseProcess referenceProcess(const CheckpointData& d, const SamplingSettings& s) {
  SamplerOptions o = test::expectedSamplerOptions(s);
  o.x0_range = checkpoint_x0_range(d);  // 2D models clamp x̂_0 into their data's range
  torch::set_num_threads(recommended_threads(d.model));  // as the worker does: same kernels, same numbers
  return ReverseProcess(load_denoiser(d), GaussianDiffusion{NoiseSchedule(d.schedule)}, d.sample_shape, o);
}

std::vector<float> floats(const torch::Tensor& x) {
  const auto c = x.to(torch::kFloat32).contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

float maxAbsDifference(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return std::numeric_limits<float>::infinity();
  float worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
  return worst;
}

// A window with the model at `path` opened and the Sampling view shown.
struct Fixture : test::SamplingWindow {
  Fixture() : SamplingWindow(kWaitMs) {}
};

SamplingSettings ddpmRun(int samples, quint64 seed = 7) {
  SamplingSettings s;
  s.samples = samples;
  s.seed = seed;
  return s;
}

SamplingSettings ddimRun(int steps, double eta, int samples, quint64 seed = 7) {
  SamplingSettings s = ddpmRun(samples, seed);
  s.sampler = SamplingSettings::Sampler::DDIM;
  s.steps = steps;
  s.eta = eta;
  return s;
}

SamplingSettings odeRun(SamplingSettings::Sampler sampler, int steps, int samples, quint64 seed = 7) {
  SamplingSettings s = ddpmRun(samples, seed);
  s.sampler = sampler;
  s.steps = steps;
  return s;
}

}  // namespace

class TestSamplingView : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();

  void window_hasTheSamplingViewAndItsCommandLineName();
  void noModel_sampleIsRefusedWithAReason();
  void ddpmRun_recordsTPlusOneFramesInStepOrder();
  void ddimRun_recordsKPlusOneFramesAtItsTimesteps();
  void recordedPoints_equalAnIndependentReverseProcess_data();
  void recordedPoints_equalAnIndependentReverseProcess();
  void recordedImages_areQuantisedStatesAndThePanelsShowThem();
  void scrubber_showsTheStoredFrameAndItsFormula();
  void odeSamplers_chosenFromTheMenu_showTheirStepWithLiveCoefficients();
  void conditionalModel_classAndGuidanceDriveTheRunAndTheFormula();
  void unconditionalModel_classifierGuidanceDrivesTheRunAndTheFormula();
  void precisionRow_offersBf16WhereTheMachineHasIt_andTheRunUsesIt();
  void samplerChoice_isKeptAndDamagedValuesAreBroughtIntoRange();
  void stepAndStepBack_moveByOneAndStopAtTheEnds();
  void play_runsToTheLastFrameAndStops();
  void keys_stepAndPlayTheTrajectoryNotTheSharedT();
  void cancelMidRun_stopsAndKeepsTheStepsSoFar();
  void closingDuringARun_returnsPromptly();
  void brokenCheckpoint_reportsErrorAndKeepsModelAndTrajectory();
  void newCurrentModel_isOfferedAndTheOldTrajectoryMarked();
  void exportPngAndGif_writeReadableFilesWithTheFrameCount();
  void commandLine_samplesAndShowsTheAskedFrame();
  void scrubbingAThousandImageSteps_rendersEachFrameFast();

 private:
  QTemporaryDir m_dir;
  QString m_points;  // T = 50 2D checkpoint
  QString m_images;  // T = 20 image checkpoint
  QString m_conditional;  // T = 40 class-conditional 2D checkpoint
};

void TestSamplingView::initTestCase() {
  QVERIFY(m_dir.isValid());
  test::isolateSettings(m_dir);
  m_points = m_dir.filePath(QStringLiteral("points.safetensors"));
  m_images = m_dir.filePath(QStringLiteral("images.safetensors"));
  save_checkpoint(m_points.toStdString(), pointsCheckpoint(50));
  save_checkpoint(m_images.toStdString(), imageCheckpoint());
  m_conditional = m_dir.filePath(QStringLiteral("conditional.safetensors"));
  save_checkpoint(m_conditional.toStdString(), conditionalCheckpoint());
}

void TestSamplingView::window_hasTheSamplingViewAndItsCommandLineName() {
  MainWindow window(MainWindow::SettingsMode::Fresh);
  QVERIFY(window.samplingView() != nullptr);
  QVERIFY(window.setCurrentView(QStringLiteral("sampling")));
  QCOMPARE(window.currentViewKey(), QStringLiteral("sampling"));
  const auto parsed = parseStudioOptions({QStringLiteral("ddpm-studio"), QStringLiteral("--view"),
                                          QStringLiteral("sampling")});
  QCOMPARE(parsed.action, StudioOptionsResult::Action::Run);
  QCOMPARE(parsed.options.view, QStringLiteral("sampling"));
  // --sample without --checkpoint samples the model the window has (the startup model in
  // the app); a window without one says so instead of sampling.
  const auto alone = parseStudioOptions({QStringLiteral("ddpm-studio"), QStringLiteral("--sample")});
  QCOMPARE(alone.action, StudioOptionsResult::Action::Run);
  QVERIFY(alone.options.sample && alone.options.checkpoint.isEmpty());
  MainWindow empty(MainWindow::SettingsMode::Fresh);
  empty.setErrorDialogsEnabled(false);
  QVERIFY(empty.applyOptions(alone.options).contains(QStringLiteral("no model")));
  QVERIFY(window.openCheckpoint(m_points));
  QSignalSpy ended(window.samplingView(), &SamplingView::runEnded);
  QCOMPARE(window.applyOptions(alone.options), QString());
  QVERIFY(ended.wait(kWaitMs));
  QVERIFY(ended.last().at(0).toBool());
}

void TestSamplingView::noModel_sampleIsRefusedWithAReason() {
  MainWindow window(MainWindow::SettingsMode::Fresh);
  SamplingView* view = window.samplingView();
  QVERIFY(!view->sampleButton()->isEnabled());
  QVERIFY(view->modelText().contains(QStringLiteral("No model")));
  QVERIFY(view->sampleXtPanel()->placeholder().contains(QStringLiteral("No model")));
  QVERIFY(!view->startSampling());
  QVERIFY(view->message().contains(QStringLiteral("no model")));
  QVERIFY(view->store().isEmpty());
}

void TestSamplingView::ddpmRun_recordsTPlusOneFramesInStepOrder() {
  Fixture f;
  QVERIFY(f.open(m_points));
  QVERIFY(f.view->modelText().contains(QStringLiteral("points.safetensors")));
  QVERIFY(f.view->modelText().contains(QStringLiteral("moons")));
  QVERIFY(f.view->modelText().contains(QStringLiteral("321")));  // steps trained
  QVERIFY(f.view->sampleButton()->isEnabled());
  QVERIFY(f.view->sampleXtPanel()->placeholder().contains(QStringLiteral("Press Sample")));
  QVERIFY(f.sample(ddpmRun(200)));
  const TrajectoryStore& store = f.view->store();
  QVERIFY(f.view->sampleXtPanel()->placeholder().isEmpty());
  QVERIFY(store.layout().isPoints());
  QCOMPARE(store.layout().totalSteps(), 50);
  QCOMPARE(store.count(), 51);
  QVERIFY(store.isComplete());
  QCOMPARE(store.frame(0).t, 50);  // x_T, before any step
  QVERIFY(!store.frame(0).hasPrediction());
  for (int k = 1; k <= 50; ++k) {
    QCOMPARE(store.frame(k).step, k);
    QCOMPARE(store.frame(k).t, 50 - k);
    QVERIFY(store.frame(k).hasPrediction());
    QCOMPARE(store.frame(k).xtPoints.size(), std::size_t(400));
  }
  QCOMPARE(store.frame(50).sigma, 0.0);  // Algorithm 2: no noise at the last step
  QVERIFY(store.frame(49).sigma > 0.0);
  QCOMPARE(store.bytes(), std::size_t((51 + 50) * 400 * sizeof(float)));
  QCOMPARE(f.view->scrubber()->maximum(), 50);
}

void TestSamplingView::ddimRun_recordsKPlusOneFramesAtItsTimesteps() {
  Fixture f;
  QVERIFY(f.open(m_points));
  QVERIFY(f.sample(ddimRun(7, 0.0, 50)));
  const TrajectoryStore& store = f.view->store();
  QCOMPARE(store.count(), 8);
  SamplerOptions o;
  o.kind = SamplerKind::DDIM;
  o.steps = 7;
  const auto expected = sampling_timesteps(o, 50);
  QCOMPARE(store.layout().timesteps.size(), expected.size());
  for (int k = 1; k <= 7; ++k) QCOMPARE(store.frame(k).t, static_cast<int>(expected[static_cast<std::size_t>(k - 1)]));
  QCOMPARE(store.frame(1).t, 49);
  QCOMPARE(store.frame(7).t, 0);
  for (int k = 0; k <= 7; ++k) QCOMPARE(store.frame(k).sigma, 0.0);  // η = 0: deterministic
}

void TestSamplingView::recordedPoints_equalAnIndependentReverseProcess_data() {
  QTest::addColumn<SamplingSettings>("settings");
  SamplingSettings posterior = ddpmRun(64, 11);
  posterior.posteriorVariance = true;
  QTest::newRow("ddpm beta") << ddpmRun(64, 3);
  QTest::newRow("ddpm posterior") << posterior;
  QTest::newRow("ddim eta 0.5, 10 steps") << ddimRun(10, 0.5, 64, 5);
  QTest::newRow("dpm-solver++ 10 steps") << odeRun(SamplingSettings::Sampler::DPMSolverPP, 10, 64, 4);
  QTest::newRow("euler 8 steps") << odeRun(SamplingSettings::Sampler::Euler, 8, 64, 6);
  QTest::newRow("heun 6 steps") << odeRun(SamplingSettings::Sampler::Heun, 6, 64, 8);
}

void TestSamplingView::recordedPoints_equalAnIndependentReverseProcess() {
  QFETCH(SamplingSettings, settings);
  Fixture f;
  QVERIFY(f.open(m_points));
  QVERIFY(f.sample(settings));
  const TrajectoryStore& store = f.view->store();
  ReverseProcess reference = referenceProcess(load_checkpoint(m_points.toStdString()), settings);
  QCOMPARE(store.count(), static_cast<int>(reference.total_steps()) + 1);
  QVERIFY(maxAbsDifference(store.frame(0).xtPoints, floats(reference.sample())) == 0.0f);  // same seed, same x_T
  for (int k = 1; k < store.count(); ++k) {
    reference.step();
    const TrajectoryFrame& frame = store.frame(k);
    QVERIFY2(maxAbsDifference(frame.xtPoints, floats(reference.sample())) <= 1e-5f, qPrintable(QString::number(k)));
    QVERIFY2(maxAbsDifference(frame.x0Points, floats(reference.predicted_x0())) <= 1e-5f, qPrintable(QString::number(k)));
    QCOMPARE(frame.t, static_cast<int>(reference.t()));
    QVERIFY(std::abs(frame.sigma - reference.sigma()) <= 1e-12);
    const auto xt = floats(reference.sample());
    double mean = 0, squares = 0;
    for (float v : xt) mean += v;
    mean /= static_cast<double>(xt.size());
    for (float v : xt) squares += (v - mean) * (v - mean);
    QVERIFY(std::abs(frame.xtStd - std::sqrt(squares / static_cast<double>(xt.size()))) <= 1e-5);
  }
}

void TestSamplingView::recordedImages_areQuantisedStatesAndThePanelsShowThem() {
  Fixture f;
  QVERIFY(f.open(m_images));
  SamplingSettings settings = ddimRun(5, 1.0, 6, 2);
  settings.clipX0 = true;
  QVERIFY(f.sample(settings));
  const TrajectoryStore& store = f.view->store();
  QVERIFY(store.layout().isImages());
  QCOMPARE(store.count(), 6);
  QCOMPARE(store.layout().channels, 1);
  QCOMPARE(store.layout().height, 8);
  QCOMPARE(store.bytes(), std::size_t((6 + 5) * 6 * 64));  // one byte per value

  ReverseProcess reference = referenceProcess(load_checkpoint(m_images.toStdString()), settings);
  for (int k = 0; k < store.count(); ++k) {
    if (k > 0) reference.step();
    const auto xt = floats(reference.sample());
    const auto& levels = store.frame(k).xtBytes;
    QCOMPARE(levels.size(), xt.size());
    int worst = 0;  // a grey level of 1 covers float noise between two runs of the network
    for (std::size_t i = 0; i < xt.size(); ++i) {
      const long expected = std::lround((std::clamp(xt[i], -1.0f, 1.0f) + 1.0f) * 127.5f);
      worst = std::max<int>(worst, static_cast<int>(std::abs(expected - static_cast<long>(levels[i]))));
    }
    QVERIFY2(worst <= 1, qPrintable(QStringLiteral("frame %1: off by %2 levels").arg(k).arg(worst)));
  }

  // Frame 3 on screen: every data pixel of the xₜ grid is the stored grey level, laid
  // out 3 per row (6 images) with 2 pixels of padding.
  f.view->scrubber()->setValue(3);
  QCOMPARE(f.view->currentFrame(), 3);
  const QImage shown = f.view->sampleXtPanel()->image();
  QCOMPARE(shown.size(), QSize(3 * 8 + 4 * 2, 2 * 8 + 3 * 2));
  const auto& levels = store.frame(3).xtBytes;
  for (int i = 0; i < 6; ++i)
    for (int y = 0; y < 8; ++y)
      for (int x = 0; x < 8; ++x) {
        const QRgb pixel = shown.pixel(2 + (i % 3) * 10 + x, 2 + (i / 3) * 10 + y);
        const int level = levels[static_cast<std::size_t>(i * 64 + y * 8 + x)];
        QCOMPARE(qRed(pixel), level);
        QCOMPARE(qBlue(pixel), level);
      }
  const QImage predicted = f.view->predictionPanel()->image();
  QCOMPARE(predicted.pixel(2, 2) & 0xffffff,
           static_cast<QRgb>(qRgb(store.frame(3).x0Bytes[0], store.frame(3).x0Bytes[0], store.frame(3).x0Bytes[0])) &
               0xffffff);
}

void TestSamplingView::scrubber_showsTheStoredFrameAndItsFormula() {
  Fixture f;
  QVERIFY(f.open(m_points));
  QVERIFY(f.sample(ddpmRun(300)));
  f.view->pause();
  const NoiseSchedule schedule(load_checkpoint(m_points.toStdString()).schedule);
  for (int k : {0, 1, 17, 49, 50}) {
    f.view->scrubber()->setValue(k);
    QCOMPARE(f.view->currentFrame(), k);
    const QImage shown = f.view->sampleXtPanel()->image();
    const TrajectoryFrame& frame = f.view->store().frame(k);
    const QImage expected = renderTrajectoryLayer(f.view->store(), k, TrajectoryLayer::Sample,
                                                  f.view->sampleXtPanel()->canvasSize(), f.view->devicePixelRatioF(),
                                                  pointColours(f.view->store().frame(50).xtPoints.data(), 300));
    QCOMPARE(shown, expected);
    const QString formula = f.view->formulaHtml();
    if (k == 0) {
      QVERIFY(formula.contains(QStringLiteral("Start: x<sub>T</sub> ~ N(0, I)")));
      continue;
    }
    const auto t = static_cast<std::size_t>(frame.t);
    QVERIFY(formula.contains(QStringLiteral("t = %1 (paper t = %2").arg(frame.t).arg(frame.t + 1)));
    // eq. 11's numbers at this t: 1/√α_t and β_t/√(1 − ᾱ_t), from the schedule itself.
    QVERIFY(formula.contains(formatNumber(1.0 / std::sqrt(schedule.alpha[t]))));
    QVERIFY(formula.contains(formatNumber(schedule.beta[t] / std::sqrt(1.0 - schedule.alpha_bar[t]))));
    QVERIFY(formula.contains(formatNumber(frame.sigma)));
  }
  // The window's formula panel follows the view.
  QTRY_VERIFY(f.window.formulaPanel()->plainText().contains(QStringLiteral("DDPM reverse step")));
}

void TestSamplingView::odeSamplers_chosenFromTheMenu_showTheirStepWithLiveCoefficients() {
  Fixture f;
  QVERIFY(f.open(m_points));
  auto* menu = f.view->findChild<QComboBox*>(QStringLiteral("samplingSampler"));
  QVERIFY(menu);
  QCOMPARE(menu->count(), 5);
  const NoiseSchedule schedule(load_checkpoint(m_points.toStdString()).schedule);
  for (const auto sampler : {SamplingSettings::Sampler::DPMSolverPP, SamplingSettings::Sampler::Euler,
                             SamplingSettings::Sampler::Heun}) {
    menu->setCurrentIndex(menu->findData(static_cast<int>(sampler)));  // as a person picks it
    SamplingSettings s = f.view->settings();
    QCOMPARE(s.sampler, sampler);
    s.steps = 10;
    s.samples = 100;
    QVERIFY(f.sample(s));
    const TrajectoryStore& store = f.view->store();
    QCOMPARE(store.count(), 11);
    f.view->pause();
    const auto& seq = store.layout().timesteps;
    f.view->scrubber()->setValue(3);  // step 3: from seq[2] to seq[3], the step before at seq[1]
    const QString formula = f.view->formulaHtml();
    const int t = seq[2], to = seq[3], u = seq[1];
    QVERIFY2(formula.contains(QStringLiteral("step from t = %1 to s = %2").arg(t).arg(to)), qPrintable(formula));
    QVERIFY(formula.contains(QStringLiteral("no noise")));
    if (sampler == SamplingSettings::Sampler::DPMSolverPP) {
      // Lu et al.'s 2M weights at these indices, from λ = ½ log SNR of the schedule.
      auto lambda = [&](int i) { return 0.5 * schedule.log_snr[static_cast<std::size_t>(i)]; };
      const double r = (lambda(t) - lambda(u)) / (lambda(to) - lambda(t));
      QVERIFY2(formula.contains(QStringLiteral("second order")), qPrintable(formula));
      QVERIFY(formula.contains(formatNumber(1.0 + 0.5 / r)));
      QVERIFY(formula.contains(QStringLiteral("DPM-Solver++(2M) step")));
    } else {
      // α_s/α_t, the weight of x_t in the Euler step (Heun's too).
      QVERIFY(formula.contains(formatNumber(std::sqrt(schedule.alpha_bar[static_cast<std::size_t>(to)] /
                                                      schedule.alpha_bar[static_cast<std::size_t>(t)]))));
    }
    for (int k = 0; k < store.count(); ++k) QCOMPARE(store.frame(k).sigma, 0.0);
  }
}

// A class-conditional model shows the class picker and the guidance slider (hidden for the
// unconditional one); chosen through them, the run equals core's guided run and the
// formula shows the mix with this run's weights.
void TestSamplingView::conditionalModel_classAndGuidanceDriveTheRunAndTheFormula() {
  Fixture f;
  QVERIFY(f.open(m_points));
  auto* classes = f.view->findChild<QComboBox*>(QStringLiteral("guidanceClass"));
  auto* weight = f.view->findChild<QSlider*>(QStringLiteral("guidanceWeight"));
  QVERIFY(classes && weight);
  QVERIFY(!classes->isVisibleTo(f.view));  // an unconditional model has no classes to pick
  QCOMPARE(f.view->settings().classLabel, -1);

  QVERIFY(f.window.openCheckpoint(m_conditional));
  QVERIFY(classes->isVisibleTo(f.view));
  QCOMPARE(classes->count(), 4);  // any, then the three classes by name
  QVERIFY(classes->itemText(3).contains(QStringLiteral("right")));
  QVERIFY(!weight->isEnabled());  // no class, nothing to guide towards
  classes->setCurrentIndex(classes->findData(2));
  QVERIFY(weight->isEnabled());
  weight->setValue(6);  // steps of 0.5: w = 3
  SamplingSettings s = f.view->settings();
  QCOMPARE(s.classLabel, 2);
  QCOMPARE(s.guidance, 3.0);
  s.sampler = SamplingSettings::Sampler::DDIM;
  s.steps = 8;
  s.samples = 50;
  s.seed = 4;
  QVERIFY(f.sample(s));

  const TrajectoryStore& store = f.view->store();
  ReverseProcess reference = referenceProcess(load_checkpoint(m_conditional.toStdString()), s);
  QCOMPARE(reference.options().guidance.class_label, std::int64_t(2));
  run_to_end(reference);
  QVERIFY(maxAbsDifference(store.frame(store.count() - 1).xtPoints, floats(reference.sample())) <= 1e-5f);
  // The same run without guidance ends elsewhere: the slider changed the samples.
  SamplingSettings plain = s;
  plain.guidance = 0.0;
  ReverseProcess unguided = referenceProcess(load_checkpoint(m_conditional.toStdString()), plain);
  run_to_end(unguided);
  QVERIFY(maxAbsDifference(floats(unguided.sample()), floats(reference.sample())) > 1e-3f);

  f.view->pause();
  f.view->scrubber()->setValue(3);
  const QString formula = f.view->formulaHtml();
  QVERIFY2(formula.contains(QStringLiteral("<b>4</b> · ε<sub>θ</sub>(xₜ, c) − <b>3</b> · ε<sub>θ</sub>(xₜ, ∅)")),
           qPrintable(formula));
  QVERIFY(store.frame(3).guidanceGap > 0.0);
  QVERIFY(formula.contains(formatNumber(store.frame(3).guidanceGap, 3)));
}

// An unconditional model offers classifier guidance: a noise-aware classifier trained for
// it is accepted (one for other coordinates refused, with the reason), its classes and
// the scale drive the run, which equals core's guided run, and the formula shows the push.
void TestSamplingView::unconditionalModel_classifierGuidanceDrivesTheRunAndTheFormula() {
  const CheckpointData points = load_checkpoint(m_points.toStdString());
  NoisyClassifierJobOptions job;
  job.data.toy_points = 400;
  job.training.epochs = 1;
  NoisyClassifierJobResult trained = train_noisy_classifier_for(points, job);
  const QString classifier = m_dir.filePath(QStringLiteral("points-noisy.safetensors"));
  save_noisy_classifier(classifier.toStdString(), *trained.model, trained.info);
  CheckpointData elsewhere = points;  // the same model in other coordinates
  elsewhere.normalisation = Normalisation{{0.5}, {2.0}};
  NoisyClassifierJobResult other = train_noisy_classifier_for(elsewhere, job);
  const QString foreign = m_dir.filePath(QStringLiteral("foreign-noisy.safetensors"));
  save_noisy_classifier(foreign.toStdString(), *other.model, other.info);

  Fixture f;
  QVERIFY(f.open(m_points));
  auto* controls = f.view->findChild<ClassifierGuidanceControls*>();
  QVERIFY(controls && controls->isVisibleTo(f.view));
  QCOMPARE(f.view->settings().noisyClassifier, QString());
  QVERIFY(!controls->scaleSlider()->isEnabled());  // no classifier, nothing to scale
  QVERIFY(controls->openClassifier(foreign).contains(QStringLiteral("other coordinates")));
  QCOMPARE(controls->classifierPath(), QString());
  QCOMPARE(controls->openClassifier(classifier), QString());
  QCOMPARE(controls->classBox()->count(), 2);  // moons: two classes
  QVERIFY(controls->scaleSlider()->isEnabled());
  controls->classBox()->setCurrentIndex(1);
  controls->scaleSlider()->setValue(6);  // steps of 0.5: s = 3
  SamplingSettings s = f.view->settings();
  QCOMPARE(s.noisyClassifier, classifier);
  QCOMPARE(s.classifierClass, 1);
  QCOMPARE(s.classifierScale, 3.0);
  s.sampler = SamplingSettings::Sampler::DDIM;
  s.steps = 8;
  s.samples = 40;
  s.seed = 6;
  QVERIFY(f.sample(s));

  const TrajectoryStore& store = f.view->store();
  const auto guidedReference = [&](double scale) {
    SamplingSettings t = s;
    t.noisyClassifier.clear();  // the core options written out by hand, the classifier added here
    ReverseProcess plain = referenceProcess(points, t);
    SamplerOptions o = plain.options();
    o.classifier = classifier_guidance_of(load_noisy_classifier(classifier.toStdString()), 1, scale, torch::kCPU);
    ReverseProcess process(load_denoiser(points), GaussianDiffusion(NoiseSchedule(points.schedule)), {2}, o);
    run_to_end(process);
    return floats(process.sample());
  };
  QVERIFY(maxAbsDifference(store.frame(store.count() - 1).xtPoints, guidedReference(3.0)) <= 1e-5f);
  QVERIFY(maxAbsDifference(guidedReference(0.0), guidedReference(3.0)) > 1e-3f);  // the scale moved the samples

  f.view->pause();
  f.view->scrubber()->setValue(3);
  const QString formula = f.view->formulaHtml();
  const NoiseSchedule schedule(points.schedule);
  const int t = store.frame(3).t;
  QVERIFY2(formula.contains(QStringLiteral("classifier guidance")), qPrintable(formula));
  QVERIFY2(formula.contains(formatNumber(3.0 * schedule.sqrt_one_minus_alpha_bar[static_cast<std::size_t>(t)], 4, true)),
           qPrintable(formula));
  QVERIFY(store.frame(3).classifierGradient > 0.0);
  QVERIFY(formula.contains(formatNumber(store.frame(3).classifierGradient, 3)));

  // The command line's choice, all at once (the sampler must survive the classifier's).
  StudioOptions options;
  options.sampler = QStringLiteral("ddim");
  options.sampleSteps = 7;
  options.noisyClassifier = classifier;
  options.classLabel = 0;
  options.classifierScale = 2.0;
  QCOMPARE(f.view->applyOptions(options), QString());
  const SamplingSettings applied = f.view->settings();
  QCOMPARE(applied.sampler, SamplingSettings::Sampler::DDIM);
  QCOMPARE(applied.steps, 7);
  QCOMPARE(applied.classifierClass, 0);
  QCOMPARE(applied.classifierScale, 2.0);
  options.classLabel = 5;
  QVERIFY(f.view->applyOptions(options).contains(QStringLiteral("below 2 for this classifier")));

  // A conditional model has classifier-free guidance instead: the controls hide.
  QVERIFY(f.window.openCheckpoint(m_conditional));
  QVERIFY(!controls->isVisibleTo(f.view));
}

void TestSamplingView::precisionRow_offersBf16WhereTheMachineHasIt_andTheRunUsesIt() {
  const QString path = m_dir.filePath(QStringLiteral("images-random.safetensors"));
  save_checkpoint(path.toStdString(), imageCheckpoint(/*randomWeights=*/true));
  Fixture f;
  QVERIFY(f.open(path));
  auto* precision = f.view->findChild<QComboBox*>(QStringLiteral("samplingPrecision"));
  QVERIFY(precision && precision->isVisibleTo(f.view));
  QCOMPARE(precision->currentData().toString(), QStringLiteral("fp32"));
  QVERIFY(!f.view->settings().bf16);
  const QString why = bf16SamplingUnavailableReason();
  const auto* items = qobject_cast<QStandardItemModel*>(precision->model());
  QCOMPARE(items->item(1)->isEnabled(), why.isEmpty());
  QCOMPARE(items->item(1)->toolTip(), why);  // greyed out with core's reason, or no tooltip
  StudioOptions asked;
  asked.precision = QStringLiteral("bf16");  // --precision bf16
  const QString refused = f.view->applyOptions(asked);
  if (!why.isEmpty()) {
    QVERIFY2(refused.contains(why), qPrintable(refused));
    QSKIP("this machine cannot sample in bf16 (no CUDA, no AVX512_BF16)");
  }
  QCOMPARE(refused, QString());
  QCOMPARE(precision->currentIndex(), 1);
  precision->setCurrentIndex(0);
  precision->setCurrentIndex(1);  // and by hand
  SamplingSettings s = f.view->settings();
  QVERIFY(s.bf16);
  s.sampler = SamplingSettings::Sampler::DDIM;
  s.steps = 10;
  s.samples = 6;
  s.seed = 5;
  s.clipX0 = false;
  QVERIFY(f.sample(s));
  QVERIFY(f.view->settings().bf16);  // the run keeps the choice
  // Each frame's spread of x_t (taken before the pictures are quantised) follows a bf16
  // run of core's, and differs from a float32 run's by more than float32 rounding.
  const TrajectoryStore& store = f.view->store();
  const CheckpointData d = load_checkpoint(path.toStdString());
  ReverseProcess bf16 = referenceProcess(d, s);
  QCOMPARE(bf16.options().precision, std::string("bf16"));
  SamplingSettings fp32Settings = s;
  fp32Settings.bf16 = false;
  ReverseProcess fp32 = referenceProcess(d, fp32Settings);
  double apart = 0;
  for (int k = 1; k < store.count(); ++k) {
    bf16.step();
    fp32.step();
    const double shown = store.frame(k).xtStd;
    QVERIFY2(std::abs(shown - bf16.sample().std(/*unbiased=*/false).item<double>()) <= 1e-5, qPrintable(QString::number(k)));
    apart = std::max(apart, std::abs(shown - fp32.sample().std(/*unbiased=*/false).item<double>()));
  }
  QVERIFY2(apart > 1e-5 && apart < 0.05, qPrintable(QString::number(apart)));
}

void TestSamplingView::samplerChoice_isKeptAndDamagedValuesAreBroughtIntoRange() {
  QSettings file(m_dir.filePath(QStringLiteral("choice.ini")), QSettings::IniFormat);
  SamplingSettings chosen = odeRun(SamplingSettings::Sampler::Heun, 12, 16, 99);
  chosen.guidance = 2.5;
  chosen.bf16 = true;
  writeSamplerChoice(file, chosen);
  const SamplingSettings back = readSamplerChoice(file, SamplingSettings{});
  QCOMPARE(back.sampler, SamplingSettings::Sampler::Heun);
  QCOMPARE(back.steps, 12);
  QCOMPARE(back.seed, quint64(99));
  QCOMPARE(back.guidance, 2.5);
  QVERIFY(back.bf16);

  file.setValue(QStringLiteral("sampler"), QStringLiteral("warp-drive"));  // unknown: the default stays
  file.setValue(QStringLiteral("eta"), 7.0);
  file.setValue(QStringLiteral("steps"), -3);
  file.setValue(QStringLiteral("guidance"), QStringLiteral("nan"));
  file.setValue(QStringLiteral("precision"), QStringLiteral("fp8"));
  const SamplingSettings damaged = readSamplerChoice(file, SamplingSettings{});
  QCOMPARE(damaged.sampler, SamplingSettings::Sampler::DDPM);
  QCOMPARE(damaged.eta, 1.0);
  QCOMPARE(damaged.steps, 0);
  QCOMPARE(damaged.guidance, 0.0);
  QVERIFY(!damaged.bf16);
}

void TestSamplingView::stepAndStepBack_moveByOneAndStopAtTheEnds() {
  Fixture f;
  QVERIFY(f.open(m_points));
  QVERIFY(f.sample(ddimRun(10, 0.0, 20)));
  f.view->setFrame(4);
  QSignalSpy moved(f.view, &SamplingView::frameChanged);
  f.view->stepButton()->click();
  QCOMPARE(f.view->currentFrame(), 5);
  QVERIFY(!f.view->isPlaying());
  QCOMPARE(f.view->scrubber()->value(), 5);
  f.view->stepBackButton()->click();
  f.view->stepBackButton()->click();
  QCOMPARE(f.view->currentFrame(), 3);
  QCOMPARE(moved.count(), 3);
  f.view->setFrame(0);
  f.view->stepBackButton()->click();
  QCOMPARE(f.view->currentFrame(), 0);
  f.view->setFrame(10);
  f.view->stepButton()->click();
  QCOMPARE(f.view->currentFrame(), 10);
  QVERIFY(f.view->sampleXtPanel()->title().contains(QStringLiteral("x₀")));
}

void TestSamplingView::play_runsToTheLastFrameAndStops() {
  Fixture f;
  QVERIFY(f.open(m_points));
  QVERIFY(f.sample(ddpmRun(50)));
  f.view->pause();
  f.view->setFrame(0);
  f.view->setSpeed(1000);
  QCOMPARE(f.view->speed(), 1000);
  f.view->playButton()->click();
  QVERIFY(f.view->isPlaying());
  QTRY_COMPARE_WITH_TIMEOUT(f.view->currentFrame(), 50, 5000);
  QTRY_VERIFY(!f.view->isPlaying());
  f.view->playButton()->click();  // at the end, Play starts over from x_T
  QVERIFY(f.view->isPlaying());
  QVERIFY(f.view->currentFrame() < 50);
}

void TestSamplingView::keys_stepAndPlayTheTrajectoryNotTheSharedT() {
  Fixture f;
  QVERIFY(f.open(m_points));
  QVERIFY(QTest::qWaitForWindowExposed(&f.window));
  f.window.activateWindow();
  QVERIFY(QTest::qWaitForWindowActive(&f.window));
  QVERIFY(f.sample(ddimRun(10, 0.0, 20)));
  f.view->pause();
  f.view->setFrame(5);
  f.view->setFocus();
  const int sharedT = f.window.cursor()->t();
  QTest::keyClick(f.view, Qt::Key_Right);
  QCOMPARE(f.view->currentFrame(), 6);
  QTest::keyClick(f.view, Qt::Key_Left);
  QTest::keyClick(f.view, Qt::Key_Left);
  QCOMPARE(f.view->currentFrame(), 4);
  QTest::keyClick(f.view, Qt::Key_End);
  QCOMPARE(f.view->currentFrame(), 10);
  QTest::keyClick(f.view, Qt::Key_Home);
  QCOMPARE(f.view->currentFrame(), 0);
  QTest::keyClick(f.view, Qt::Key_Space);
  QVERIFY(f.view->isPlaying());
  QTest::keyClick(f.view, Qt::Key_Space);
  QVERIFY(!f.view->isPlaying());
  QCOMPARE(f.window.cursor()->t(), sharedT);
}

void TestSamplingView::cancelMidRun_stopsAndKeepsTheStepsSoFar() {
  // A run long enough (T = 1000, 4,000 points) that Stop comes well before the end.
  const QString path = m_dir.filePath(QStringLiteral("long.safetensors"));
  save_checkpoint(path.toStdString(), pointsCheckpoint(1000));
  Fixture f;
  QVERIFY(f.open(path));
  SamplingSettings settings = ddpmRun(4000);
  f.view->setSettings(settings);
  QSignalSpy frames(&f.view->session(), &SamplingSession::framesAdded);
  QSignalSpy ended(f.view, &SamplingView::runEnded);
  QSignalSpy finished(&f.view->session(), &SamplingSession::finished);
  QVERIFY(f.view->startSampling());
  QVERIFY(f.view->isSampling());
  QVERIFY(frames.wait(kWaitMs));
  QVERIFY(f.view->stopButton()->isEnabled());
  f.view->stopButton()->click();
  QVERIFY(ended.wait(kWaitMs));
  QCOMPARE(finished.count(), 1);
  QCOMPARE(finished.first().first().toBool(), true);  // cancelled
  QVERIFY(!f.view->isSampling());
  const int count = f.view->store().count();
  QVERIFY(count >= 1);
  QVERIFY(count < 1001);
  QVERIFY(!f.view->store().isComplete());
  QVERIFY(f.view->message().contains(QStringLiteral("stopped")));
  f.view->setFrame(count - 1);  // what was recorded can be shown
  QCOMPARE(f.view->currentFrame(), count - 1);
  QTest::qWait(200);  // nothing more arrives after the stop
  QCOMPARE(f.view->store().count(), count);
}

void TestSamplingView::closingDuringARun_returnsPromptly() {
  const QString path = m_dir.filePath(QStringLiteral("long2.safetensors"));
  save_checkpoint(path.toStdString(), pointsCheckpoint(1000));
  auto f = std::make_unique<Fixture>();
  QVERIFY(f->open(path));
  f->view->setSettings(ddpmRun(4000));
  QSignalSpy frames(&f->view->session(), &SamplingSession::framesAdded);
  QVERIFY(f->view->startSampling());
  QVERIFY(frames.wait(kWaitMs));
  const auto begin = std::chrono::steady_clock::now();
  f.reset();  // the window and its sampling thread go away mid-run
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  QVERIFY2(seconds < 5.0, qPrintable(QString::number(seconds)));
}

void TestSamplingView::brokenCheckpoint_reportsErrorAndKeepsModelAndTrajectory() {
  Fixture f;
  QVERIFY(f.open(m_points));
  QVERIFY(f.sample(ddimRun(5, 0.0, 10)));
  QFile file(m_points);
  QVERIFY(file.open(QIODevice::ReadOnly));
  const QByteArray bytes = file.readAll();
  const QString truncated = m_dir.filePath(QStringLiteral("truncated.safetensors"));
  test::writeText(truncated, bytes.left(bytes.size() / 2));
  const QString foreign = m_dir.filePath(QStringLiteral("foreign.safetensors"));
  test::writeText(foreign, QByteArray("\x10\x00\x00\x00\x00\x00\x00\x00{\"a\":1}        ", 24));

  QSignalSpy errors(&f.window, &MainWindow::errorReported);
  QSignalSpy changed(f.window.currentModel(), &CurrentModel::changed);
  for (const QString& bad : {truncated, foreign}) {
    QVERIFY(!f.window.openCheckpoint(bad));
  }
  QCOMPARE(errors.count(), 2);
  QCOMPARE(changed.count(), 0);
  QVERIFY(!errors.first().at(1).toString().isEmpty());
  QCOMPARE(f.window.currentModel()->path(), QFileInfo(m_points).absoluteFilePath());
  QVERIFY(f.view->modelText().contains(QStringLiteral("points.safetensors")));
  QCOMPARE(f.view->store().count(), 6);  // the trajectory stays
  QVERIFY(f.sample(ddimRun(3, 0.0, 10)));   // and the model still samples
  QCOMPARE(f.view->store().count(), 4);
}

void TestSamplingView::newCurrentModel_isOfferedAndTheOldTrajectoryMarked() {
  Fixture f;
  QVERIFY(f.open(m_points));
  QVERIFY(f.sample(ddimRun(4, 0.0, 10)));
  QVERIFY(!f.view->modelText().contains(QStringLiteral("another model")));
  // What the Training view does with a model it has just trained.
  auto trained = std::make_unique<CheckpointData>(pointsCheckpoint(30, 999));
  f.window.currentModel()->set(std::move(trained), QString());
  QVERIFY(f.view->modelText().contains(QStringLiteral("the model just trained")));
  QVERIFY(f.view->modelText().contains(QStringLiteral("999")));
  QVERIFY(f.view->modelText().contains(QStringLiteral("another model")));
  QCOMPARE(f.view->store().count(), 5);
  QVERIFY(f.sample(ddpmRun(10)));
  QCOMPARE(f.view->store().count(), 31);  // T = 30 of the new model
  QVERIFY(!f.view->modelText().contains(QStringLiteral("another model")));
}

void TestSamplingView::exportPngAndGif_writeReadableFilesWithTheFrameCount() {
  Fixture f;
  QVERIFY(f.open(m_points));
  QString error;
  const QString before = m_dir.filePath(QStringLiteral("before.png"));  // nothing sampled: the view as seen
  QVERIFY2(f.view->exportImage(before, &error), qPrintable(error));
  QCOMPARE(QImage(before).size(), f.view->size() * 2);
  QVERIFY(!f.view->exportImage(m_dir.filePath(QStringLiteral("no/such/folder/x.png")), &error));
  QVERIFY(!error.isEmpty());
  QVERIFY(f.sample(ddpmRun(100)));
  f.view->setFrame(20);
  const QString png = m_dir.filePath(QStringLiteral("frame.png"));
  QVERIFY2(f.view->exportImage(png, &error), qPrintable(error));
  const QImage picture(png);
  QVERIFY(!picture.isNull());
  QVERIFY(picture.width() > 2 * 300);
  // Each picture is titled as in the view (x_t and x̂0, each with its t), in a band right
  // above it: dark grey text on the white sheet (points are drawn in colour).
  const TrajectoryStore& store = f.view->store();
  const int t20 = store.frame(20).t;
  QCOMPARE(sampleTitle(store, 20), QStringLiteral("xₜ after step 20 of 50 (t = %1)").arg(t20));
  QCOMPARE(predictionTitle(store, 20), QStringLiteral("Predicted x̂₀ at t = %1").arg(t20));
  QCOMPARE(sampleTitle(store, 0), QStringLiteral("x_T ~ N(0, I): pure noise"));
  QCOMPARE(sampleTitle(store, 50), QStringLiteral("x₀: the sample, after all 50 steps"));
  const auto textPixels = [&picture](int left, int right) {
    int dark = 0;
    for (int y = 8 + 22; y < 8 + 22 + 18; ++y)
      for (int x = left; x < right; ++x) {
        const QRgb p = picture.pixel(x, y);
        dark += qGray(p) < 128 && qRed(p) == qGreen(p) && qGreen(p) == qBlue(p);
      }
    return dark;
  };
  const int half = picture.width() / 2;
  QVERIFY2(textPixels(8, half - 4) > 50, "a title above x_t");
  QVERIFY2(textPixels(half + 4, picture.width() - 8) > 50, "a title above x̂0");

  const QString gif = m_dir.filePath(QStringLiteral("all.gif"));
  QCOMPARE(f.view->exportGif(gif, &error), 51);  // every frame: x_T and the 50 steps
  QImageReader reader(gif);
  QVERIFY(reader.canRead());
  QCOMPARE(reader.imageCount(), 51);
  QCOMPARE(reader.size(), picture.size());
  const QString shortGif = m_dir.filePath(QStringLiteral("short.gif"));
  QCOMPARE(f.view->exportGif(shortGif, &error, 12), 12);
  QCOMPARE(QImageReader(shortGif).imageCount(), 12);
  QVERIFY(f.view->exportGif(m_dir.filePath(QStringLiteral("no/such/folder/x.gif")), &error) == 0);
  QVERIFY(!error.isEmpty());

  // Grey images make a grey GIF.
  QVERIFY(f.window.openCheckpoint(m_images));
  QVERIFY(f.sample(ddimRun(4, 0.0, 4)));
  const QString imagesGif = m_dir.filePath(QStringLiteral("images.gif"));
  QCOMPARE(f.view->exportGif(imagesGif, &error), 5);
  QImageReader imagesReader(imagesGif);
  QCOMPARE(imagesReader.imageCount(), 5);
  const QImage first = imagesReader.read().convertToFormat(QImage::Format_RGB32);
  QVERIFY(first.allGray());

  // To look at the exports by eye: DDPM_TEST_EXPORT_DIR=/some/folder test_sampling_view
  const QString keep = qEnvironmentVariable("DDPM_TEST_EXPORT_DIR");
  if (!keep.isEmpty())
    for (const QString& file : {png, gif, shortGif, imagesGif})
      QFile::copy(file, QDir(keep).filePath(QFileInfo(file).fileName()));
}

void TestSamplingView::commandLine_samplesAndShowsTheAskedFrame() {
  const auto parsed = parseStudioOptions({QStringLiteral("ddpm-studio"), QStringLiteral("--view"), QStringLiteral("sampling"),
                                          QStringLiteral("--checkpoint"), m_points, QStringLiteral("--sample"),
                                          QStringLiteral("--sampler"), QStringLiteral("ddim"),
                                          QStringLiteral("--sample-steps"), QStringLiteral("6"), QStringLiteral("--samples"),
                                          QStringLiteral("30"), QStringLiteral("--seed"), QStringLiteral("4"),
                                          QStringLiteral("--frame"), QStringLiteral("2")});
  QCOMPARE(parsed.action, StudioOptionsResult::Action::Run);
  MainWindow window(MainWindow::SettingsMode::Fresh);
  window.setErrorDialogsEnabled(false);
  QSignalSpy ended(window.samplingView(), &SamplingView::runEnded);
  QCOMPARE(window.applyOptions(parsed.options), QString());
  QCOMPARE(window.currentViewKey(), QStringLiteral("sampling"));
  QVERIFY(ended.wait(kWaitMs));
  SamplingView* view = window.samplingView();
  QCOMPARE(view->store().count(), 7);
  QCOMPARE(view->store().layout().count, 30);
  QCOMPARE(view->settings().seed, quint64(4));
  QCOMPARE(view->currentFrame(), 2);
  QVERIFY(!view->isPlaying());

  StudioOptions tooMany = parsed.options;
  tooMany.sampleSteps = 51;
  MainWindow other(MainWindow::SettingsMode::Fresh);
  QVERIFY(other.applyOptions(tooMany).contains(QStringLiteral("at most T = 50")));
  // --class and --guidance: for a conditional model, within its classes, guidance with a class.
  StudioOptions classes = parsed.options;
  classes.classLabel = 1;
  MainWindow unconditional(MainWindow::SettingsMode::Fresh);
  QVERIFY(unconditional.applyOptions(classes).contains(QStringLiteral("needs a class-conditional model")));
  classes.checkpoint = m_conditional;
  classes.classLabel = 3;
  MainWindow outOfRange(MainWindow::SettingsMode::Fresh);
  QVERIFY(outOfRange.applyOptions(classes).contains(QStringLiteral("--class must be below 3")));
  classes.classLabel = 2;
  classes.guidance = 2.5;
  MainWindow guided(MainWindow::SettingsMode::Fresh);
  guided.setErrorDialogsEnabled(false);
  QSignalSpy guidedEnded(guided.samplingView(), &SamplingView::runEnded);
  QCOMPARE(guided.applyOptions(classes), QString());
  QVERIFY(guidedEnded.wait(kWaitMs));
  QCOMPARE(guided.samplingView()->settings().classLabel, 2);
  QCOMPARE(guided.samplingView()->settings().guidance, 2.5);
}

void TestSamplingView::scrubbingAThousandImageSteps_rendersEachFrameFast() {
  // 1,000 DDPM steps of 16 Fashion-MNIST-sized images, stored as the worker stores them.
  TrajectoryLayout layout;
  layout.kind = TrajectoryLayout::Kind::Images;
  layout.count = 16;
  layout.channels = 1;
  layout.height = 28;
  layout.width = 28;
  layout.scheduleSteps = 1000;
  for (int t = 999; t >= 0; --t) layout.timesteps.push_back(t);
  TrajectoryStore store;
  store.reset(layout);
  const std::size_t values = layout.valuesPerState();
  for (int k = 0; k <= 1000; ++k) {
    TrajectoryFrame frame;
    frame.step = k;
    frame.t = k == 0 ? 1000 : 1000 - k;
    frame.xtBytes.assign(values, static_cast<std::uint8_t>(k % 256));
    if (k > 0) frame.x0Bytes.assign(values, static_cast<std::uint8_t>((k * 7) % 256));
    QVERIFY(store.append(std::move(frame)));
  }
  QVERIFY(store.isComplete());
  QCOMPARE(store.bytes(), std::size_t(2 * 1000 * values + values));  // about 25 MB
  QVERIFY(!store.append(TrajectoryFrame{}));  // nothing after x_0

  QElapsedTimer clock;
  clock.start();
  for (int k = 0; k <= 1000; ++k) {
    const QImage xt = renderTrajectoryLayer(store, k, TrajectoryLayer::Sample, {}, 1.0);
    const QImage x0 = renderTrajectoryLayer(store, k, TrajectoryLayer::Prediction, {}, 1.0);
    QCOMPARE(qRed(xt.pixel(2, 2)), k % 256);
    QCOMPARE(x0.isNull(), k == 0);
  }
  const double msPerFrame = clock.nsecsElapsed() / 1e6 / 1001.0;
  qInfo("scrub: %.3f ms per frame (x_t and x̂0 of 16 images 28×28), %.1f MB for 1,000 steps", msPerFrame,
        static_cast<double>(store.bytes()) / (1024.0 * 1024.0));
  QVERIFY2(msPerFrame < 5.0, qPrintable(QString::number(msPerFrame)));
}

QTEST_MAIN(TestSamplingView)
#include "test_sampling_view.moc"
