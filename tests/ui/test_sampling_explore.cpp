// "What is already decided at step t?" in the Sampling view (beyond the paper):
// branching from a paused step, x_t-conditioned reconstruction (the paper's Fig. 7) and
// the ε̂_θ(x, t) field of a 2D model. Checked against independent runs of core's
// ReverseProcess / q_sample and direct network calls, with the shipped checkpoints (the
// MLP of "moons" is fast; Fashion-MNIST's unet-tiny only with a few DDIM steps).
#include "core/jobs/checkpoint_model.h"
#include "core/checkpoint/checkpoint.h"
#include "core/diffusion/gaussian_diffusion.h"
#include "core/models/denoiser.h"
#include "core/runtime/random.h"
#include "core/sampling/reverse_process.h"
#include "core/schedule/noise_schedule.h"
#include "core/util/error.h"

#include "ui/window/main_window.h"
#include "ui/window/studio_options.h"
#include "ui/sampling/eps_field.h"
#include "ui/sampling/exploration.h"
#include "ui/sampling/sample_grid_panel.h"
#include "ui/sampling/sampling_session.h"
#include "ui/sampling/trajectory_store.h"
#include "ui/sampling/sampling_view.h"
#include "ui/shared/image_panel.h"

#include "ui_fixtures.h"
#include "ui_test_support.h"

#include <QtTest>
#include <QtWidgets>

#include <cmath>
#include <numeric>

using namespace ddpm;
using namespace ddpm::ui;

namespace {

constexpr int kWaitMs = 30000;

QString shipped(const QString& name) {
  return QDir(QStringLiteral(DDPM_TEST_DATA_DIR "/../../resources/checkpoints")).absoluteFilePath(name + ".safetensors");
}

SamplingSettings run(SamplingSettings::Sampler sampler, int steps, double eta, int samples, quint64 seed) {
  SamplingSettings s;
  s.sampler = sampler;
  s.steps = steps;
  s.eta = eta;
  s.samples = samples;
  s.seed = seed;
  return s;
}

SamplerOptions optionsOf(const SamplingSettings& s) { return test::expectedSamplerOptions(s); }

std::vector<float> floats(const torch::Tensor& x) {
  const auto c = x.to(torch::kFloat32).contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

// Mean Euclidean distance between corresponding 2D points.
double meanDistance(const std::vector<float>& a, const std::vector<float>& b) {
  double sum = 0;
  const std::size_t n = std::min(a.size(), b.size()) / 2;
  for (std::size_t i = 0; i < n; ++i) sum += std::hypot(a[2 * i] - b[2 * i], a[2 * i + 1] - b[2 * i + 1]);
  return sum / static_cast<double>(n);
}

double rms(const std::vector<float>& a, const std::vector<float>& b) {
  double sum = 0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += (a[i] - b[i]) * (a[i] - b[i]);
  return std::sqrt(sum / static_cast<double>(a.size()));
}

// Pearson correlation of coordinate `c` (0: x, 1: y) between two point sets.
double correlation(const std::vector<float>& a, const std::vector<float>& b, int c) {
  const std::size_t n = a.size() / 2;
  double ma = 0, mb = 0;
  for (std::size_t i = 0; i < n; ++i) ma += a[2 * i + c], mb += b[2 * i + c];
  ma /= n, mb /= n;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double da = a[2 * i + c] - ma, db = b[2 * i + c] - mb;
    sab += da * db, saa += da * da, sbb += db * db;
  }
  return sab / std::sqrt(saa * sbb);
}

struct Fixture : test::SamplingWindow {
  Fixture() : SamplingWindow(kWaitMs) {}
  bool explore(const std::function<bool()>& start) {
    QSignalSpy ended(view, &SamplingView::explorationEnded);
    if (!start()) return false;
    return ended.wait(kWaitMs) && ended.first().first().toBool();
  }
};

}  // namespace

