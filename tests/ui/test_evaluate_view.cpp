// The Evaluate view against core: the bound's per-t chart holds exactly core's
// VariationalBound terms for the same examples and seed (the shipped moons MLP, fast);
// stratified runs add up as core's total; the quality runs score exactly what sampling
// and scoring through core give for the same seeds; Cancel stops both; data that do not
// fit the model and bad step lists end in a message; the table exports as CSV.
#include "core/jobs/checkpoint_model.h"
#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/classifier_checkpoint.h"
#include "core/checkpoint/shipped_checkpoints.h"
#include "core/data/dataset.h"
#include "core/metrics/energy_distance.h"
#include "core/metrics/frechet_distance.h"
#include "core/metrics/image_quality_score.h"
#include "core/runtime/random.h"
#include "core/sampling/reverse_process.h"
#include "core/sampling/rate_distortion.h"
#include "core/sampling/variational_bound.h"
#include "core/schedule/noise_schedule.h"

#include "ui/shared/current_model.h"
#include "ui/evaluate/bound_summary.h"
#include "ui/evaluate/evaluate_session.h"
#include "ui/evaluate/quality_table.h"
#include "ui/shared/schedule_model.h"
#include "ui/window/studio_options.h"
#include "ui/shared/timestep_cursor.h"
#include "ui/evaluate/evaluate_view.h"
#include "ui/evaluate/bits_per_t_chart.h"
#include "ui/evaluate/quality_steps_chart.h"
#include "ui/evaluate/curve_chart.h"
#include "ui/evaluate/rate_distortion_page.h"

#include "ui_test_support.h"

#include <qcustomplot.h>

#include <QtTest>
#include <QtWidgets>

#include <cmath>
#include <numeric>

using namespace ddpm;
using namespace ddpm::ui;

namespace {

constexpr int kTimeoutMs = 30000;

bool close(double a, double b, double relative = 1e-9) {
  return std::abs(a - b) <= relative * std::max({1.0, std::abs(a), std::abs(b)});
}

torch::Tensor rawOf(const Dataset& data) {
  return data.normalisation.denormalise(data.x.to(torch::kFloat64));
}

Dataset loadSplit(const std::string& spec, Split split) {
  DataOptions options;
  options.split = split;
  return load_dataset(spec, options);
}

// Core's bound for `n` moons test points chosen with `seed`, as the view asks for it.
VariationalBound coreBound(const CheckpointData& checkpoint, std::int64_t n, std::int64_t terms, std::uint64_t seed) {
  const Dataset data = loadSplit(checkpoint.data_spec, Split::Test);
  const torch::Tensor x =
      checkpoint.normalisation.normalise(data.normalisation.denormalise(data.x.to(torch::kFloat64))).to(torch::kFloat32);
  auto generator = make_generator(seed);
  const auto chosen = torch::randperm(data.size(), generator, torch::kLong).narrow(0, 0, n);
  BoundOptions options;
  options.decoder = DecoderKind::Continuous;
  options.terms = terms;
  options.seed = seed;
  const GaussianDiffusion diffusion{NoiseSchedule(checkpoint.schedule)};
  return variational_bound(load_denoiser(checkpoint), diffusion, x.index_select(0, chosen), options);
}

double graphValue(QCPGraph* graph, double key) {
  for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it)
    if (it->key == key) return it->value;
  return NAN;
}

}  // namespace

class TestEvaluateView : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase();
  void init();
  void cleanup();

  void boundShares_andWeights_followTheirDefinitions();
  void parseStepList_acceptsListsAndRefusesNonsense();
  void bound_chartHoldsCoresTermsExactly();
  void stratifiedBound_addsUpAsCoresTotal();
  void bound_cancelStopsWithoutAResult();
  void bound_dataThatDoNotFitTheModel_giveAMessage();
  void noModel_givesAMessage();
  void rateDistortion_drawsCoresCurveAndExportsIt();
  void quality_rowsEqualSamplingAndScoringThroughCore();
  void quality_images_scoreTheClassifiersFrechetDistanceAsCore();
  void quality_everyTickedSampler_isScoredAgainstItsNfe();
  void quality_samplerChoice_isKeptAndTakenFromTheCommandLine();
  void quality_cancelStopsTheRuns();
  void quality_badStepList_givesAMessage();
  void commandLine_choosesTheViewAndStartsARun();

 private:
  QTemporaryDir m_settingsDir;
  std::unique_ptr<ScheduleModel> m_schedule;
  std::unique_ptr<TimestepCursor> m_cursor;
  std::unique_ptr<CurrentModel> m_model;
  std::unique_ptr<EvaluateView> m_view;
  CheckpointData m_moons;
};

