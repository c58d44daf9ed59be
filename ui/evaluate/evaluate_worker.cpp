#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/classifier_checkpoint.h"
#include "core/checkpoint/shipped_checkpoints.h"
#include "core/data/dataset.h"
#include "core/diffusion/gaussian_diffusion.h"
#include "core/metrics/energy_distance.h"
#include "core/metrics/frechet_distance.h"
#include "core/metrics/image_quality_score.h"
#include "core/models/denoiser.h"
#include "core/runtime/device.h"
#include "core/runtime/random.h"
#include "core/sampling/model_checks.h"
#include "core/sampling/reverse_process.h"
#include "core/sampling/variational_bound.h"
#include "core/schedule/noise_schedule.h"
#include "core/util/error.h"

#include "ui/evaluate/evaluate_worker.h"

#include "ui/evaluate/bound_summary.h"

#include <QElapsedTimer>
#include <QFileInfo>

#include <cmath>
#include <exception>
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

// A data set in its own coordinates (float64).
torch::Tensor rawOf(const Dataset& data) {
  return data.normalisation.denormalise(data.x.to(torch::kFloat64));
}

// The Fashion-MNIST test set's feature moments under the classifier in `classifierPath`:
// 10 000 images through the network, the same for every quality run of a session, so
// computed once per classifier file (and again if the file changes).
GaussianMoments testSetMoments(FmnistClassifierImpl& classifier, const std::string& classifierPath) {
  static std::mutex mutex;
  static std::map<std::string, GaussianMoments> cache;
  const QFileInfo file(QString::fromStdString(classifierPath));
  const std::string key = classifierPath + '\n' + std::to_string(file.size()) + '\n' +
                          std::to_string(file.lastModified().toMSecsSinceEpoch());
  std::lock_guard<std::mutex> lock(mutex);
  auto found = cache.find(key);
  if (found == cache.end())
    found = cache.emplace(key, GaussianMoments::fit(classifier_features(classifier, loadData("fashion-mnist", Split::Test).x)))
                .first;
  return found->second;
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
    const std::string spec = settings.dataSpec.isEmpty() ? checkpoint->data_spec : settings.dataSpec.toStdString();
    emit progress(runId, 0, 0, tr("Loading the test data %1…").arg(QString::fromStdString(spec)));
    const Dataset data = loadData(spec, Split::Test);
    if (data.sample_shape() != checkpoint->sample_shape)
      throw Error("the data " + spec + " have samples of shape " + shape_text(data.sample_shape()) +
                  " but the model makes " + shape_text(checkpoint->sample_shape) +
                  ": choose data like those it was trained on (" + checkpoint->data_spec + ")");
    const bool images = data.kind == DataKind::Images;
    // As `ddpm nll`: the bound is taken where the model was trained, in the checkpoint's coordinates.
    const torch::Tensor x =
        checkpoint->normalisation.normalise(data.normalisation.denormalise(data.x.to(torch::kFloat64))).to(torch::kFloat32);
    auto generator = make_generator(settings.seed);
    const std::int64_t n = std::min<std::int64_t>(std::max(1, settings.examples), data.size());
    const auto chosen = torch::randperm(data.size(), generator, torch::kLong).narrow(0, 0, n);

    BoundOptions options;
    options.variance = settings.posteriorVariance ? ReverseVariance::Posterior : ReverseVariance::Beta;
    options.decoder = images ? DecoderKind::Discretized : DecoderKind::Continuous;
    options.clip_x0 = images;
    options.terms = settings.terms;
    options.batch_size = settings.batch;
    options.seed = settings.seed;
    options.device = resolve_device("auto");
    const GaussianDiffusion diffusion{NoiseSchedule(checkpoint->schedule)};
    const Denoiser model = load_denoiser(*checkpoint, options.device);
    QElapsedTimer sinceReport;
    sinceReport.start();
    const VariationalBound bound = variational_bound(
        model, diffusion, x.index_select(0, chosen), options,
        [&](const BoundProgress& p) {
          if (sinceReport.elapsed() >= 40 || p.done == p.total) {
            emit progress(runId, p.done, p.total, tr("Term %1 of %2 (t = %3)").arg(p.done).arg(p.total).arg(p.t));
            sinceReport.restart();
          }
        },
        cancel);
    if (bound.status == RunStatus::Cancelled) {
      emit finished(runId, true);
      return;
    }
    BoundResult result;
    result.terms = bound.terms_bits_per_dim;
    for (auto t : bound.evaluated) result.evaluated.push_back(static_cast<int>(t));
    result.weights = termWeights(static_cast<int>(diffusion.steps()), static_cast<int>(bound.evaluated.size()));
    result.prior = bound.prior_bits_per_dim;
    result.total = bound.bits_per_dim;
    result.dims = bound.dims;
    result.examples = static_cast<int>(n);
    result.discretised = images;
    result.dataSpec = QString::fromStdString(spec);
    result.seconds = clock.elapsed() / 1000.0;
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
    const std::int64_t T = NoiseSchedule(checkpoint->schedule).steps();
    const std::int64_t n = settings.samples > 0 ? settings.samples : (points ? 2000 : 256);
    if (n < 2) throw Error("the score needs at least 2 samples");
    for (int k : settings.ddimSteps)
      if (k < 1 || k > T)
        throw Error("DDIM steps must be between 1 and T = " + std::to_string(T) + "; got " + std::to_string(k));

    // What every run is compared with: held-out points (and the training points behind the
    // Gaussian baseline), or the classifier's feature moments of the Fashion-MNIST test set.
    emit progress(runId, 0, 0, tr("Loading the reference data…"));
    torch::Tensor heldOut, train;
    LoadedClassifier classifier;
    GaussianMoments reference;
    if (points) {
      heldOut = rawOf(loadData(checkpoint->data_spec, Split::Test));
      train = rawOf(loadData(checkpoint->data_spec, Split::Train));
    } else {
      std::string classifierPath;
      try {
        classifierPath = resolve_checkpoint(kClassifier);
        classifier = load_classifier(classifierPath);
      } catch (const Error& e) {
        throw Error(std::string("the image score needs the shipped Fashion-MNIST classifier: ") + e.what());
      }
      emit progress(runId, 0, 0, tr("Features of the Fashion-MNIST test set…"));
      reference = testSetMoments(*classifier.model, classifierPath);
    }
    if (cancel->load()) {
      emit finished(runId, true);
      return;
    }

    struct Run {
      SamplerKind kind;
      std::int64_t steps;
    };
    std::vector<Run> runs;
    if (settings.ddpm) runs.push_back({SamplerKind::DDPM, T});
    for (int k : settings.ddimSteps) runs.push_back({SamplerKind::DDIM, k});
    qint64 total = 0, done = 0;
    const qint64 batches = points ? 1 : (n + kImageBatch - 1) / kImageBatch;
    for (const Run& run : runs) total += run.steps * batches;

    const torch::Device device = resolve_device("auto");
    const GaussianDiffusion diffusion{NoiseSchedule(checkpoint->schedule)};
    const Denoiser model = load_denoiser(*checkpoint, device);
    QElapsedTimer sinceReport;
    sinceReport.start();
    for (const Run& run : runs) {
      const QString name = run.kind == SamplerKind::DDPM ? QStringLiteral("DDPM") : QStringLiteral("DDIM");
      // Points are drawn in one batch; images in batches of 256, batch i with seed + i (as `ddpm score`).
      const std::int64_t batch = points ? n : kImageBatch;
      std::vector<torch::Tensor> parts;
      QElapsedTimer runClock;
      runClock.start();
      for (std::int64_t first = 0, i = 0; first < n; first += batch, ++i) {
        SamplerOptions options;
        options.kind = run.kind;
        options.steps = run.kind == SamplerKind::DDIM ? run.steps : 0;
        options.eta = 0.0;
        options.variance = ReverseVariance::Beta;
        options.clip_x0 = !points;
        options.n = std::min(batch, n - first);
        options.seed = settings.seed + static_cast<std::uint64_t>(i);
        options.device = device;
        ReverseProcess process(model, diffusion, checkpoint->sample_shape, options);
        const RunStatus status = run_to_end(
            process,
            [&](const ReverseProcess& p) {
              ++done;
              if (sinceReport.elapsed() >= 40) {
                emit progress(runId, done, total, tr("%1, %2 steps: step %3 of %4").arg(name).arg(run.steps)
                                                      .arg(p.steps_taken()).arg(p.total_steps()));
                sinceReport.restart();
              }
            },
            cancel);
        if (status == RunStatus::Cancelled) {
          emit finished(runId, true);
          return;
        }
        const torch::Tensor raw = checkpoint->normalisation.denormalise(process.sample().to(torch::kCPU, torch::kFloat64));
        parts.push_back(points ? raw : Normalisation::pixels_to_unit_range().normalise(raw).to(torch::kFloat32));
      }
      QualityRow row;
      row.sampler = name;
      row.steps = static_cast<int>(run.steps);
      row.samples = static_cast<int>(n);
      row.seconds = runClock.elapsed() / 1000.0;
      const torch::Tensor samples = torch::cat(parts, 0);
      if (!torch::isfinite(samples).all().item<bool>())
        throw Error(name.toStdString() + " with " + std::to_string(run.steps) +
                    " steps gave NaN or infinite samples; they cannot be scored");
      emit progress(runId, done, total, tr("Scoring %1, %2 steps…").arg(name).arg(run.steps));
      if (points) {
        const QualityScore2d score = score_2d(samples, heldOut, train, settings.seed);
        row.score = score.energy_distance;
        row.baseline = score.gaussian_energy_distance;
      } else {
        row.score = score_images(*classifier.model, samples, reference).frechet_distance;
      }
      emit qualityRow(runId, row);
    }
    emit finished(runId, false);
  } catch (const std::exception& e) {
    emit failed(runId, QString::fromStdString(e.what()));
  }
}

}  // namespace ddpm::ui