class TestSamplingExplore : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    QVERIFY(m_dir.isValid());
    test::isolateSettings(m_dir);
    QVERIFY2(QFile::exists(shipped("moons")), qPrintable(shipped("moons")));
    m_moons = load_checkpoint(shipped("moons").toStdString());
  }

  // Branch from a paused DDPM step: column 0 is exactly the recorded x_t (the float state,
  // replayed with the run's seed), the trunk's column is exactly the recorded x_0, and
  // each branch equals core's ReverseProcess::continue_from(x_t, t, seed) run to the end.
  void branch_fromPausedStep_startsAtRecordedStateAndMatchesCore() {
    Fixture f;
    QVERIFY(f.open(shipped("moons")));
    const SamplingSettings s = run(SamplingSettings::Sampler::DDPM, 0, 0, 200, 7);
    QVERIFY(f.sample(s));
    const int frame = 900;  // t = 99: the branches take 100 steps each
    f.view->setFrame(frame);
    QVERIFY(f.view->branchButton()->isEnabled());
    QVERIFY(f.explore([&] { return f.view->branchFromHere(3); }));
    const SampleGrid g = f.view->explorationGrid();  // a copy: the next branching replaces it
    const TrajectoryStore& store = f.view->store();
    QCOMPARE(g.kind, SampleGrid::Kind::Points);
    QCOMPARE(g.points, 200);
    QCOMPARE(g.cells.size(), std::size_t(6));  // x_t, trunk, 3 branches (+ 1 empty cell of 2 × 3)
    QCOMPARE(g.cells[0], store.frame(frame).xtPoints);
    QCOMPARE(g.cells[1], store.frame(store.count() - 1).xtPoints);
    QVERIFY(!f.view->explorationPanel()->picture().isNull());

    const int t = store.layout().timesteps[frame];
    const torch::Tensor x_t = torch::from_blob(const_cast<float*>(g.cells[0].data()), {200, 2}, torch::kFloat32).clone();
    torch::set_num_threads(recommended_threads(m_moons.model));
    SamplerOptions options = optionsOf(s);
    options.x0_range = checkpoint_x0_range(m_moons);  // 2D models clamp x̂_0 into their data's range
    for (int b = 0; b < 3; ++b) {
      ReverseProcess reference(load_denoiser(m_moons), GaussianDiffusion{NoiseSchedule(m_moons.schedule)}, {2},
                               options);
      reference.continue_from(x_t, t, s.seed + 1 + b);  // the view's first round of seeds
      QCOMPARE(reference.step_sequence().size(), std::size_t(t + 1));
      run_to_end(reference);
      QCOMPARE(g.cells[2 + b], floats(reference.sample()));
      QVERIFY(meanDistance(g.cells[2 + b], g.cells[1]) > 1e-3);  // new noise, another ending
    }
    // A second click draws new seeds.
    QVERIFY(f.explore([&] { return f.view->branchFromHere(3); }));
    QCOMPARE(f.view->explorationGrid().cells[1], g.cells[1]);  // the same trunk
    QVERIFY(meanDistance(f.view->explorationGrid().cells[2], g.cells[2]) > 1e-3);
  }

  // Early (t near T): the endings of the branches have little to do with the trunk's;
  // late (t small): they differ only in details. Mean distance per point between a branch's
  // x_0 and the trunk's, averaged over 3 branches, for 300 points of the shipped moons model.
  void branch_early_changesMuch_late_onlyDetails() {
    const SamplingSettings s = run(SamplingSettings::Sampler::DDIM, 100, 1.0, 300, 11);
    auto spread = [&](int frame) {
      const SampleGrid g = computeBranches(m_moons, s, frame, 3, 100);
      double sum = 0;
      for (int b = 0; b < 3; ++b) sum += meanDistance(g.cells[2 + b], g.cells[1]);
      return sum / 3;
    };
    const double early = spread(2), late = spread(90);  // t ≈ 979 and t ≈ 100 of 999
    qInfo("mean distance branch vs trunk: early %.3f, late %.3f (standardised units)", early, late);
    QVERIFY2(early > 0.5, "from almost pure noise the branches should end far from the trunk");
    QVERIFY2(late < 0.25 * early, "late branches should share the trunk's ending up to details");
  }

  void branch_refusedWithMessage_atX0_andForDeterministicDdim() {
    Fixture f;
    QVERIFY(f.open(shipped("moons")));
    QVERIFY(f.sample(run(SamplingSettings::Sampler::DDIM, 20, 0.0, 50, 3)));
    f.view->setFrame(f.view->store().count() - 1);
    QVERIFY(!f.view->branchButton()->isEnabled());
    QVERIFY(!f.view->branchFromHere(2));
    QVERIFY(f.view->message().contains(QStringLiteral("x₀")));
    f.view->setFrame(5);
    QVERIFY(!f.view->branchFromHere(2));  // η = 0: no noise to re-draw
    QVERIFY(f.view->message().contains(QStringLiteral("η")));
    QVERIFY_THROWS_EXCEPTION(ddpm::Error, computeBranches(m_moons, run(SamplingSettings::Sampler::DDIM, 20, 1.0, 5, 3), 20, 2, 1));
  }

  // Images: one row per sample (at most maxRows), the trunk's x_0 equal to the recorded
  // last frame as drawn (8-bit levels), branches that differ from it.
  void branch_images_rowPerSample_trunkAsRecorded() {
    Fixture f;
    QVERIFY(f.open(shipped("fashion-mnist")));
    SamplingSettings s = run(SamplingSettings::Sampler::DDIM, 8, 1.0, 3, 5);
    s.clipX0 = true;
    QVERIFY(f.sample(s));
    f.view->setFrame(3);
    QVERIFY(f.explore([&] { return f.view->branchFromHere(2); }));
    const SampleGrid& g = f.view->explorationGrid();
    QCOMPARE(g.kind, SampleGrid::Kind::Images);
    QCOMPARE(g.rows, 3);
    QCOMPARE(g.columns, 4);
    const TrajectoryFrame& last = f.view->store().frame(f.view->store().count() - 1);
    const TrajectoryFrame& at = f.view->store().frame(3);
    for (int r = 0; r < 3; ++r) {
      for (std::size_t p = 0; p < 784; ++p) {
        QCOMPARE(quantiseUnit(g.cell(r, 0)[p]), at.xtBytes[r * 784 + p]);
        QCOMPARE(quantiseUnit(g.cell(r, 1)[p]), last.xtBytes[r * 784 + p]);
      }
      QVERIFY(rms(g.cell(r, 2), g.cell(r, 1)) > 1e-3);
    }
  }

  // Small t: the reconstruction stays near x_0. x_t = √ᾱ x_0 + √(1 − ᾱ) ε moves each 2D
  // point by √(2(1 − ᾱ_t)) on average (RMS), and the reverse steps add about as much noise
  // again (Σσ² = Σβ ≈ 1 − ᾱ_t), so a model that only denoises stays within a few times
  // √(2(1 − ᾱ_t)) of x_0: tolerance 3√(2(1 − ᾱ_t)) (≈ 0.2 at t = 10, against ≈ 1.2
  // between unrelated points). t = T − 1: √ᾱ ≈ 0.006, the reconstruction forgets x_0: the
  // correlation of each coordinate with x_0 is within 4/√N of 0, while at t = 10 it is
  // above 0.95. The x_t column equals eq. 4 computed here from the schedule.
  void reconstruction_points_smallTKeeps_lastTForgets() {
    ReconstructionSource source;
    source.kind = ReconstructionSource::Kind::DataPoints;
    source.points = 400;
    source.seed = 2;
    const std::vector<float> x0 = reconstructionOriginal(m_moons, source);
    QCOMPARE(x0.size(), std::size_t(800));
    const SamplingSettings s = run(SamplingSettings::Sampler::DDPM, 0, 0, 1, 21);
    const SampleGrid g = computeReconstruction(m_moons, s, x0, {10, 999}, 2, 21);
    QCOMPARE(g.rows, 2);
    QCOMPARE(g.columns, 4);
    const NoiseSchedule schedule(m_moons.schedule);
    const double tolerance = 3 * std::sqrt(2 * schedule.one_minus_alpha_bar[10]);
    for (int d = 0; d < 2; ++d) {
      const double near = meanDistance(g.cell(0, 2 + d), x0);
      qInfo("t = 10, draw %d: mean distance to x0 %.4f (tolerance %.4f)", d, near, tolerance);
      QVERIFY(near < tolerance);
      QVERIFY(correlation(g.cell(0, 2 + d), x0, 0) > 0.95 && correlation(g.cell(0, 2 + d), x0, 1) > 0.95);
      const double rx = correlation(g.cell(1, 2 + d), x0, 0), ry = correlation(g.cell(1, 2 + d), x0, 1);
      qInfo("t = 999, draw %d: correlation with x0 %.3f, %.3f (bound %.3f)", d, rx, ry, 4 / std::sqrt(400.0));
      QVERIFY(std::abs(rx) < 4 / std::sqrt(400.0) && std::abs(ry) < 4 / std::sqrt(400.0));
      QVERIFY(meanDistance(g.cell(1, 2 + d), x0) > 5 * tolerance);
    }
    // Column 1: x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε with ε from the first draw's seed.
    at::Generator generator = make_generator(21);
    const auto eps = floats(randn({400, 2}, generator));
    const double a = std::sqrt(schedule.alpha_bar[10]), b = std::sqrt(schedule.one_minus_alpha_bar[10]);
    for (std::size_t i = 0; i < x0.size(); ++i) QVERIFY(std::abs(g.cell(0, 1)[i] - (a * x0[i] + b * eps[i])) < 1e-5);
  }

  void reconstruction_sameSeed_reproducible_otherSeedDiffers() {
    ReconstructionSource source;
    source.kind = ReconstructionSource::Kind::DataPoints;
    source.points = 100;
    const std::vector<float> x0 = reconstructionOriginal(m_moons, source);
    const SamplingSettings s = run(SamplingSettings::Sampler::DDIM, 50, 1.0, 1, 4);
    const SampleGrid a = computeReconstruction(m_moons, s, x0, {500}, 1, 4);
    const SampleGrid b = computeReconstruction(m_moons, s, x0, {500}, 1, 4);
    const SampleGrid c = computeReconstruction(m_moons, s, x0, {500}, 1, 5);
    QCOMPARE(a.cells, b.cells);
    QVERIFY(meanDistance(a.cell(0, 2), c.cell(0, 2)) > 1e-2);
  }

  // Fashion-MNIST (unet-tiny, DDIM 10 steps, η = 0): from t = 50 the image comes back (RMS
  // error below the noise put in, √(1 − ᾱ_50) ≈ 0.17 per pixel); from t = 999 two different
  // test images with the same noise give nearly the same picture, far from both originals:
  // what comes back no longer depends on x_0.
  void reconstruction_fashion_smallTKeeps_lastTForgets() {
    const CheckpointData fashion = load_checkpoint(shipped("fashion-mnist").toStdString());
    ReconstructionSource first, second;
    first.index = 0;
    second.index = 1;
    const auto a = reconstructionOriginal(fashion, first), b = reconstructionOriginal(fashion, second);
    QCOMPARE(a.size(), std::size_t(784));
    QVERIFY(rms(a, b) > 0.3);
    SamplingSettings s = run(SamplingSettings::Sampler::DDIM, 10, 0.0, 1, 8);
    s.clipX0 = true;
    const SampleGrid ga = computeReconstruction(fashion, s, a, {50, 999}, 1, 8);
    const SampleGrid gb = computeReconstruction(fashion, s, b, {50, 999}, 1, 8);
    const double noise = std::sqrt(NoiseSchedule(fashion.schedule).one_minus_alpha_bar[50]);
    qInfo("t = 50: RMS error %.3f (noise %.3f); t = 999: between the two %.3f, to x0 %.3f", rms(ga.cell(0, 2), a), noise,
          rms(ga.cell(1, 2), gb.cell(1, 2)), rms(ga.cell(1, 2), a));
    QVERIFY(rms(ga.cell(0, 2), a) < noise);
    QVERIFY(rms(gb.cell(0, 2), b) < noise);
    QVERIFY(rms(ga.cell(1, 2), gb.cell(1, 2)) < 0.2 * rms(a, b));
    QVERIFY(rms(ga.cell(1, 2), a) > 2 * noise);
  }

  void reconstruction_badSources_clearErrors() {
    ReconstructionSource fashion;
    QVERIFY_THROWS_EXCEPTION(ddpm::Error, reconstructionOriginal(m_moons, fashion));  // a 2D model
    ReconstructionSource file;
    file.kind = ReconstructionSource::Kind::ImageFile;
    file.path = m_dir.filePath(QStringLiteral("missing.png"));
    QVERIFY_THROWS_EXCEPTION(ddpm::Error, reconstructionOriginal(m_moons, file));
    Fixture f;
    QVERIFY(f.open(shipped("fashion-mnist")));
    ReconstructionSource missing = file;
    QVERIFY(f.view->reconstruct(missing));
    QSignalSpy ended(f.view, &SamplingView::explorationEnded);
    QVERIFY(ended.wait(kWaitMs));
    QCOMPARE(ended.first().first().toBool(), false);
    QVERIFY(f.view->message().contains(QStringLiteral("missing.png")));
  }

  // Figs. 8–9 through the view. At t = 0 nothing is noised or denoised: the row is the two
  // test images and their pixel mix, so λ = 0 and λ = 1 return the images themselves. At
  // t = 500 the row has its shape and labels, and ends differ from the images (the chain
  // re-imagines them). A 2D model gets a message, no run.
  void interpolation_view_mixesTwoTestImages() {
    const CheckpointData fashion = load_checkpoint(shipped("fashion-mnist").toStdString());
    ReconstructionSource first, second;
    second.index = 1;
    const auto a = reconstructionOriginal(fashion, first), b = reconstructionOriginal(fashion, second);
    Fixture f;
    QVERIFY(f.open(shipped("fashion-mnist")));
    SamplingSettings s = run(SamplingSettings::Sampler::DDIM, 10, 0.0, 1, 8);
    s.clipX0 = true;
    f.view->setSettings(s);
    QVERIFY(f.view->interpolateButton()->isEnabled());
    QVERIFY(f.explore([&] { return f.view->interpolate(0, 1, 0, 5); }));
    const SampleGrid& g = f.view->explorationGrid();
    QCOMPARE(g.rows, 1);
    QCOMPARE(g.columns, 7);
    QCOMPARE(g.columnLabels[1], QStringLiteral("λ = 0"));
    QCOMPARE(g.columnLabels[3], QStringLiteral("0.5"));
    QVERIFY(rms(g.cell(0, 0), a) < 1e-7 && rms(g.cell(0, 6), b) < 1e-7);
    QVERIFY(rms(g.cell(0, 1), a) < 1e-6);
    QVERIFY(rms(g.cell(0, 5), b) < 1e-6);
    std::vector<float> middle(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) middle[i] = 0.5f * (a[i] + b[i]);
    QVERIFY(rms(g.cell(0, 3), middle) < 1e-6);

    QVERIFY(f.explore([&] { return f.view->interpolate(0, 1, 500, 3); }));
    const SampleGrid& h = f.view->explorationGrid();
    QCOMPARE(h.columns, 5);
    QCOMPARE(h.rowLabels.first(), QStringLiteral("t = 500"));
    QVERIFY(rms(h.cell(0, 1), a) > 1e-3);
    QVERIFY(rms(h.cell(0, 1), h.cell(0, 3)) > 1e-2);

    QVERIFY(f.view->interpolate(0, 10000, 500, 3));  // out of range: starts, fails on the thread with a message
    QSignalSpy ended(f.view, &SamplingView::explorationEnded);
    QVERIFY(ended.wait(kWaitMs));
    QCOMPARE(ended.first().first().toBool(), false);
    QVERIFY(f.view->message().contains(QStringLiteral("0 to 9999")));

    Fixture points;
    QVERIFY(points.open(shipped("moons")));
    QVERIFY(!points.view->interpolate(0, 1, 500, 3));
    QVERIFY(points.view->message().contains(QStringLiteral("2D points")));
  }

  // The guidance strip through the view, on the shipped conditional moons: one cloud per
  // weight from one seed. Equal weights give equal clouds; each cloud is core's guided
  // run at its weight. No class, or strengths that are not numbers: a message, no run.
  void guidanceStrip_view_sameSeedAtEachWeight() {
    const CheckpointData conditional = load_checkpoint(shipped("moons-conditional").toStdString());
    Fixture f;
    QVERIFY(f.open(shipped("moons-conditional")));
    SamplingSettings s = run(SamplingSettings::Sampler::DDIM, 10, 0.0, 200, 3);
    f.view->setSettings(s);
    QVERIFY(!f.view->guidanceStrip({0, 3}));
    QVERIFY(f.view->message().contains(QStringLiteral("Choose a class first")));
    s.classLabel = 1;
    f.view->setSettings(s);
    f.view->guidanceStrengthsEdit()->setText(QStringLiteral("0, x"));
    QVERIFY(!f.view->guidanceStripFromControls());
    QVERIFY(f.view->message().contains(QStringLiteral("'x' is not one")));
    f.view->guidanceStrengthsEdit()->setText(QStringLiteral("3, 0, 3"));
    QVERIFY(f.explore([&] { return f.view->guidanceStripFromControls(); }));
    const SampleGrid& g = f.view->explorationGrid();
    QCOMPARE(g.kind, SampleGrid::Kind::Points);
    QCOMPARE(g.columns, 3);
    QCOMPARE(g.columnLabels[1], QStringLiteral("w = 0"));
    QCOMPARE(rms(g.cell(0, 0), g.cell(0, 2)), 0.0);
    QVERIFY(rms(g.cell(0, 0), g.cell(0, 1)) > 1e-3);
    SamplingSettings guided = f.view->settings();
    guided.guidance = 3.0;
    SamplerOptions o = test::expectedSamplerOptions(guided);
    o.x0_range = checkpoint_x0_range(conditional);
    torch::set_num_threads(recommended_threads(conditional.model));
    ReverseProcess reference(load_denoiser(conditional), GaussianDiffusion(NoiseSchedule(conditional.schedule)), {2}, o);
    run_to_end(reference);
    QVERIFY(rms(g.cell(0, 0), floats(reference.sample())) < 1e-6);
  }

  // Figs. 6 and 7 through the view, exported as one picture. Fig. 6's last column is the
  // run's own sample (core's run with the same settings); Fig. 7's late stop (t = 250)
  // leaves its runs closer to each other than the stop at t = T does.
  void paperFigures_view_progressiveAndSharedLatent_exported() {
    const CheckpointData fashion = load_checkpoint(shipped("fashion-mnist").toStdString());
    Fixture f;
    QVERIFY(f.open(shipped("fashion-mnist")));
    SamplingSettings s = run(SamplingSettings::Sampler::DDIM, 10, 0.0, 2, 5);
    s.clipX0 = true;
    f.view->setSettings(s);
    QVERIFY(f.explore([&] { return f.view->progressive(); }));
    const SampleGrid g = f.view->explorationGrid();
    QCOMPARE(g.rows, 2);
    QCOMPARE(g.columns, 11);
    QCOMPARE(g.columnLabels.first(), QStringLiteral("t = 1000"));
    QCOMPARE(g.columnLabels[1], QStringLiteral("900"));
    QCOMPARE(g.columnLabels.last(), QStringLiteral("x₀"));
    torch::set_num_threads(recommended_threads(fashion.model));
    ReverseProcess reference(load_denoiser(fashion), GaussianDiffusion(NoiseSchedule(fashion.schedule)), {1, 28, 28},
                             optionsOf(f.view->settings()));
    run_to_end(reference);
    QVERIFY(rms(g.cell(1, 10), floats(reference.sample().narrow(0, 1, 1))) < 1e-6);
    const QString png = m_dir.filePath(QStringLiteral("fig6.png"));
    QString error;
    QVERIFY2(f.view->exportExplorationGrid(png, &error, QSize(900, 300)), qPrintable(error));
    const QImage picture(png);  // whole zoom factors: at most the size asked for, 11 × 2 cells of 28 pixels at least
    QVERIFY2(picture.width() <= 900 && picture.height() <= 300 && picture.width() >= 11 * 28 && picture.height() >= 2 * 28,
             qPrintable(QStringLiteral("%1 x %2").arg(picture.width()).arg(picture.height())));

    s.eta = 1.0;  // continuations need fresh noise: with η = 0 DDIM would run them all alike
    f.view->setSettings(s);
    QVERIFY(f.explore([&] { return f.view->sharedLatent(); }));
    const SampleGrid h = f.view->explorationGrid();
    QCOMPARE(h.rows, 4);
    QCOMPARE(h.columns, 4);
    const int lastStop = h.rowLabels.last().mid(4).toInt();  // DDIM's 10 steps stop at the first t at or below 250
    QVERIFY2(lastStop <= 250 && lastStop > 100, qPrintable(h.rowLabels.last()));
    QVERIFY(rms(h.cell(3, 1), h.cell(3, 2)) < rms(h.cell(0, 1), h.cell(0, 2)));

    Fixture points;
    QVERIFY(points.open(shipped("moons")));
    QVERIFY(!points.view->progressive());
    QVERIFY(points.view->message().contains(QStringLiteral("2D points")));
    QVERIFY(!points.view->exportExplorationGrid(png, &error));
    QVERIFY(error.contains(QStringLiteral("no picture")));
  }

  // Through the view: the moons model's data points, DDIM 20 steps, rows 100 … 999.
  void reconstruction_view_gridOfTimesteps() {
    Fixture f;
    QVERIFY(f.open(shipped("moons")));
    f.view->setSettings(run(SamplingSettings::Sampler::DDIM, 20, 1.0, 300, 1));
    QVERIFY(f.view->reconstructButton()->isEnabled());
    QVERIFY(f.explore([&] { return f.view->reconstructFromControls(); }));
    const SampleGrid& g = f.view->explorationGrid();
    QCOMPARE(g.rows, 5);
    QCOMPARE(g.rowLabels.first(), QStringLiteral("t = 100"));
    QCOMPARE(g.rowLabels.last(), QStringLiteral("t = 999"));
    QCOMPARE(g.columns, 5);
    QVERIFY(!f.view->explorationPanel()->picture().isNull());
  }

  // The field is the network evaluated at the grid points, nothing else: equal to direct
  // calls of the checkpoint's model on the same points.
  void epsField_equalsDirectModelCalls() {
    EpsField field(m_moons, 25, 3.6);
    QCOMPARE(field.point(0), QPointF(-3.6 + 0.144, -3.6 + 0.144));
    QCOMPARE(field.point(25), QPointF(-3.6 + 0.144, -3.6 + 3 * 0.144));
    const Denoiser model = load_denoiser(m_moons);
    model->eval();
    torch::NoGradGuard guard;
    for (int t : {0, 250, 999}) {
      const std::vector<float>& eps = field.at(t);
      QCOMPARE(eps.size(), std::size_t(2 * 625));
      for (int index : {0, 312, 624, 77}) {
        const QPointF p = field.point(index);
        const auto x = torch::tensor({static_cast<float>(p.x()), static_cast<float>(p.y())}).reshape({1, 2});
        const auto direct = floats(model->forward(x, torch::full({1}, t, torch::kInt64)));
        QVERIFY(std::abs(direct[0] - eps[2 * index]) < 1e-5);
        QVERIFY(std::abs(direct[1] - eps[2 * index + 1]) < 1e-5);
      }
    }
    QCOMPARE(field.cachedCount(), 3);
    const float* before = field.at(250).data();
    QCOMPARE(field.at(250).data(), before);  // cached, not recomputed
    QCOMPARE(field.cachedCount(), 3);
    QElapsedTimer clock;
    clock.start();
    for (int t = 1; t <= 20; ++t) field.at(t * 37);
    qInfo("ε̂ field, 625 points, mlp: %.2f ms per t (last call %.2f ms)", clock.nsecsElapsed() / 1e6 / 20,
          field.lastMilliseconds());
  }

  // Direction. At t = T − 1, ᾱ ≈ 4e-5, so the best ε̂ = (x_t − √ᾱ E[x_0 | x_t])/√(1 − ᾱ) is
  // x_t itself whatever the data: −ε̂ points to the origin with length |x|. At t = 500
  // (√ᾱ ≈ 0.28), points 2.5 or more from the centre of the standardised data are still
  // pulled inwards: −ε̂ · (−x) > 0.
  void epsField_direction_towardsTheData() {
    EpsField field(m_moons);
    const std::vector<float>& last = field.at(999);
    double cosines = 0;
    int counted = 0;
    for (int index = 0; index < 625; ++index) {
      const QPointF p = field.point(index);
      const double r = std::hypot(p.x(), p.y());
      if (r < 0.5) continue;
      const double ex = last[2 * index], ey = last[2 * index + 1];
      cosines += (ex * p.x() + ey * p.y()) / (std::hypot(ex, ey) * r);
      QVERIFY(std::abs(std::hypot(ex, ey) / r - 1) < 0.3);
      ++counted;
    }
    qInfo("t = 999: mean cos(−ε̂, −x) = %.4f over %d grid points", cosines / counted, counted);
    QVERIFY(cosines / counted > 0.97);
    const std::vector<float>& mid = field.at(500);
    for (int index = 0; index < 625; ++index) {
      const QPointF p = field.point(index);
      if (std::hypot(p.x(), p.y()) < 2.5) continue;
      QVERIFY((mid[2 * index] * p.x() + mid[2 * index + 1] * p.y()) > 0);
    }
  }

  // In the view: drawn under the particles at the t of the frame shown, cached per t,
  // offered only for 2D models.
  void epsField_view_followsTheFrame() {
    Fixture f;
    QVERIFY(f.open(shipped("moons")));
    QVERIFY(f.sample(run(SamplingSettings::Sampler::DDIM, 20, 1.0, 300, 2)));
    QVERIFY(f.view->vectorFieldBox()->isEnabled());
    f.view->setFrame(5);
    const QImage plain = f.view->sampleXtPanel()->image();
    f.view->setVectorFieldShown(true);
    QVERIFY(f.view->epsField() != nullptr);
    const QImage withField = f.view->sampleXtPanel()->image();
    QCOMPARE(withField.size(), plain.size());
    QVERIFY(withField != plain);
    QCOMPARE(f.view->fieldTimestep(5), f.view->store().layout().timesteps[5]);
    QVERIFY(f.view->sampleXtPanel()->caption().contains(QStringLiteral("t = %1").arg(f.view->fieldTimestep(5))));
    f.view->setFrame(6);
    f.view->setFrame(f.view->store().count() - 1);
    QCOMPARE(f.view->fieldTimestep(f.view->store().count() - 1), 0);
    QCOMPARE(f.view->epsField()->cachedCount(), 3);
    f.view->setVectorFieldShown(false);
    f.view->setFrame(5);
    QCOMPARE(f.view->sampleXtPanel()->image(), plain);

    QVERIFY(f.window.openCheckpoint(shipped("fashion-mnist")));
    QVERIFY(!f.view->vectorFieldBox()->isEnabled());
  }

  // Pictures for docs/guide.md, only when DDPM_EXPLORE_SHOTS names a folder (run under
  // xvfb-run with QT_QPA_PLATFORM=xcb for real fonts).
  void screenshots() {
    const QString out = qEnvironmentVariable("DDPM_EXPLORE_SHOTS");
    if (out.isEmpty()) QSKIP("set DDPM_EXPLORE_SHOTS to a folder to write the screenshots");
    {
      Fixture f;
      QVERIFY(f.open(shipped("fashion-mnist"), {1600, 1000}));
      SamplingSettings s = run(SamplingSettings::Sampler::DDIM, 50, 1.0, 16, 3);
      s.clipX0 = true;
      QVERIFY(f.sample(s));
      f.view->pause();
      f.view->setFrame(20);
      QVERIFY(f.explore([&] { return f.view->branchFromHere(4); }));
      QTest::qWait(300);
      QVERIFY(f.window.grab().save(out + "/sampling_branching_fashion.png"));
      f.view->setReconstructionIndex(7);
      QVERIFY(f.explore([&] { return f.view->reconstructFromControls(); }));
      QTest::qWait(300);
      QVERIFY(f.window.grab().save(out + "/sampling_reconstruction_fashion.png"));
      QVERIFY(f.explore([&] { return f.view->interpolate(0, 1, 500, 11); }));
      QTest::qWait(300);
      QVERIFY(f.window.grab().save(out + "/sampling_interpolation_fashion.png"));
      s = run(SamplingSettings::Sampler::DDIM, 100, 1.0, 4, 3);  // η = 1: Fig. 7's runs differ
      s.clipX0 = true;
      f.view->setSettings(s);
      QVERIFY(f.explore([&] { return f.view->progressive(); }));
      QTest::qWait(300);
      QVERIFY(f.window.grab().save(out + "/sampling_progressive_fashion.png"));
      QVERIFY(f.explore([&] { return f.view->sharedLatent(); }));
      QTest::qWait(300);
      QVERIFY(f.window.grab().save(out + "/sampling_shared_latent_fashion.png"));
    }
    {
      // Classifier guidance of the unconditional model towards class 7 (sneaker), one seed
      // at s = 0, 1, 3, 10.
      Fixture f;
      QVERIFY(f.open(shipped("fashion-mnist"), {1600, 1000}));
      StudioOptions options;
      options.noisyClassifier = shipped("fashion-mnist-noisy-classifier");
      options.classLabel = 7;
      options.classifierScale = 3.0;
      options.sampler = QStringLiteral("dpm-solver++");
      options.sampleSteps = 20;
      options.samples = 6;
      QCOMPARE(f.view->applyOptions(options), QString());
      f.view->guidanceStrengthsEdit()->setText(QStringLiteral("0, 1, 3, 10"));
      QVERIFY(f.explore([&] { return f.view->guidanceStripFromControls(); }));
      QTest::qWait(300);
      QVERIFY(f.window.grab().save(out + "/sampling_classifier_guidance_strip_fashion.png"));
    }
    {
      Fixture f;
      QVERIFY(f.open(shipped("moons"), {1600, 1000}));
      QVERIFY(f.sample(run(SamplingSettings::Sampler::DDPM, 0, 0, 1000, 1)));
      f.view->pause();
      f.view->setVectorFieldShown(true);
      f.view->setFrame(850);
      QTest::qWait(300);
      QVERIFY(f.window.grab().save(out + "/sampling_vector_field_moons.png"));
    }
  }

 private:
  QTemporaryDir m_dir;
  CheckpointData m_moons;
};

QTEST_MAIN(TestSamplingExplore)
#include "test_sampling_explore.moc"
