// torch first: Qt's `slots` macro breaks ATen headers included after Qt.
#include "core/data/dataset.h"
#include "core/io/atomic_file.h"
#include "core/jobs/training_job.h"
#include "core/models/denoiser.h"
#include "core/runtime/threads.h"
#include "core/training/trainer.h"
#include "core/util/error.h"

#include "ui/training/training_worker.h"

#include "ui/training/training_preview.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>

#include <chrono>
#include <deque>
#include <memory>
#include <utility>

namespace ddpm::ui {

namespace {

using Clock = std::chrono::steady_clock;
// Progress goes out at most this often: a few reports a second keep the plots live
// without flooding the GUI thread's event queue with one event per 2 ms MLP step.
constexpr auto kReportInterval = std::chrono::milliseconds(50);
// Previews may take at most this share of the time (interval ≥ duration / share).
constexpr double kPreviewShare = 0.02;

double seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

std::unique_ptr<Trainer> buildTrainer(const TrainingConfig& config, const QString& output) {
  TrainingJobOptions options;
  options.resume = config.resumePath.toStdString();
  options.data_spec = config.data.toStdString();
  options.data.image_size = 32;  // images:DIR as `ddpm train` reads them: 32 × 32 RGB
  options.data.image_channels = 3;
  options.model = config.model.toStdString();
  options.objective = objective_from_string(config.objective.toStdString());
  options.schedule = config.schedule;
  options.train.learning_rate = config.learningRate;
  options.train.batch_size = config.batchSize;
  options.train.ema_decay = config.emaDecay;
  options.train.seed = config.seed;
  options.train.device = config.device.toStdString();
  options.train.precision = config.precision.toStdString();
  options.train.loss = config.loss.toStdString();
  options.train.checkpoint_path = output.toStdString();
  options.train.autosave_every = config.autosaveEvery;
  // A continuation keeps the checkpoint's options (seed, warm-up, clipping), so it is exact;
  // the numbers the view shows (filled from the checkpoint) may be changed.
  options.takes = ContinuationTakes::RunAndOptimiser;
  options.total_steps = config.totalSteps;
  options.fresh_start_advice = "start a new run instead";
  return start_or_resume_training(options);
}

QString startedSummary(const Trainer& trainer, qint64 parameters) {
  QLocale grouped(QLocale::English);
  return QStringLiteral("%1 (%2 parameters) on %3 (%4 samples), T = %5, %6")
      .arg(QString::fromStdString(trainer.ema_model()->config().preset), grouped.toString(parameters),
           QString::fromStdString(trainer.dataset().spec.text()), grouped.toString(trainer.dataset().size()))
      .arg(trainer.diffusion().steps())
      .arg(QString::fromStdString(trainer.device().str()));
}

}  // namespace

/// The state of one run inside the trainer's step callback (on the worker thread).
class TrainingRun {
 public:
  TrainingRun(TrainingWorker& worker, Trainer& trainer, const TrainingConfig& config, const TrainingStarted& info,
              QString output)
      : m_worker(worker), m_trainer(trainer), m_config(config), m_info(info), m_output(std::move(output)),
        m_start(Clock::now()), m_lastReport(m_start), m_lastStepAt(m_start) {
    m_pending.firstStep = info.firstStep + 1;
    m_pending.totalSteps = info.totalSteps;
    m_previewEvery = config.previewSeconds;
    m_nextPreview = m_start + std::chrono::duration_cast<Clock::duration>(
                                  std::chrono::duration<double>(config.previewSeconds));
  }

  void onStep(const TrainStepReport& report) {
    const auto now = Clock::now();
    m_lastStepAt = now;
    m_stepsTaken = report.step - m_info.firstStep;
    if (report.step % m_info.autosaveEvery == 0) {  // Trainer::run saved just before calling back
      m_lastGood = m_output;
      emit m_worker.checkpointSaved(m_output, report.step, true);
    }
    m_pending.losses.push_back(report.loss);
    for (std::size_t i = 0; i < report.t.size() && i < report.per_sample_loss.size(); ++i) {
      m_pending.t.push_back(static_cast<int>(report.t[i]));
      m_pending.sampleLoss.push_back(static_cast<float>(report.per_sample_loss[i]));
    }
    m_pending.step = report.step;
    m_pending.learningRate = report.learning_rate;
    m_rateWindow.emplace_back(now, report.step);
    while (m_rateWindow.size() > 2 && now - m_rateWindow.front().first > std::chrono::seconds(3))
      m_rateWindow.pop_front();
    m_fallbackRate = report.steps_per_second;

    QString savePath;
    while (m_worker.takeSaveRequest(&savePath)) saveAs(savePath, report.step);
    if (m_lastPreviewStep < 0 && m_fallbackRate > 0) {
      // Before the first preview its cost is unknown; one costs about as much as 1 (UNet)
      // to 15 (MLP) training steps, so waiting 50 steps keeps even the first one small.
      const auto fifty = std::chrono::duration<double>(50.0 / m_fallbackRate);
      m_nextPreview = std::max(m_nextPreview, m_start + std::chrono::duration_cast<Clock::duration>(fifty));
    }
    if (m_config.previewSeconds > 0 && now >= m_nextPreview && report.step < m_info.totalSteps) preview(report.step);
    const bool stopping = m_worker.stopRequested();
    if (stopping || m_worker.isPaused() || report.step >= m_info.totalSteps || now - m_lastReport >= kReportInterval)
      flush();
    if (m_worker.isPaused() && !stopping) waitWhilePaused(report.step);
    if (m_worker.stopRequested()) m_trainer.cancel();
  }