void TestEvaluateView::initTestCase() {
  ddpm::test::isolateSettings(m_settingsDir);
  torch::set_num_threads(1);  // as the worker for the MLP, so both sides compute alike
  m_moons = load_checkpoint(resolve_checkpoint("moons"));
}

void TestEvaluateView::init() {
  m_schedule = std::make_unique<ScheduleModel>();
  m_cursor = std::make_unique<TimestepCursor>();
  m_model = std::make_unique<CurrentModel>();
  m_model->set(std::make_unique<CheckpointData>(m_moons), QStringLiteral("moons.safetensors"));
  m_view = std::make_unique<EvaluateView>(m_schedule.get(), m_cursor.get(), m_model.get());
  m_view->resize(1300, 800);
  m_view->show();
}

void TestEvaluateView::cleanup() {
  m_view.reset();
  m_model.reset();
  m_cursor.reset();
  m_schedule.reset();
}

void TestEvaluateView::boundShares_andWeights_followTheirDefinitions() {
  BoundResult result;
  result.terms = {4.0, 2.0, 1.0, 0.5};
  result.evaluated = {0, 1, 2, 3};
  result.weights = stratum_weights(4, 4);
  result.prior = 0.5;
  result.total = 8.0;
  const BoundShares shares = boundShares(result);
  QVERIFY(shares.meaningful);
  QCOMPARE(shares.cumulative, (std::vector<double>{0.5, 0.75, 0.875, 0.9375}));
  QCOMPARE(shares.halfWithin, 0);
  QCOMPARE(shares.priorShare, 0.0625);
  QCOMPARE(shares.decoderShare, 0.5);
  result.terms[1] = -1;
  QVERIFY(!boundShares(result).meaningful);
  // Stratified: L_0 plus strata of 1..T−1 that cover it exactly once.
  for (int T : {10, 1000, 37})
    for (int count : {2, 3, 9}) {
      const std::vector<double> w = stratum_weights(T, count);
      QCOMPARE(static_cast<int>(w.size()), count);
      QCOMPARE(std::accumulate(w.begin(), w.end(), 0.0), static_cast<double>(T));
    }
  QCOMPARE(stratum_weights(5, 0), std::vector<double>(5, 1.0));
}

void TestEvaluateView::parseStepList_acceptsListsAndRefusesNonsense() {
  std::vector<int> steps;
  QString error;
  QVERIFY(parseStepList(QStringLiteral("100, 10 20;T,10"), 1000, &steps, &error));
  QCOMPARE(steps, (std::vector<int>{10, 20, 100, 1000}));
  QVERIFY(!parseStepList(QStringLiteral("10, ten"), 1000, &steps, &error));
  QVERIFY(error.contains(QStringLiteral("ten")));
  QVERIFY(!parseStepList(QStringLiteral("0"), 1000, &steps, &error));
  QVERIFY(!parseStepList(QStringLiteral("1001"), 1000, &steps, &error));
  QVERIFY(error.contains(QStringLiteral("1000")));
}

