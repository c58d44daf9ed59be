#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/classifier_checkpoint.h"
#include "core/checkpoint/shipped_checkpoints.h"
#include "core/data/dataset.h"
#include "core/jobs/bound_job.h"
#include "core/jobs/checkpoint_model.h"
#include "core/jobs/quality_job.h"
#include "core/runtime/device.h"
#include "core/sampling/model_checks.h"
#include "core/sampling/reverse_process.h"
#include "core/sampling/rate_distortion.h"
#include "core/sampling/variational_bound.h"
#include "core/schedule/noise_schedule.h"
#include "core/util/error.h"

#include "ui/evaluate/evaluate_worker.h"

#include "ui/evaluate/bound_summary.h"
#include "ui/sampling/sampler_options.h"

#include <QElapsedTimer>
#include <QFileInfo>

#include <cmath>
#include <exception>
#include <functional>
#include <map>
#include <mutex>

namespace ddpm::ui {

namespace {

// The shipped classifier that defines the image score (docs/quality-score.md).
constexpr const char* kClassifier = "fmnist-classifier";
constexpr qint64 kImageBatch = 256;  // as `ddpm score`: batch i of a run uses seed + i

bool isPoints(const CheckpointData& checkpoint) {
  return checkpoint.sample_shape == std::vector<std::int64_t>{2};
}

Dataset loadData(const std::string& spec, Split split) {
  DataOptions options;
  options.split = split;
  return load_dataset(spec, options);
}

// The Fashion-MNIST test set's feature moments under the classifier in `classifierPath`:
// 10 000 images through the network, the same for every quality run of a session, so
// computed once per classifier file (and again if the file changes). Core's quality job
// computes them; the cache is the view's.
GaussianMoments testSetMoments(FmnistClassifierImpl& classifier, const std::string& classifierPath) {
  static std::mutex mutex;
  static std::map<std::string, GaussianMoments> cache;
  const QFileInfo file(QString::fromStdString(classifierPath));
  const std::string key = classifierPath + '\n' + std::to_string(file.size()) + '\n' +
                          std::to_string(file.lastModified().toMSecsSinceEpoch());
  std::lock_guard<std::mutex> lock(mutex);
  auto found = cache.find(key);
  if (found == cache.end())
    found = cache.emplace(key, fashion_mnist_test_moments(classifier)).first;
  return found->second;
}

// What every run is compared with: held-out points (and the training points behind the
// Gaussian baseline), or the classifier's feature moments of the Fashion-MNIST test set
// (`beforeFeatures` is called before those are computed).
QualityReference qualityReference(const CheckpointData& checkpoint, bool points,
                                  const std::function<void()>& beforeFeatures) {
  QualityReference reference;
  if (points) {
    reference.held_out = points_in_data_coordinates(loadData(checkpoint.data_spec, Split::Test));
    reference.train_points = points_in_data_coordinates(loadData(checkpoint.data_spec, Split::Train));
    return reference;
  }
  std::string classifierPath;
  try {
    classifierPath = resolve_checkpoint(kClassifier);
    reference.classifier = load_classifier(classifierPath).model;
  } catch (const Error& e) {
    throw Error(std::string("the image score needs the shipped Fashion-MNIST classifier: ") + e.what());
  }
  beforeFeatures();
  reference.moments = testSetMoments(*reference.classifier, classifierPath);
  return reference;
}

// One sampler setting of a quality run.
struct QualityRun {
  SamplerKind kind;
  std::int64_t steps;
};

// Points are drawn in one batch; images in batches of 256, batch i with seed + i (as `ddpm score`).
QualitySamplingOptions samplingOptions(const QualityRun& run, std::int64_t n, quint64 seed, torch::Device device) {
  QualitySamplingOptions options;
  options.sampler.kind = run.kind;
  options.sampler.steps = run.kind == SamplerKind::DDPM ? 0 : run.steps;
  options.sampler.spacing = default_spacing(run.kind);
  options.sampler.eta = 0.0;
  options.sampler.variance = ReverseVariance::Beta;
  options.sampler.n = n;
  options.sampler.seed = seed;
  options.sampler.device = device;
  options.image_batch = kImageBatch;
  return options;
}

// DDPM with all T steps (when asked), then each sampler at each K, in the panel's order.
std::vector<QualityRun> qualityRuns(const QualitySettings& settings, std::int64_t T) {
  for (int k : settings.steps)
    if (!ddim_steps_in_range(k, T))
      throw Error("steps K must be between 1 and T = " + std::to_string(T) + "; got " + std::to_string(k));
  std::vector<QualityRun> runs;
  if (settings.ddpm) runs.push_back({SamplerKind::DDPM, T});
  for (const SamplingSettings::Sampler sampler : settings.samplers)
    if (sampler != SamplingSettings::Sampler::DDPM)
      for (int k : settings.steps) runs.push_back({toSamplerKind(sampler), k});
  return runs;
}

}  // namespace

EvaluateWorker::EvaluateWorker(QObject* parent) : QObject(parent) {}

void EvaluateWorker::runBound(quint64 runId, const std::atomic<bool>* cancel, std::shared_ptr<const CheckpointData> checkpoint,
                              BoundSettings settings) {
  QElapsedTimer clock;
  clock.start();
  try {
    if (!checkpoint) throw Error("there is no model to evaluate: open a checkpoint first");
    torch::set_num_threads(recommended_threads(checkpoint->model));
    BoundJobOptions options;
    options.data_spec = settings.dataSpec.toStdString();
    options.examples = std::max(1, settings.examples);
    options.seed = settings.seed;
    options.variance = settings.posteriorVariance ? ReverseVariance::Posterior : ReverseVariance::Beta;
    options.terms = settings.terms;
    options.batch_size = settings.batch;
    const QString spec = QString::fromStdString(options.spec_for(*checkpoint));
    emit progress(runId, 0, 0, tr("Loading the test data %1…").arg(spec));
    QElapsedTimer sinceReport;
    sinceReport.start();
    const BoundJobResult job = bound_on_data(
        *checkpoint, options,
        [&](const BoundProgress& p) {
          if (sinceReport.elapsed() >= 40 || p.done == p.total) {
            emit progress(runId, p.done, p.total, tr("Term %1 of %2 (t = %3)").arg(p.done).arg(p.total).arg(p.t));
            sinceReport.restart();
          }
        },
        cancel);
    const VariationalBound& bound = job.bound;
    if (bound.status == RunStatus::Cancelled) {
      emit finished(runId, true);
      return;
    }
    BoundResult result;
    result.terms = bound.terms_bits_per_dim;
    for (auto t : bound.evaluated) result.evaluated.push_back(static_cast<int>(t));
    result.weights = bound.weights;
    result.prior = bound.prior_bits_per_dim;
    result.total = bound.bits_per_dim;
    result.dims = bound.dims;
    result.examples = static_cast<int>(job.examples);
    result.discretised = job.images;
    result.dataSpec = spec;
    result.seconds = clock.elapsed() / 1000.0;
    if (job.images && bound.evaluated.size() == bound.terms_bits_per_dim.size()) result.rateDistortion = rate_distortion(bound);
    emit boundFinished(runId, result);
    emit finished(runId, false);
  } catch (const std::exception& e) {
    emit failed(runId, QString::fromStdString(e.what()));
  }
}

void EvaluateWorker::runQuality(quint64 runId, const std::atomic<bool>* cancel,
                                std::shared_ptr<const CheckpointData> checkpoint, QualitySettings settings) {
  try {
    if (!checkpoint) throw Error("there is no model to evaluate: open a checkpoint first");
    torch::set_num_threads(recommended_threads(checkpoint->model));
    const bool points = isPoints(*checkpoint);
    const bool fashion = checkpoint->sample_shape == std::vector<std::int64_t>{1, kClassifierImageSize, kClassifierImageSize};
    if (!points && !fashion)
      throw Error("the quality score compares 2D points (energy distance) or 28×28 grey images (the Fashion-MNIST "
                  "classifier's Fréchet distance); this model makes samples of shape " +
                  shape_text(checkpoint->sample_shape));
    const std::int64_t T = checkpoint->schedule.timesteps();
    const std::int64_t n = settings.samples > 0 ? settings.samples : (points ? 2000 : 256);
    if (n < 2) throw Error("the score needs at least 2 samples");
    const std::vector<QualityRun> runs = qualityRuns(settings, T);  // a bad step list fails before the slow part

    emit progress(runId, 0, 0, tr("Loading the reference data…"));
    const QualityReference reference = qualityReference(*checkpoint, points, [&] {
      emit progress(runId, 0, 0, tr("Features of the Fashion-MNIST test set…"));
    });
    if (cancel->load()) {
      emit finished(runId, true);
      return;
    }

    qint64 total = 0, done = 0;
    const qint64 batches = points ? 1 : (n + kImageBatch - 1) / kImageBatch;
    for (const QualityRun& run : runs) total += run.steps * batches;

    const CheckpointModel model = open_checkpoint_model(*checkpoint, resolve_device("auto"));
    QElapsedTimer sinceReport;
    sinceReport.start();
    for (const QualityRun& run : runs) {
      const QString name = samplerName(toSettingsSampler(run.kind));
      QElapsedTimer runClock;
      runClock.start();
      const QualitySamples drawn = draw_quality_samples(
          model, samplingOptions(run, n, settings.seed, model.device),
          [&](const QualityStep& step) {
            const ReverseProcess& p = step.process;
            if (p.steps_taken() == 0) return;  // a batch's x_T: no step yet
            ++done;
            if (sinceReport.elapsed() >= 40) {
              emit progress(runId, done, total, tr("%1, %2 steps: step %3 of %4").arg(name).arg(run.steps)
                                                    .arg(p.steps_taken()).arg(p.total_steps()));
              sinceReport.restart();
            }
          },
          cancel);
      if (drawn.status == RunStatus::Cancelled) {
        emit finished(runId, true);
        return;
      }
      QualityRow row;
      row.sampler = name;
      row.steps = static_cast<int>(run.steps);
      row.nfe = static_cast<int>(network_evaluations(run.kind, run.steps));
      row.samples = static_cast<int>(n);
      row.seconds = runClock.elapsed() / 1000.0;
      const torch::Tensor& samples = drawn.samples;
      if (!torch::isfinite(samples).all().item<bool>())
        throw Error(name.toStdString() + " with " + std::to_string(run.steps) +
                    " steps gave NaN or infinite samples; they cannot be scored");
      emit progress(runId, done, total, tr("Scoring %1, %2 steps…").arg(name).arg(run.steps));
      const QualityScore score = score_quality(reference, samples, settings.seed);
      row.score = score.value();
      if (points) row.baseline = score.points.gaussian_energy_distance;
      emit qualityRow(runId, row);
    }
    emit finished(runId, false);
  } catch (const std::exception& e) {
    emit failed(runId, QString::fromStdString(e.what()));
  }
}

}  // namespace ddpm::ui