  /// Sends the steps not yet reported.
  void flush() {
    if (m_pending.losses.empty()) return;
    m_pending.stepsPerSecond = rate();
    m_pending.etaSeconds =
        m_pending.stepsPerSecond > 0 ? static_cast<double>(m_info.totalSteps - m_pending.step) / m_pending.stepsPerSecond : -1;
    emit m_worker.progress(m_pending);
    TrainingProgress next;
    next.firstStep = m_pending.step + 1;
    next.totalSteps = m_info.totalSteps;
    next.step = m_pending.step;
    m_pending = std::move(next);
    m_lastReport = Clock::now();
  }

  void preview(qint64 step) {
    const auto begin = Clock::now();
    PreviewSettings settings;
    settings.images = m_config.previewImages;
    settings.points = m_config.previewPoints;
    settings.canvas = m_worker.previewCanvas();
    try {
      const QImage image = renderTrainingPreview(m_trainer, settings);
      emit m_worker.previewReady(image, step);
    } catch (const std::exception&) {
      // A preview is a courtesy: a failure (e.g. out of memory) must not stop training.
    }
    const double took = seconds(Clock::now() - begin);
    m_lastPreviewStep = step;
    const double wait = std::max(m_previewEvery, took / kPreviewShare);
    m_nextPreview = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(wait));
    m_rateWindow.clear();  // the rate restarts after the pause the preview made
  }

  qint64 lastPreviewStep() const { return m_lastPreviewStep; }
  qint64 stepsTaken() const { return m_stepsTaken; }
  const QString& lastGood() const { return m_lastGood; }
  void setLastGood(const QString& path) { m_lastGood = path; }
  /// Seconds from the start of the loop to the end of the last step's callback work.
  double trainSeconds() const { return seconds(m_lastStepAt - m_start); }

 private:
  double rate() const {
    if (m_rateWindow.size() >= 2) {
      const double span = seconds(m_rateWindow.back().first - m_rateWindow.front().first);
      if (span > 0) return static_cast<double>(m_rateWindow.back().second - m_rateWindow.front().second) / span;
    }
    return m_fallbackRate;
  }

  void saveAs(const QString& path, qint64 step) {
    try {
      QDir().mkpath(QFileInfo(path).absolutePath());
      // Between steps on the thread that runs the trainer: nothing changes the weights now.
      m_trainer.save(path.toStdString());
      emit m_worker.checkpointSaved(path, step, false);
    } catch (const std::exception& e) {
      emit m_worker.saveFailed(path, QString::fromStdString(e.what()));
    }
  }

  void waitWhilePaused(qint64 step) {
    emit m_worker.pausedChanged(true);
    for (;;) {
      const auto wake = m_worker.waitWhilePaused();
      if (wake != TrainingWorker::Wake::Save) break;
      QString path;
      while (m_worker.takeSaveRequest(&path)) saveAs(path, step);
    }
    emit m_worker.pausedChanged(false);
    m_rateWindow.clear();
    m_lastReport = Clock::now();
  }

  TrainingWorker& m_worker;
  Trainer& m_trainer;
  const TrainingConfig& m_config;
  TrainingStarted m_info;
  QString m_output;
  QString m_lastGood;
  TrainingProgress m_pending;
  Clock::time_point m_start, m_lastReport, m_lastStepAt, m_nextPreview;
  std::deque<std::pair<Clock::time_point, qint64>> m_rateWindow;
  double m_fallbackRate = 0;
  double m_previewEvery = 5;
  qint64 m_lastPreviewStep = -1;
  qint64 m_stepsTaken = 0;
};

TrainingWorker::TrainingWorker(QObject* parent) : QObject(parent) {
  qRegisterMetaType<TrainingConfig>();
  qRegisterMetaType<TrainingStarted>();
  qRegisterMetaType<TrainingProgress>();
  qRegisterMetaType<TrainingOutcome>();
}

TrainingWorker::~TrainingWorker() = default;

void TrainingWorker::prepare() {
  std::lock_guard<std::mutex> lock(m_mutex);
  m_stop = false;
  m_paused = false;
  m_savePath.clear();
}