void TestEvaluateView::bound_chartHoldsCoresTermsExactly() {
  QCOMPARE(m_view->examplesBox()->value(), 2000);  // the default for points
  m_view->examplesBox()->setValue(64);
  m_view->seedBox()->setValue(3);
  QSignalSpy ready(m_view.get(), &EvaluateView::boundReady);
  QSignalSpy ended(m_view.get(), &EvaluateView::runEnded);
  QVERIFY(m_view->runBound());
  QVERIFY(ended.wait(kTimeoutMs));
  QCOMPARE(ready.count(), 1);
  const BoundResult* result = m_view->lastBound();
  QVERIFY(result);

  const VariationalBound core = coreBound(m_moons, 64, 0, 3);
  QCOMPARE(result->terms.size(), core.terms_bits_per_dim.size());
  QCOMPARE(result->evaluated.size(), std::size_t(1000));
  QVERIFY(close(result->total, core.bits_per_dim));
  QVERIFY(close(result->prior, core.prior_bits_per_dim));
  for (std::size_t t = 0; t < core.terms_bits_per_dim.size(); ++t)
    QVERIFY2(close(result->terms[t], core.terms_bits_per_dim[t]),
             qPrintable(QStringLiteral("t = %1: %2 vs %3").arg(t).arg(result->terms[t]).arg(core.terms_bits_per_dim[t])));

  // What the chart draws is what core computed.
  BitsPerTChart* chart = m_view->bitsChart();
  QCOMPARE(chart->termsGraph()->dataCount(), 999);
  for (int t : {1, 2, 50, 500, 999}) QVERIFY(close(graphValue(chart->termsGraph(), t), core.terms_bits_per_dim[t]));
  QVERIFY(close(graphValue(chart->decoderGraph(), 0), core.terms_bits_per_dim[0]));
  QVERIFY(close(graphValue(chart->priorGraph(), 1000), core.prior_bits_per_dim));
  QVERIFY(m_view->boundSummary().contains(QStringLiteral("L = ")));
  // 2D bits are differential: L_0 of a sharp density is negative, so no shares are claimed.
  if (core.terms_bits_per_dim[0] < 0) QVERIFY(m_view->boundSummary().contains(QStringLiteral("differential")));
  // ... and the chart has no share axis or share legend entry for them.
  const bool shares = boundShares(*result).meaningful;
  QCOMPARE(chart->plot()->yAxis2->visible(), shares);
  QCOMPARE(chart->shareGraph()->dataCount() > 0, shares);
  QCOMPARE(chart->plot()->legend->hasItemWithPlottable(chart->shareGraph()), shares);
  // L_0's label lies wholly inside the axes on either scale (on the log one a negative
  // L_0 is named at the top, "off the log axis"), and the legend sits below the axes.
  for (const bool log : {true, false}) {
    m_view->logScaleBox()->setChecked(log);
    QCOMPARE(chart->plot()->yAxis->scaleType(), log ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    chart->plot()->replot();
    const QRectF axes = chart->plot()->axisRect()->rect();
    const QPointF topLeft = chart->decoderLabel()->topLeft->pixelPosition();
    const QPointF bottomRight = chart->decoderLabel()->bottomRight->pixelPosition();
    QVERIFY2(axes.contains(topLeft) && axes.contains(bottomRight),
             qPrintable(QStringLiteral("log %1: label %2,%3 – %4,%5 outside the axes %6,%7 – %8,%9")
                            .arg(log).arg(topLeft.x()).arg(topLeft.y()).arg(bottomRight.x()).arg(bottomRight.y())
                            .arg(axes.left()).arg(axes.top()).arg(axes.right()).arg(axes.bottom())));
    QCOMPARE(chart->decoderLabel()->text().contains(QStringLiteral("off the log axis")),
             log && core.terms_bits_per_dim[0] <= 0);
    QVERIFY(chart->plot()->legend->outerRect().top() >= axes.bottom());
  }
}

void TestEvaluateView::stratifiedBound_addsUpAsCoresTotal() {
  m_view->examplesBox()->setValue(100);
  m_view->termsModeBox()->setCurrentIndex(1);
  m_view->termsBox()->setValue(25);
  QCOMPARE(m_view->boundSettings().terms, 25);
  QSignalSpy ended(m_view.get(), &EvaluateView::runEnded);
  QVERIFY(m_view->runBound());
  QVERIFY(ended.wait(kTimeoutMs));
  const BoundResult* result = m_view->lastBound();
  QVERIFY(result);
  QCOMPARE(result->evaluated.size(), std::size_t(25));
  QCOMPARE(result->weights.size(), std::size_t(25));
  double sum = result->prior;
  for (std::size_t i = 0; i < result->evaluated.size(); ++i)
    sum += result->weights[i] * result->terms[static_cast<std::size_t>(result->evaluated[i])];
  QVERIFY(close(sum, result->total, 1e-12));
  const VariationalBound core = coreBound(m_moons, 100, 25, 0);
  QVERIFY(close(result->total, core.bits_per_dim));
  QCOMPARE(m_view->bitsChart()->termsGraph()->dataCount(), 24);
}

void TestEvaluateView::bound_cancelStopsWithoutAResult() {
  m_view->examplesBox()->setValue(5000);
  QSignalSpy progress(m_view->session(), &EvaluateSession::progress);
  QSignalSpy ended(m_view.get(), &EvaluateView::runEnded);
  QSignalSpy finished(m_view->session(), &EvaluateSession::finished);
  QVERIFY(m_view->runBound());
  QVERIFY(m_view->isRunning());
  QVERIFY(m_view->cancelButton()->isEnabled());
  // Wait for the first computed term, then Cancel.
  QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty() && progress.last().at(0).toLongLong() > 0, kTimeoutMs);
  QTest::mouseClick(m_view->cancelButton(), Qt::LeftButton);
  QVERIFY(ended.wait(kTimeoutMs));
  QCOMPARE(finished.count(), 1);
  QCOMPARE(finished.first().at(1).toBool(), true);
  QVERIFY(!m_view->lastBound());
  QVERIFY(!m_view->isRunning());
  QVERIFY(progress.last().at(0).toLongLong() < 1000);
  QVERIFY(m_view->statusText().contains(QStringLiteral("Cancelled")));
}

