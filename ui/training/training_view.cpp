#include "ui/training/training_view.h"

#include "ui/training/objective_text.h"

#include "ui/shared/save_dialog.h"
#include "ui/shared/maths_format.h"
#include "ui/shared/png_export.h"
#include "ui/shared/schedule_model.h"
#include "ui/shared/studio_style.h"
#include "ui/training/loss_heatmap_data.h"
#include "ui/training/loss_history.h"
#include "ui/training/training_config.h"
#include "ui/training/training_form.h"
#include "ui/training/training_preview.h"
#include "ui/training/training_report.h"
#include "ui/training/training_session.h"
#include "ui/training/training_worker.h"
#include "ui/shared/image_panel.h"
#include "ui/training/loss_by_t_plot.h"
#include "ui/training/loss_heatmap.h"
#include "ui/training/loss_plot.h"
#include "ui/shared/media_icons.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QElapsedTimer>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QScrollArea>
#include <QSettings>
#include <QTabWidget>
#include <QStyle>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ddpm::ui {

namespace {

// Plots are redrawn at most this often while a run reports (STYLE.md: a buffer drained
// by a timer, never a replot per step): smooth to the eye, and a GUI thread that stays
// mostly idle, so the training thread keeps the CPU (see bench/training_view_bench.sh).
constexpr int kRedrawMs = 200;

QString duration(double seconds) {
  if (!(seconds >= 0) || !std::isfinite(seconds)) return QStringLiteral("?");
  const auto s = static_cast<qint64>(std::llround(seconds));
  if (s >= 3600) return QStringLiteral("%1:%2:%3").arg(s / 3600).arg((s / 60) % 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'));
  return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QString rateText(double perSecond) {
  const int decimals = perSecond >= 100 ? 0 : perSecond >= 10 ? 1 : 2;
  return QLocale().toString(perSecond, 'f', decimals);
}

QPixmap drawTrainingIcon(int side) {
  QPixmap pixmap(side, side);
  pixmap.fill(Qt::transparent);
  QPainter p(&pixmap);
  p.setRenderHint(QPainter::Antialiasing);
  const double s = side / 48.0;
  QPainterPath loss;
  for (int i = 0; i <= 40; ++i) {
    const double x = 6 + i * 0.9;
    const double wiggle = (i % 3 == 1 ? 2.2 : i % 3 == 2 ? -1.4 : 0) * std::exp(-i / 25.0);
    const QPointF at(x * s, (10 + 28 * (1 - std::exp(-i / 9.0)) + wiggle) * s);
    i == 0 ? loss.moveTo(at) : loss.lineTo(at);
  }
  p.setPen(QPen(QColor(0x56, 0xb4, 0xe9), 3.2 * s, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
  // Drawn upside down: a loss that falls from the top left to a floor on the right.
  p.translate(0, side);
  p.scale(1, -1);
  p.drawPath(loss);
  p.resetTransform();
  p.setPen(QPen(QColor(0xe5, 0xe9, 0xf0), 2 * s, Qt::SolidLine, Qt::RoundCap));
  p.drawLine(QPointF(5 * s, 43 * s), QPointF(44 * s, 43 * s));
  p.drawLine(QPointF(5 * s, 5 * s), QPointF(5 * s, 43 * s));
  p.setPen(Qt::NoPen);
  p.setBrush(QColor(0xe6, 0x9f, 0x00));
  p.drawEllipse(QPointF(38 * s, 12 * s), 4.5 * s, 4.5 * s);
  return pixmap;
}

}  // namespace

TrainingView::TrainingView(ScheduleModel* schedule, TimestepCursor* cursor, QWidget* parent)
    : StudioView(schedule, cursor, parent),
      m_form(new TrainingForm(schedule, this)),
      m_session(new TrainingSession(this)),
      m_history(std::make_unique<LossHistory>()),
      m_lossPlot(new LossPlot(this)),
      m_lossByT(new LossByTPlot(this)),
      m_heatmapData(std::make_unique<LossHeatmapData>()),
      m_lossHeatmap(new LossHeatmap(this)),
      m_lossByTTabs(new QTabWidget(this)),
      m_preview(new ImagePanel(tr("Samples from the EMA weights"), this)),
      m_progress(new QProgressBar(this)),
      m_status(new QLabel(this)),
      m_message(new QLabel(this)),
      m_start(new QPushButton(tr("Start"), this)),
      m_pause(new QPushButton(tr("Pause"), this)),
      m_stop(new QPushButton(tr("Stop"), this)),
      m_saveAs(new QPushButton(tr("Save checkpoint as…"), this)),
      m_continue(new QPushButton(tr("Continue a checkpoint…"), this)),
      m_newRun(new QPushButton(tr("New run"), this)),
      m_logScale(new QCheckBox(tr("Log scale"), this)),
      m_results(new QWidget(this)),
      m_redraw(new QTimer(this)) {
  setUpControls();
  layOut();
  connectSignals();
  connect(schedule, &ScheduleModel::scheduleChanged, this, &TrainingView::formulaChanged);

  setStatus(tr("Choose the data and the model, then Start."));
  updateButtons();
}

void TrainingView::setUpControls() {
  m_start->setObjectName(QStringLiteral("trainingStart"));
  m_start->setIcon(playPauseIcon(this, false));
  m_start->setToolTip(tr("Train with these settings (or continue the checkpoint named above)"));
  m_pause->setObjectName(QStringLiteral("trainingPause"));
  m_pause->setIcon(playPauseIcon(this, true));
  m_pause->setToolTip(tr("Pause between steps; Resume goes on exactly where it paused"));
  m_stop->setObjectName(QStringLiteral("trainingStop"));
  m_stop->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
  m_stop->setToolTip(tr("Stop after the current step and save the checkpoint (Continue goes on from it)"));
  m_saveAs->setToolTip(tr("Save the model as it is now to another .safetensors file"));
  m_continue->setToolTip(tr("Continue the run saved in a checkpoint: same data, model, schedule and random stream"));
  m_newRun->setToolTip(tr("Forget the checkpoint to continue and set up a new run"));
  m_logScale->setToolTip(tr("Logarithmic loss axis"));
  m_progress->setObjectName(QStringLiteral("trainingProgress"));
  m_progress->setRange(0, 1);
  m_progress->setValue(0);
  m_status->setObjectName(QStringLiteral("trainingStatus"));
  m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_message->setWordWrap(true);
  m_message->setVisible(false);
  m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_preview->setPlaceholder(tr("Samples appear here every few seconds while training"));
  m_redraw->setSingleShot(true);
  m_redraw->setInterval(kRedrawMs);
}

void TrainingView::layOut() {
  // Left: the settings and the run's buttons.
  auto* settings = new QGroupBox(tr("Run"), this);
  (new QVBoxLayout(settings))->addWidget(m_form);
  auto* runButtons = new QHBoxLayout;
  runButtons->addWidget(m_start);
  runButtons->addWidget(m_pause);
  runButtons->addWidget(m_stop);
  auto* fileButtons = new QHBoxLayout;
  fileButtons->addWidget(m_continue);
  fileButtons->addWidget(m_newRun);
  auto* side = new QWidget(this);
  auto* sideLayout = new QVBoxLayout(side);
  sideLayout->setContentsMargins(10, 10, 10, 10);
  sideLayout->setSpacing(8);
  sideLayout->addWidget(settings);
  sideLayout->addLayout(runButtons);
  sideLayout->addWidget(m_saveAs);
  sideLayout->addLayout(fileButtons);
  sideLayout->addStretch(1);
  QScrollArea* scroll = sideScrollArea(side, 480, this);

  // Right: progress, then the plots and the preview.
  auto* lossHeader = new QHBoxLayout;
  lossHeader->addStretch(1);
  lossHeader->addWidget(m_logScale);
  auto* lower = new QHBoxLayout;
  lower->setSpacing(8);
  m_lossByTTabs->setObjectName(QStringLiteral("lossByTTabs"));
  m_lossByTTabs->setDocumentMode(true);
  m_lossByTTabs->addTab(m_lossByT, tr("Loss against t"));
  m_lossByTTabs->addTab(m_lossHeatmap, tr("…and training step"));
  m_lossByTTabs->setTabToolTip(1, tr("A heatmap: how the loss at each t falls as training goes on"));
  lower->addWidget(m_lossByTTabs, 1);
  lower->addWidget(m_preview, 1);
  auto* results = new QVBoxLayout(m_results);
  results->setContentsMargins(0, 0, 0, 0);
  results->setSpacing(4);
  results->addWidget(m_progress);
  results->addWidget(m_status);
  results->addWidget(m_message);
  results->addLayout(lossHeader);
  results->addWidget(m_lossPlot, 3);
  results->addLayout(lower, 3);
  auto* right = new QVBoxLayout;
  right->setContentsMargins(4, 10, 10, 8);
  right->addWidget(m_results);
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(0);
  layout->addWidget(scroll);
  layout->addLayout(right, 1);
}

void TrainingView::connectSignals() {
  TrainingWorker* worker = m_session->worker();
  connect(worker, &TrainingWorker::started, this, &TrainingView::onStarted);
  connect(worker, &TrainingWorker::progress, this, &TrainingView::onProgress);
  connect(worker, &TrainingWorker::previewReady, this, &TrainingView::onPreview);
  connect(worker, &TrainingWorker::checkpointSaved, this, &TrainingView::onCheckpointSaved);
  connect(worker, &TrainingWorker::saveFailed, this, [this](const QString& path, const QString& message) {
    emit errorReported(tr("Checkpoint not saved"), tr("Could not save '%1': %2").arg(path, message));
  });
  connect(worker, &TrainingWorker::pausedChanged, this, [this](bool paused) {
    if (paused) setStatus(tr("Paused at step %1 of %2").arg(QLocale().toString(m_step), QLocale().toString(m_totalSteps)));
    updateButtons();
  });
  connect(worker, &TrainingWorker::ended, this, &TrainingView::onEnded);
  connect(m_session, &TrainingSession::runningChanged, this, [this](bool running) {
    updateButtons();
    emit runningChanged(running);
  });
  connect(m_redraw, &QTimer::timeout, this, &TrainingView::redraw);
  connect(m_lossHeatmap, &LossHeatmap::settingsChanged, this, [this] { m_lossHeatmap->refresh(*m_heatmapData); });
  connect(m_start, &QPushButton::clicked, this, &TrainingView::start);
  connect(m_pause, &QPushButton::clicked, this, [this] { isPaused() ? resume() : pause(); });
  connect(m_stop, &QPushButton::clicked, this, &TrainingView::stop);
  connect(m_saveAs, &QPushButton::clicked, this, &TrainingView::saveAsInteractive);
  connect(m_continue, &QPushButton::clicked, this, &TrainingView::continueInteractive);
  connect(m_newRun, &QPushButton::clicked, this, &TrainingView::newRun);
  connect(m_logScale, &QCheckBox::toggled, m_lossPlot, &LossPlot::setLogScale);
  connect(m_preview, &ImagePanel::canvasResized, m_session, &TrainingSession::setPreviewCanvas);
  connect(m_form, &TrainingForm::changed, this, &TrainingView::updateButtons);
  connect(m_form, &TrainingForm::changed, this, &TrainingView::showObjective);
  connect(m_form, &TrainingForm::editScheduleRequested, this, &TrainingView::editScheduleRequested);
}

TrainingView::~TrainingView() {
  // Explicit shutdown while this object is whole: no report reaches a half-destroyed view.
  m_session->worker()->disconnect(this);
  m_session->stopAndWait();
}

QIcon TrainingView::icon() const {
  QIcon icon;
  for (int side : {16, 24, 32, 48, 64, 96}) icon.addPixmap(drawTrainingIcon(side));
  return icon;
}

bool TrainingView::isTraining() const {
  return m_session->isRunning();
}

bool TrainingView::isPaused() const {
  return m_session->isRunning() && m_session->isPaused();
}

bool TrainingView::start() {
  if (m_session->isRunning()) return false;
  m_form->claimOutputPath();
  TrainingConfig config;
  QStringList problems;
  if (!m_form->readConfig(&config, &problems)) {
    const QString text = problems.join(QLatin1Char('\n'));
    setStatus(text, QStringLiteral("error"));
    emit errorReported(tr("Training cannot start"), text);
    return false;
  }
  m_message->setVisible(false);
  m_form->setEditable(false);
  m_session->start(config);
  setStatus(tr("Loading the data and building the model…"));
  updateButtons();
  return true;
}

void TrainingView::pause() {
  if (!m_session->isRunning()) return;
  m_session->setPaused(true);
  setStatus(tr("Pausing after the current step…"));
  updateButtons();
}

void TrainingView::resume() {
  if (!m_session->isRunning()) return;
  m_session->setPaused(false);
  setStatus(tr("Training…"));
  updateButtons();
}

void TrainingView::stop() {
  if (!m_session->isRunning()) return;
  m_session->stop();
  setStatus(tr("Stopping after the current step and saving…"));
  m_stop->setEnabled(false);
}

bool TrainingView::stopAndWait(int timeoutMs) {
  return m_session->stopAndWait(timeoutMs);
}

bool TrainingView::continueFrom(const QString& path) {
  if (m_session->isRunning()) return false;
  QString error;
  if (!m_form->setResumeCheckpoint(path, &error)) {
    emit errorReported(tr("Cannot continue this checkpoint"), error);
    return false;
  }
  setStatus(tr("Start continues %1 from step %2.").arg(QFileInfo(path).fileName()).arg(m_form->resumeStep()));
  updateButtons();
  return true;
}

void TrainingView::newRun() {
  if (m_session->isRunning()) return;
  m_form->clearResume();
  updateButtons();
}

void TrainingView::prepareRetrain(const QString& dataSpec, const QString& preset) {
  if (m_session->isRunning()) {
    emit statusMessage(tr("A run is going on: stop it before retraining"));
    return;
  }
  m_form->clearResume();
  if (!dataSpec.isEmpty()) m_form->setDataSpec(dataSpec);
  if (!preset.isEmpty()) m_form->setModel(preset);
  setStatus(tr("Ready to retrain with %1: press Start.").arg(m_schedule->describe()));
  updateButtons();
  emit formulaChanged();
}

void TrainingView::onStarted(const TrainingStarted& info) {
  m_firstStep = info.firstStep;
  m_totalSteps = info.totalSteps;
  m_step = info.firstStep;
  m_pointData = info.pointData;
  m_summary = info.summary;
  m_stepsPerSecond = 0;
  m_eta = -1;
  // The smoothed line averages over about 1% of the run (5 to 100 steps), so it follows
  // a short run closely and still calms a long one.
  const double window = std::clamp<double>((info.totalSteps - info.firstStep) / 100.0, 5.0, 100.0);
  m_history->setSmoothing(1.0 - 1.0 / window);
  m_history->reset(info.timesteps);
  m_lossPlot->clear();
  m_lossByT->clear(info.timesteps);
  m_heatmapData->reset(info.timesteps, info.firstStep);
  m_lossHeatmap->clear(info.timesteps);
  m_progress->setRange(0, static_cast<int>(std::min<qint64>(info.totalSteps, 1'000'000'000)));
  m_progress->setValue(static_cast<int>(info.firstStep));
  setStatus(tr("Training %1 · %2 thread(s)").arg(info.summary).arg(info.threads));
  emit statusMessage(tr("Training %1").arg(info.summary));
  emit trainingStarted();
  updateButtons();
}

void TrainingView::onProgress(const TrainingProgress& report) {
  m_history->appendSteps(report.firstStep, report.losses);
  m_history->addSamples(report.t, report.sampleLoss);
  m_heatmapData->addReport(report.firstStep, static_cast<qint64>(report.losses.size()), report.t, report.sampleLoss);
  m_step = report.step;
  m_stepsPerSecond = report.stepsPerSecond;
  m_eta = report.etaSeconds;
  m_learningRate = report.learningRate;
  if (!report.losses.empty()) m_lastLoss = report.losses.back();
  if (!m_redraw->isActive()) m_redraw->start();
  emit progressed(report.step);
}

void TrainingView::redraw() {
  m_lossPlot->refresh(*m_history);
  m_lossByT->refresh(*m_history);
  m_lossHeatmap->refresh(*m_heatmapData);
  m_progress->setValue(static_cast<int>(std::min<qint64>(m_step, m_progress->maximum())));
  // The header and the formula panel show one snapshot (step, losses), refreshed together
  // once a second: the panel's rich text costs more to lay out than the plots.
  if (!m_session->isRunning() || !m_formulaClock.isValid() || m_formulaClock.elapsed() >= 1000) {
    m_formulaClock.start();
    if (m_session->isRunning() && !m_session->isPaused()) setStatus(statusText());
    emit formulaChanged();
  }
}

QString TrainingView::statusText() const {
  const QLocale locale;
  QString text = tr("Step %1 of %2").arg(locale.toString(m_step), locale.toString(m_totalSteps));
  if (m_stepsPerSecond > 0) text += tr(" · %1 it/s").arg(rateText(m_stepsPerSecond));
  if (m_session->isRunning() && m_eta >= 0) text += tr(" · ETA %1").arg(duration(m_eta));
  if (m_history->size() > 0)
    text += tr(" · loss %1 (smoothed %2)").arg(formatNumber(m_lastLoss, 3), formatNumber(m_history->lastSmoothed(), 3));
  return text;
}

void TrainingView::onPreview(const QImage& image, qint64 step) {
  m_preview->setImage(image, !m_pointData);
  m_preview->setTitle(m_pointData ? tr("Samples (blue) · data (orange)") : tr("Samples from the EMA weights"));
  const PreviewSettings drawn;  // what the worker used
  m_preview->setCaption(tr("after step %1 · DDIM, %2 steps, η = 0")
                            .arg(QLocale().toString(step))
                            .arg(m_pointData ? drawn.ddimSteps : drawn.imageDdimSteps));
}

void TrainingView::onCheckpointSaved(const QString& path, qint64 step, bool autosave) {
  if (autosave) {
    emit statusMessage(tr("Autosaved step %1 to %2").arg(step).arg(QFileInfo(path).fileName()));
    return;
  }
  emit statusMessage(tr("Saved step %1 to %2").arg(step).arg(path));
  emit checkpointReady(path);
}

void TrainingView::onEnded(const TrainingOutcome& outcome) {
  if (outcome.runId != m_session->currentRunId()) return;  // a run already waited for
  m_redraw->stop();
  redraw();
  m_form->setEditable(true);
  const QLocale locale;
  const QString file = QFileInfo(outcome.checkpointPath).fileName();
  switch (outcome.status) {
    case TrainingOutcome::Status::Finished:
      m_lastCheckpoint = outcome.checkpointPath;
      m_form->clearResume();
      setStatus(tr("Finished: %1 steps in all, %2 it/s; saved %3. It is now the window's model.")
                    .arg(locale.toString(outcome.step),
                         rateText(outcome.trainSeconds > 0 ? outcome.stepsTaken / outcome.trainSeconds : 0), file),
                QStringLiteral("ok"));
      m_message->setVisible(false);
      emit checkpointReady(outcome.checkpointPath);
      break;
    case TrainingOutcome::Status::Stopped:
      m_lastCheckpoint = outcome.checkpointPath;
      m_form->setResumeCheckpoint(outcome.checkpointPath, nullptr);
      m_form->setTotalSteps(m_totalSteps);
      setStatus(tr("Stopped at step %1; saved %2. Continue goes on from there.").arg(locale.toString(outcome.step), file),
                QStringLiteral("ok"));
      emit checkpointReady(outcome.checkpointPath);
      break;
    case TrainingOutcome::Status::Failed: {
      QString text = outcome.message;
      if (!outcome.checkpointPath.isEmpty() && QFileInfo::exists(outcome.checkpointPath)) {
        m_lastCheckpoint = outcome.checkpointPath;
        if (!text.contains(outcome.checkpointPath))
          text += tr("\nThe last good checkpoint is kept: %1").arg(outcome.checkpointPath);
      }
      setStatus(tr("Training stopped at step %1.").arg(locale.toString(outcome.step)));
      m_message->setText(text);
      setMessageKind(m_message, QStringLiteral("error"));
      m_message->setVisible(true);
      emit errorReported(tr("Training stopped"), text);
      break;
    }
  }
  updateButtons();
  emit trainingEnded(outcome);
}

void TrainingView::setStatus(const QString& text, const QString& kind) {
  m_status->setText(text);
  setMessageKind(m_status, kind);
}

void TrainingView::updateButtons() {
  const bool running = m_session->isRunning();
  const bool paused = running && m_session->isPaused();
  const bool continuing = !m_form->resumePath().isEmpty();
  m_start->setEnabled(!running);
  m_start->setText(continuing ? tr("Continue") : tr("Start"));
  m_pause->setEnabled(running);
  m_pause->setText(paused ? tr("Resume") : tr("Pause"));
  m_pause->setIcon(playPauseIcon(this, !paused));
  m_stop->setEnabled(running && !m_session->worker()->stopRequested());
  m_saveAs->setEnabled(running || !m_lastCheckpoint.isEmpty());
  m_continue->setEnabled(!running);
  m_newRun->setEnabled(!running);
  m_newRun->setVisible(continuing);
}

void TrainingView::saveCheckpointAs(const QString& path) {
  if (m_session->isRunning()) {
    m_session->requestSave(path);
    emit statusMessage(tr("Saving to %1 after the current step…").arg(path));
    return;
  }
  if (m_lastCheckpoint.isEmpty()) {
    emit errorReported(tr("Checkpoint not saved"), tr("There is nothing to save yet: train a model first."));
    return;
  }
  if (QFileInfo(path).absoluteFilePath() == QFileInfo(m_lastCheckpoint).absoluteFilePath()) return;
  QFile source(m_lastCheckpoint);
  QSaveFile target(path);  // atomic: the old file or the whole new one
  if (!source.open(QIODevice::ReadOnly) || !target.open(QIODevice::WriteOnly) ||
      target.write(source.readAll()) != source.size() || !target.commit()) {
    emit errorReported(tr("Checkpoint not saved"),
                       tr("Could not copy '%1' to '%2': %3")
                           .arg(m_lastCheckpoint, path, source.error() != QFile::NoError ? source.errorString() : target.errorString()));
    return;
  }
  emit statusMessage(tr("Saved %1").arg(path));
  emit checkpointReady(path);
}

void TrainingView::saveAsInteractive() {
  const QString path = askSavePath(this, tr("Save checkpoint as"), m_form->outputPath(), SavedFile::Checkpoint);
  if (path.isEmpty()) return;
  saveCheckpointAs(path);
}

void TrainingView::continueInteractive() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Continue a checkpoint"), QFileInfo(m_form->outputPath()).path(),
                                                    tr("DDPM Studio checkpoints (*.safetensors);;All files (*)"));
  if (!path.isEmpty()) continueFrom(path);
}

ObjectiveText TrainingView::currentObjectiveText() const {
  return objectiveText(m_form->objectiveBox()->currentData().toString(), m_form->lossBox()->currentData().toString());
}

void TrainingView::showObjective() {
  const ObjectiveText text = currentObjectiveText();
  m_lossPlot->setTitleText(text.plotTitle);
  m_lossByT->plot()->yAxis->setLabel(text.perTLabel);
  m_lossByT->plot()->replot(QCustomPlot::rpQueuedReplot);
  m_lossHeatmap->colorScale()->axis()->setLabel(text.perTLabel);
  emit formulaChanged();
}

QString TrainingView::formulaHtml() const {
  const QLocale locale;
  QString html;
  html += QStringLiteral("<div style='font-size:large'><b>%1</b> <span style='color:%2'>%3</span></div>")
              .arg(tr("Training ε<sub>θ</sub> (Algorithm 1)"), colours::kMutedText.name(),
                   tr("· t ~ Uniform{1, …, T}, ε ~ N(0, I), one Adam step per batch"));
  html += QStringLiteral("<div style='font-size:large; margin-top:6px'>%1</div>").arg(currentObjectiveText().formulaHtml);
  if (m_history->size() > 0) {
    html += QStringLiteral("<div style='font-size:large; margin-top:4px'>%1</div>")
                .arg(tr("step <b>%1</b> of %2 · batch loss <b>%3</b> · smoothed <b>%4</b> · lr %5 · %6")
                         .arg(locale.toString(m_step), locale.toString(m_totalSteps), formatNumber(m_lastLoss, 4),
                              formatNumber(m_history->lastSmoothed(), 4), formatNumber(m_learningRate, 3),
                              m_summary.toHtmlEscaped()));
  } else {
    html += QStringLiteral("<div style='color:%1; margin-top:4px'>%2</div>")
                .arg(colours::kMutedText.name(),
                     tr("Schedule: %1. Even the best ε_θ keeps some loss, since x_t does not determine ε; it is largest "
                        "at small t, where the noise is a faint residue on the data.")
                         .arg(m_schedule->describe().toHtmlEscaped()));
  }
  return html;
}

bool TrainingView::exportImage(const QString& path, QString* error) {
  // Drawn at a fixed size, whatever the window's: the loss on top, loss against t and
  // the latest preview below.
  redraw();
  const int width = 1200, top = 420, bottom = 380, plotWidth = 720;
  QImage picture(width, top + bottom, QImage::Format_RGB32);
  picture.fill(Qt::white);
  QPainter painter(&picture);
  painter.drawPixmap(0, 0, m_lossPlot->plot()->toPixmap(width, top));
  painter.drawPixmap(0, top, m_lossByT->plot()->toPixmap(plotWidth, bottom));
  const QPixmap preview = m_preview->grab();
  if (!preview.isNull()) {
    const QSize room(width - plotWidth - 20, bottom - 10);
    const QPixmap scaled = preview.scaled(room, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    painter.drawPixmap(plotWidth + 10 + (room.width() - scaled.width()) / 2, top + 5, scaled);
  }
  painter.end();
  return writePng(picture, path, error);
}

void TrainingView::saveState(QSettings& settings) const {
  m_form->saveState(settings);
  settings.setValue(QStringLiteral("trainingView/logScale"), m_logScale->isChecked());
  settings.setValue(QStringLiteral("trainingView/lossByTTab"), m_lossByTTabs->currentIndex());
  settings.setValue(QStringLiteral("trainingView/heatmapBins"), m_lossHeatmap->bins());
  settings.setValue(QStringLiteral("trainingView/heatmapLogColour"), m_lossHeatmap->logColour());
}

void TrainingView::restoreState(QSettings& settings) {
  m_form->restoreState(settings);
  m_logScale->setChecked(settings.value(QStringLiteral("trainingView/logScale"), false).toBool());
  m_lossByTTabs->setCurrentIndex(settings.value(QStringLiteral("trainingView/lossByTTab"), 0).toInt());
  m_lossHeatmap->setBins(settings.value(QStringLiteral("trainingView/heatmapBins"), 50).toInt());
  m_lossHeatmap->setLogColour(settings.value(QStringLiteral("trainingView/heatmapLogColour"), true).toBool());
  updateButtons();
}

}  // namespace ddpm::ui