void TrainingWorker::setPaused(bool paused) {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_paused = paused;
  }
  m_wake.notify_all();
}

void TrainingWorker::requestStop() {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_stop = true;
  }
  m_wake.notify_all();
}

void TrainingWorker::requestSave(const QString& path) {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_savePath = path;
  }
  m_wake.notify_all();
}

bool TrainingWorker::takeSaveRequest(QString* path) {
  std::lock_guard<std::mutex> lock(m_mutex);
  if (m_savePath.isEmpty()) return false;
  *path = std::exchange(m_savePath, QString());
  return true;
}

TrainingWorker::Wake TrainingWorker::waitWhilePaused() {
  std::unique_lock<std::mutex> lock(m_mutex);
  m_wake.wait(lock, [this] { return !m_paused.load() || m_stop.load() || !m_savePath.isEmpty(); });
  if (m_stop.load()) return Wake::Stopped;
  if (!m_savePath.isEmpty()) return Wake::Save;
  return Wake::Resumed;
}

void TrainingWorker::setPreviewCanvas(QSize pixels) {
  m_canvasWidth = std::clamp(pixels.width(), 64, 2048);
  m_canvasHeight = std::clamp(pixels.height(), 64, 2048);
}

QSize TrainingWorker::previewCanvas() const {
  return {m_canvasWidth.load(), m_canvasHeight.load()};
}

void TrainingWorker::run(const TrainingConfig& config) {
  TrainingOutcome outcome;
  outcome.runId = config.runId;
  const QString output = QFileInfo(config.outputPath).absoluteFilePath();
  std::unique_ptr<Trainer> trainer;
  try {
    if (!QDir().mkpath(QFileInfo(output).absolutePath()))
      throw Error("cannot create the folder '" + QFileInfo(output).absolutePath().toStdString() + "'");
    // As `ddpm train` does: a folder that cannot take the checkpoint fails now, not at
    // the first autosave minutes later.
    check_writable(output.toStdString());
    trainer = buildTrainer(config, output);
  } catch (const std::exception& e) {
    outcome.status = TrainingOutcome::Status::Failed;
    outcome.message = tr("Training could not start: %1").arg(QString::fromStdString(e.what()));
    if (config.isContinuation()) outcome.checkpointPath = config.resumePath;
    emit ended(outcome);
    return;
  }

  TrainingStarted info;
  info.firstStep = trainer->step();
  info.totalSteps = config.totalSteps;
  info.autosaveEvery = trainer->options().autosave_every;
  info.parameters = parameter_count(*trainer->model());
  info.dataSize = trainer->dataset().size();
  info.timesteps = static_cast<int>(trainer->diffusion().steps());
  info.pointData = trainer->dataset().kind == DataKind::Points2D;
  info.device = QString::fromStdString(trainer->device().str());
  info.summary = startedSummary(*trainer, info.parameters);
  outcome.step = info.firstStep;
  if (config.isContinuation()) outcome.checkpointPath = config.resumePath;
  if (info.firstStep >= info.totalSteps) {
    outcome.status = TrainingOutcome::Status::Failed;
    outcome.message = tr("The checkpoint is already at step %1: set the steps above %1 to train on.").arg(info.firstStep);
    emit ended(outcome);
    return;
  }

  const int previousThreads = torch::get_num_threads();
  info.threads = configure_torch_threads(config.threads > 0 ? config.threads
                                                            : recommended_threads(trainer->ema_model()->config()));
  emit started(info);

  TrainingRun run(*this, *trainer, config, info, output);
  if (config.isContinuation()) run.setLastGood(config.resumePath);
  const TrainResult result =
      trainer->run(info.totalSteps - info.firstStep, [&run](const TrainStepReport& report) { run.onStep(report); });
  run.flush();
  outcome.step = result.step;
  outcome.stepsTaken = result.step - info.firstStep;
  outcome.trainSeconds = run.trainSeconds();
  outcome.message = QString::fromStdString(result.message);
  switch (result.status) {
    case TrainStatus::Finished:
      outcome.status = TrainingOutcome::Status::Finished;
      outcome.checkpointPath = output;
      break;
    case TrainStatus::Cancelled:
      outcome.status = TrainingOutcome::Status::Stopped;
      outcome.checkpointPath = output;
      break;
    case TrainStatus::Failed:
      outcome.status = TrainingOutcome::Status::Failed;
      outcome.checkpointPath = run.lastGood();
      break;
  }
  // A last picture of what was saved, unless the run failed or one was just drawn.
  if (outcome.status != TrainingOutcome::Status::Failed && config.previewSeconds > 0 &&
      run.lastPreviewStep() != result.step)
    run.preview(result.step);
  configure_torch_threads(previousThreads);
  emit ended(outcome);
}

}  // namespace ddpm::ui