void TestEvaluateView::bound_dataThatDoNotFitTheModel_giveAMessage() {
  m_view->boundDataBox()->setCurrentIndex(m_view->boundDataBox()->findData(QStringLiteral("fashion-mnist")));
  QCOMPARE(m_view->boundSettings().dataSpec, QStringLiteral("fashion-mnist"));
  QSignalSpy errors(m_view.get(), &EvaluateView::errorReported);
  QSignalSpy ended(m_view.get(), &EvaluateView::runEnded);
  QVERIFY(m_view->runBound());
  QVERIFY(ended.wait(kTimeoutMs));
  QCOMPARE(errors.count(), 1);
  const QString message = errors.first().at(1).toString();
  QVERIFY2(message.contains(QStringLiteral("[1, 28, 28]")) && message.contains(QStringLiteral("[2]")), qPrintable(message));
  QVERIFY(!m_view->lastBound());
  QVERIFY(!m_view->isRunning());

  // Typed data that do not exist: a message too.
  m_view->boundDataBox()->setEditText(QStringLiteral("csv:/no/such/file.csv"));
  QCOMPARE(m_view->boundSettings().dataSpec, QStringLiteral("csv:/no/such/file.csv"));
  QVERIFY(m_view->runBound());
  QVERIFY(ended.wait(kTimeoutMs));
  QCOMPARE(errors.count(), 2);
}

void TestEvaluateView::noModel_givesAMessage() {
  m_model->clear();
  QVERIFY(!m_view->boundButton()->isEnabled());
  QSignalSpy errors(m_view.get(), &EvaluateView::errorReported);
  QVERIFY(!m_view->runBound());
  QVERIFY(!m_view->runQuality());
  QCOMPARE(errors.count(), 2);
  QVERIFY(!m_view->isRunning());
}

void TestEvaluateView::quality_rowsEqualSamplingAndScoringThroughCore() {
  m_view->samplesBox()->setValue(300);
  m_view->stepsEdit()->setText(QStringLiteral("5, 20"));
  m_view->seedBox()->setValue(7);
  QSignalSpy ended(m_view.get(), &EvaluateView::runEnded);
  QVERIFY(m_view->runQuality());
  QVERIFY(ended.wait(kTimeoutMs));
  const std::vector<QualityRow>& rows = m_view->qualityRows();
  QCOMPARE(rows.size(), std::size_t(3));

  const torch::Tensor heldOut = rawOf(loadSplit("moons", Split::Test));
  const torch::Tensor train = rawOf(loadSplit("moons", Split::Train));
  const GaussianDiffusion diffusion{NoiseSchedule(m_moons.schedule)};
  const Denoiser model = load_denoiser(m_moons);
  const std::vector<std::pair<SamplerKind, int>> expected = {{SamplerKind::DDPM, 1000}, {SamplerKind::DDIM, 5},
                                                             {SamplerKind::DDIM, 20}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    SamplerOptions options;
    options.kind = expected[i].first;
    options.steps = expected[i].first == SamplerKind::DDIM ? expected[i].second : 0;
    options.n = 300;
    options.seed = 7;
    options.x0_range = checkpoint_x0_range(m_moons);  // 2D models clamp x̂_0 into their data's range
    ReverseProcess process(model, diffusion, m_moons.sample_shape, options);
    QVERIFY(run_to_end(process) == RunStatus::Completed);
    const torch::Tensor samples = m_moons.normalisation.denormalise(process.sample().to(torch::kFloat64));
    const QualityScore2d score = score_2d(samples, heldOut, train, 7);
    QCOMPARE(rows[i].sampler, QString(expected[i].first == SamplerKind::DDPM ? "DDPM" : "DDIM"));
    QCOMPARE(rows[i].steps, expected[i].second);
    QCOMPARE(rows[i].nfe, expected[i].second);
    QCOMPARE(rows[i].samples, 300);
    QVERIFY2(close(rows[i].score, score.energy_distance, 1e-9),
             qPrintable(QStringLiteral("%1 %2: %3 vs %4").arg(rows[i].sampler).arg(rows[i].steps).arg(rows[i].score)
                            .arg(score.energy_distance)));
    QVERIFY(close(rows[i].baseline, score.gaussian_energy_distance, 1e-9));
    QVERIFY(rows[i].seconds > 0);
  }
  // Chart and table show the same rows.
  QCOMPARE(m_view->qualityTable()->rowCount(), 3);
  const QualityStepsChart* chart = m_view->qualityChart();
  QCOMPARE(chart->scoreGraph(QStringLiteral("DDIM"))->dataCount(), 2);
  QCOMPARE(chart->scoreGraph(QStringLiteral("DDPM"))->dataCount(), 1);
  QVERIFY(chart->scoreGraph(QStringLiteral("Heun")) == nullptr);  // not ticked
  QCOMPARE(graphValue(chart->scoreGraph(QStringLiteral("DDIM")), 20), rows[2].score);
  QCOMPARE(graphValue(chart->secondsGraph(QStringLiteral("DDPM")), 1000), rows[0].seconds);
  QCOMPARE(m_view->qualityChart()->plot()->xAxis->scaleType(), QCPAxis::stLogarithmic);

  // CSV: a header and one line per run with the same numbers.
  QTemporaryDir dir;
  const QString csvPath = dir.filePath(QStringLiteral("quality.csv"));
  QString error;
  QVERIFY2(m_view->exportQualityCsv(csvPath, &error), qPrintable(error));
  QFile file(csvPath);
  QVERIFY(file.open(QIODevice::ReadOnly));
  const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
  QCOMPARE(lines.size(), 4);
  QCOMPARE(lines[0], QStringLiteral("sampler,steps,nfe,samples,score_energy_distance,baseline,seconds"));
  const QStringList cells = lines[2].split(QLatin1Char(','));
  QCOMPARE(cells[0], QStringLiteral("DDIM"));
  QCOMPARE(cells[1].toInt(), 5);
  QCOMPARE(cells[2].toInt(), 5);
  QVERIFY(close(cells[4].toDouble(), rows[1].score, 1e-9));
  QVERIFY(!m_view->exportQualityCsv(dir.filePath(QStringLiteral("no/such/folder/q.csv")), &error));
}

void TestEvaluateView::rateDistortion_drawsCoresCurveAndExportsIt() {
  // The moons bound has differential bits: no curve, and the page says why.
  m_view->examplesBox()->setValue(16);
  QSignalSpy ended(m_view.get(), &EvaluateView::runEnded);
  QVERIFY(m_view->runBound());
  QVERIFY(ended.wait(kTimeoutMs));
  RateDistortionPage* page = m_view->rateDistortionPage();
  QVERIFY(page->curve().empty());
  QVERIFY(page->summaryText().contains(QStringLiteral("2D points")));
  QVERIFY(!page->exportButton()->isEnabled());

  // The shipped Fashion-MNIST network on a 40-step schedule (a fast stand-in for T = 1000):
  // the three charts draw exactly core's curve from core's bound for the same images and seed.
  CheckpointData fashion = load_checkpoint(resolve_checkpoint("fashion-mnist"));
  fashion.schedule.steps = 40;
  m_model->set(std::make_unique<CheckpointData>(fashion), QStringLiteral("fashion-mnist.safetensors"));
  m_view->examplesBox()->setValue(3);
  m_view->seedBox()->setValue(2);
  QVERIFY(m_view->runBound());
  QVERIFY(ended.wait(4 * kTimeoutMs));
  QCOMPARE(page->curve().size(), std::size_t(41));

  const Dataset test = loadSplit("fashion-mnist", Split::Test);
  const torch::Tensor x = fashion.normalisation.normalise(rawOf(test)).to(torch::kFloat32);
  auto generator = make_generator(2);
  const auto chosen = torch::randperm(test.size(), generator, torch::kLong).narrow(0, 0, 3);
  BoundOptions options;
  options.clip_x0 = true;
  options.seed = 2;
  torch::set_num_threads(recommended_threads(fashion.model));  // as the worker
  const auto core = rate_distortion(variational_bound(load_denoiser(fashion), GaussianDiffusion{NoiseSchedule(fashion.schedule)},
                                                      x.index_select(0, chosen), options));
  torch::set_num_threads(1);
  QCOMPARE(page->distortionChart()->curveGraph()->dataCount(), 41);
  for (const int k : {0, 20, 39, 40}) {
    QVERIFY(close(page->curve()[k].rate_bits_per_dim, core[k].rate_bits_per_dim, 1e-6));
    QVERIFY(close(page->curve()[k].distortion_rmse, core[k].distortion_rmse, 1e-6));
    QVERIFY(close(graphValue(page->distortionChart()->curveGraph(), k), page->curve()[k].distortion_rmse));
    QVERIFY(close(graphValue(page->rateChart()->curveGraph(), k), page->curve()[k].rate_bits_per_dim));
  }
  QVERIFY(close(page->curve().back().rate_bits_per_dim, m_view->lastBound()->total, 1e-12));
  QVERIFY(page->summaryText().contains(QStringLiteral("1.77581")));  // the paper's Table 4, for context

  QTemporaryDir dir;
  const QString csv = dir.filePath("rd.csv");
  QString error;
  QVERIFY2(page->exportCsv(csv, &error), qPrintable(error));
  QFile file(csv);
  QVERIFY(file.open(QIODevice::ReadOnly));
  QCOMPARE(QString::fromUtf8(file.readAll()), QString::fromStdString(rate_distortion_csv(page->curve())));

  // A stratified bound leaves the curve out and says what it needs.
  m_view->termsModeBox()->setCurrentIndex(1);
  m_view->termsBox()->setValue(5);
  QVERIFY(m_view->runBound());
  QVERIFY(ended.wait(4 * kTimeoutMs));
  QVERIFY(page->curve().empty());
  QVERIFY(page->summaryText().contains(QStringLiteral("all T terms")));
  QVERIFY(!page->exportCsv(csv, &error));
}

void TestEvaluateView::quality_images_scoreTheClassifiersFrechetDistanceAsCore() {
  // The image path: the shipped Fashion-MNIST model, a few DDIM runs of 6 samples (DDPM's
  // 1000 UNet steps are too slow for a test), each scored by the shipped classifier's
  // Fréchet distance to the test set. Core's sampler and score give the same numbers.
  const CheckpointData fashion = load_checkpoint(resolve_checkpoint("fashion-mnist"));
  m_model->set(std::make_unique<CheckpointData>(fashion), QStringLiteral("fashion-mnist.safetensors"));
  m_view->samplesBox()->setValue(6);
  m_view->stepsEdit()->setText(QStringLiteral("2, 10"));
  m_view->ddpmBox()->setChecked(false);
  m_view->seedBox()->setValue(5);
  QSignalSpy ended(m_view.get(), &EvaluateView::runEnded);
  QSignalSpy errors(m_view.get(), &EvaluateView::errorReported);
  QVERIFY(m_view->runQuality());
  QVERIFY(ended.wait(4 * kTimeoutMs));
  QCOMPARE(errors.count(), 0);
  const std::vector<QualityRow> rows = m_view->qualityRows();
  QCOMPARE(rows.size(), std::size_t(2));

  LoadedClassifier classifier = load_classifier(resolve_checkpoint("fmnist-classifier"));
  const GaussianMoments reference =
      GaussianMoments::fit(classifier_features(*classifier.model, loadSplit("fashion-mnist", Split::Test).x));
  const GaussianDiffusion diffusion{NoiseSchedule(fashion.schedule)};
  const Denoiser model = load_denoiser(fashion);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const int steps = i == 0 ? 2 : 10;
    SamplerOptions options;
    options.kind = SamplerKind::DDIM;
    options.steps = steps;
    options.clip_x0 = true;  // images, as `ddpm score`
    options.n = 6;
    options.seed = 5;  // one batch: seed + 0
    ReverseProcess process(model, diffusion, fashion.sample_shape, options);
    QVERIFY(run_to_end(process) == RunStatus::Completed);
    const torch::Tensor pixels = fashion.normalisation.denormalise(process.sample().to(torch::kFloat64));
    const torch::Tensor samples = Normalisation::pixels_to_unit_range().normalise(pixels).to(torch::kFloat32);
    const double fd = score_images(*classifier.model, samples, reference).frechet_distance;
    QCOMPARE(rows[i].sampler, QStringLiteral("DDIM"));
    QCOMPARE(rows[i].steps, steps);
    QCOMPARE(rows[i].samples, 6);
    QVERIFY2(close(rows[i].score, fd, 1e-6),
             qPrintable(QStringLiteral("DDIM %1: %2 vs %3").arg(steps).arg(rows[i].score).arg(fd)));
    QVERIFY(std::isfinite(rows[i].score) && rows[i].score > 0);
    QVERIFY(std::isnan(rows[i].baseline));  // images have no Gaussian baseline
  }
  // A second run reuses the test set's moments and gives the same rows (same seed).
  QVERIFY(m_view->runQuality());
  QVERIFY(ended.wait(4 * kTimeoutMs));
  QCOMPARE(m_view->qualityRows().size(), std::size_t(2));
  QCOMPARE(m_view->qualityRows()[1].score, rows[1].score);
  QCOMPARE(m_view->qualityTable()->rowCount(), 2);
}

void TestEvaluateView::quality_everyTickedSampler_isScoredAgainstItsNfe() {
  // DPM-Solver++ and Heun beside DDIM: each row is core's run of that sampler (its own
  // step spacing) scored by core, and Heun's K steps stand at 2K − 1 evaluations.
  m_view->samplesBox()->setValue(200);
  m_view->stepsEdit()->setText(QStringLiteral("4, 8"));
  m_view->ddpmBox()->setChecked(false);
  m_view->seedBox()->setValue(3);
  QCOMPARE(m_view->setSamplersFromText(QStringLiteral("dpm-solver++,heun")), QString());
  QVERIFY(!m_view->samplerBox(SamplingSettings::Sampler::DDIM)->isChecked());
  QVERIFY(m_view->samplerBox(SamplingSettings::Sampler::Heun)->isChecked());
  QVERIFY(m_view->setSamplersFromText(QStringLiteral("ddpm")).contains(QStringLiteral("'ddpm'")));
  QVERIFY(m_view->setSamplersFromText(QStringLiteral("warp")).contains(QStringLiteral("'warp'")));
  QCOMPARE(m_view->samplersText(), QStringLiteral("dpm-solver++,heun"));  // a refused list changes nothing
  QSignalSpy ended(m_view.get(), &EvaluateView::runEnded);
  QVERIFY(m_view->runQuality());
  QVERIFY(ended.wait(kTimeoutMs));
  const std::vector<QualityRow>& rows = m_view->qualityRows();
  QCOMPARE(rows.size(), std::size_t(4));

  const torch::Tensor heldOut = rawOf(loadSplit("moons", Split::Test));
  const torch::Tensor train = rawOf(loadSplit("moons", Split::Train));
  const GaussianDiffusion diffusion{NoiseSchedule(m_moons.schedule)};
  const Denoiser model = load_denoiser(m_moons);
  const std::vector<std::tuple<SamplerKind, int, int>> expected = {
      {SamplerKind::DPMSolverPP, 4, 4}, {SamplerKind::DPMSolverPP, 8, 8}, {SamplerKind::Heun, 4, 7}, {SamplerKind::Heun, 8, 15}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto [kind, steps, nfe] = expected[i];
    SamplerOptions options;
    options.kind = kind;
    options.steps = steps;
    options.spacing = kind == SamplerKind::DPMSolverPP ? StepSpacing::LogSnr : StepSpacing::Uniform;
    options.n = 200;
    options.seed = 3;
    options.x0_range = checkpoint_x0_range(m_moons);
    ReverseProcess process(model, diffusion, m_moons.sample_shape, options);
    QVERIFY(run_to_end(process) == RunStatus::Completed);
    QCOMPARE(process.evaluations(), std::int64_t(nfe));  // core counts what the row claims
    const torch::Tensor samples = m_moons.normalisation.denormalise(process.sample().to(torch::kFloat64));
    const QualityScore2d score = score_2d(samples, heldOut, train, 3);
    QCOMPARE(rows[i].sampler, kind == SamplerKind::Heun ? QStringLiteral("Heun") : QStringLiteral("DPM-Solver++(2M)"));
    QCOMPARE(rows[i].steps, steps);
    QCOMPARE(rows[i].nfe, nfe);
    QVERIFY2(close(rows[i].score, score.energy_distance, 1e-9),
             qPrintable(QStringLiteral("%1 %2: %3 vs %4").arg(rows[i].sampler).arg(steps).arg(rows[i].score)
                            .arg(score.energy_distance)));
  }
  const QualityStepsChart* chart = m_view->qualityChart();
  QCOMPARE(chart->scoreGraph(QStringLiteral("Heun"))->dataCount(), 2);
  QCOMPARE(graphValue(chart->scoreGraph(QStringLiteral("Heun")), 15), rows[3].score);  // plotted at its NFE
  QCOMPARE(chart->plot()->xAxis->label(), QStringLiteral("network evaluations (NFE), log scale"));
  QCOMPARE(m_view->qualityTable()->item(3, 2)->text(), QStringLiteral("15"));

  // Nothing ticked and no DDPM: a message, no run.
  QCOMPARE(m_view->setSamplersFromText(QString()), QString());
  QSignalSpy errors(m_view.get(), &EvaluateView::errorReported);
  QVERIFY(!m_view->runQuality());
  QVERIFY(errors.first().at(1).toString().contains(QStringLiteral("Nothing to run")));
}

void TestEvaluateView::quality_samplerChoice_isKeptAndTakenFromTheCommandLine() {
  QCOMPARE(m_view->samplersText(), QStringLiteral("ddim"));  // the default
  m_view->samplerBox(SamplingSettings::Sampler::Euler)->setChecked(true);
  QTemporaryDir dir;
  QSettings stored(dir.filePath(QStringLiteral("view.ini")), QSettings::IniFormat);
  m_view->saveState(stored);
  EvaluateView fresh(m_schedule.get(), m_cursor.get(), m_model.get());
  fresh.restoreState(stored);
  QCOMPARE(fresh.samplersText(), QStringLiteral("ddim,euler"));
  stored.setValue(QStringLiteral("evaluateView/samplers"), QStringLiteral("ddim,bogus"));  // damaged: the default
  fresh.restoreState(stored);
  QCOMPARE(fresh.samplersText(), QStringLiteral("ddim"));

  const auto parsed = parseStudioOptions({QStringLiteral("ddpm-studio"), QStringLiteral("--eval-samplers"),
                                          QStringLiteral("Heun,dpm-solver++")});
  QCOMPARE(fresh.applyOptions(parsed.options), QString());
  QCOMPARE(fresh.samplersText(), QStringLiteral("dpm-solver++,heun"));
  const auto bad = parseStudioOptions({QStringLiteral("ddpm-studio"), QStringLiteral("--eval-samplers"),
                                       QStringLiteral("ddpm")});
  QVERIFY(fresh.applyOptions(bad.options).contains(QStringLiteral("--eval-samplers")));
  QCOMPARE(fresh.samplersText(), QStringLiteral("dpm-solver++,heun"));
}

void TestEvaluateView::quality_cancelStopsTheRuns() {
  m_view->samplesBox()->setValue(20000);
  m_view->stepsEdit()->setText(QStringLiteral("10, 100, T"));
  QSignalSpy progress(m_view->session(), &EvaluateSession::progress);
  QSignalSpy finished(m_view->session(), &EvaluateSession::finished);
  QSignalSpy ended(m_view.get(), &EvaluateView::runEnded);
  QVERIFY(m_view->runQuality());
  QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty() && progress.last().at(0).toLongLong() > 0, kTimeoutMs);
  m_view->cancel();
  QVERIFY(ended.wait(kTimeoutMs));
  QCOMPARE(finished.count(), 1);
  QCOMPARE(finished.first().at(1).toBool(), true);
  QVERIFY(m_view->qualityRows().size() < 4);
  QVERIFY(!m_view->isRunning());
}

void TestEvaluateView::quality_badStepList_givesAMessage() {
  m_view->stepsEdit()->setText(QStringLiteral("10, 5000"));
  QSignalSpy errors(m_view.get(), &EvaluateView::errorReported);
  QVERIFY(!m_view->runQuality());
  QCOMPARE(errors.count(), 1);
  QVERIFY(errors.first().at(1).toString().contains(QStringLiteral("5000")));
  QVERIFY(!m_view->isRunning());
}

void TestEvaluateView::commandLine_choosesTheViewAndStartsARun() {
  const auto parsed = parseStudioOptions({QStringLiteral("ddpm-studio"), QStringLiteral("--view"), QStringLiteral("evaluate"),
                                          QStringLiteral("--evaluate"), QStringLiteral("bound"),
                                          QStringLiteral("--eval-examples"), QStringLiteral("32"),
                                          QStringLiteral("--eval-terms"), QStringLiteral("10")});
  QCOMPARE(parsed.action, StudioOptionsResult::Action::Run);
  QCOMPARE(parsed.options.view, QStringLiteral("evaluate"));
  QSignalSpy ready(m_view.get(), &EvaluateView::boundReady);
  QSignalSpy ended(m_view.get(), &EvaluateView::runEnded);
  QVERIFY(m_view->applyOptions(parsed.options).isEmpty());
  QVERIFY(ended.wait(kTimeoutMs));
  QCOMPARE(ready.count(), 1);
  QCOMPARE(m_view->lastBound()->examples, 32);
  QCOMPARE(m_view->lastBound()->evaluated.size(), std::size_t(10));
  const auto bad = parseStudioOptions({QStringLiteral("ddpm-studio"), QStringLiteral("--evaluate"), QStringLiteral("fid")});
  QCOMPARE(bad.action, StudioOptionsResult::Action::Error);
  QVERIFY(bad.text.contains(QStringLiteral("--evaluate")));
}

QTEST_MAIN(TestEvaluateView)
#include "test_evaluate_view.moc"
