#include "ui/sampling/sampling_view.h"

#include "core/checkpoint/checkpoint.h"

#include "ui/sampling/eps_field.h"
#include "ui/sampling/exploration_panel.h"
#include "ui/sampling/model_line.h"
#include "ui/sampling/run_progress.h"
#include "ui/sampling/sample_grid_panel.h"
#include "ui/sampling/sampling_form.h"
#include "ui/sampling/sampling_formula.h"
#include "ui/sampling/sampling_session.h"
#include "ui/sampling/trajectory_gif.h"
#include "ui/sampling/trajectory_pictures.h"
#include "ui/sampling/trajectory_render.h"
#include "ui/sampling/trajectory_store.h"
#include "ui/shared/current_model.h"
#include "ui/shared/frame_render.h"
#include "ui/shared/image_panel.h"
#include "ui/shared/message_line.h"
#include "ui/shared/png_export.h"
#include "ui/shared/save_dialog.h"
#include "ui/shared/studio_icons.h"
#include "ui/shared/trajectory_player.h"
#include "ui/shared/trajectory_player_bar.h"
#include "ui/window/studio_options.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QPushButton>
#include <QSettings>
#include <QShowEvent>
#include <QVBoxLayout>

#include <algorithm>

namespace ddpm::ui {

namespace {

constexpr int kDefaultSpeed = 100;
constexpr int kPlayTickMs = 30;
constexpr int kExportPanelSide = 360;

}  // namespace

SamplingView::SamplingView(ScheduleModel* schedule, TimestepCursor* cursor, CurrentModel* model, QWidget* parent)
    : StudioView(schedule, cursor, parent),
      m_model(model),
      m_session(new SamplingSession(this)),
      m_player(new TrajectoryPlayer(kPlayTickMs, this)),
      m_modelLine(new ModelLine(this)),
      m_message(new MessageLine(this)),
      m_form(new SamplingForm(this)),
      m_progress(new RunProgress(this)),
      m_xtPanel(new ImagePanel(tr("Sample xₜ"), this)),
      m_x0Panel(new ImagePanel(tr("Predicted x̂₀"), this)),
      m_pictures(m_xtPanel, m_x0Panel),
      m_bar(new TrajectoryPlayerBar(m_player,
                                    TrajectoryPlayerBar::StepButtons | TrajectoryPlayerBar::FrameLabel |
                                        TrajectoryPlayerBar::SpeedBox | TrajectoryPlayerBar::FlatButtons,
                                    this)),
      m_exportPng(new QPushButton(tr("Frame as PNG…"), this)),
      m_exportGif(new QPushButton(tr("Trajectory as GIF…"), this)),
      m_explore(new ExplorationPanel(model, m_session, m_form, this)) {
  setAcceptDrops(false);  // drops go to the window, which opens checkpoints
  setFocusPolicy(Qt::StrongFocus);
  build();
  layOut();
  connectParts();
  onModelChanged();
}

void SamplingView::build() {
  // Clicking a button leaves the focus where it was, so Space keeps playing and pausing.
  for (QPushButton* b : {m_exportPng, m_exportGif}) b->setFocusPolicy(Qt::TabFocus);
  m_bar->scrubber()->setObjectName(QStringLiteral("samplingScrubber"));
  m_bar->scrubber()->setToolTip(
      tr("Scrub through the recorded steps: left is x_T (noise), right is x₀ (the sample)"));
  m_bar->reserveFrameText(QStringLiteral("step 1000 / 1000 · t = 999 · σ = 0.0000"));
  m_bar->setSpeeds(std::vector<int>(std::begin(kSpeeds), std::end(kSpeeds)), kDefaultSpeed);
  m_exportPng->setToolTip(tr("Save the frame shown (xₜ and x̂₀) as a PNG picture"));
  m_exportGif->setToolTip(tr("Save the whole trajectory as an animated GIF"));
}

void SamplingView::layOut() {
  auto* messageRow = new QHBoxLayout;
  messageRow->setContentsMargins(12, 0, 12, 0);
  messageRow->addWidget(m_message);

  auto* panels = new QHBoxLayout;
  panels->setContentsMargins(8, 4, 8, 0);
  panels->setSpacing(8);
  panels->addWidget(m_xtPanel, 1);
  panels->addWidget(m_x0Panel, 1);
  panels->addWidget(m_explore->gridPanel(), 2);

  QHBoxLayout* playRow = m_bar->row();
  playRow->setContentsMargins(12, 2, 12, 2);
  playRow->setSpacing(6);
  playRow->addSpacing(8);
  playRow->addWidget(m_exportPng);
  playRow->addWidget(m_exportGif);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(4);
  layout->addWidget(m_modelLine);
  layout->addWidget(m_form);
  layout->addWidget(m_progress);
  layout->addLayout(messageRow);
  layout->addLayout(panels, 1);
  layout->addWidget(m_bar);
  layout->addWidget(m_explore);
}

void SamplingView::connectParts() {
  connect(m_model, &CurrentModel::changed, this, &SamplingView::onModelChanged);
  connect(m_modelLine, &ModelLine::openRequested, this, &SamplingView::openCheckpointRequested);
  connect(m_form, &SamplingForm::sampleRequested, this, &SamplingView::startSampling);
  connect(m_form, &SamplingForm::stopRequested, this, &SamplingView::stopSampling);
  connect(m_player, &TrajectoryPlayer::frameChanged, this, [this](int k) {
    showCurrentFrame();
    emit frameChanged(k);
  });
  connect(m_player, &TrajectoryPlayer::playingChanged, this, &SamplingView::updateControls);
  connect(m_exportPng, &QPushButton::clicked, this, &SamplingView::exportPngInteractive);
  connect(m_exportGif, &QPushButton::clicked, this, &SamplingView::exportGifInteractive);
  connect(m_xtPanel, &ImagePanel::canvasResized, this, [this] {
    if (store().layout().isPoints()) renderFrame();
  });

  connect(m_session, &SamplingSession::started, this, &SamplingView::onRunStarted);
  connect(m_session, &SamplingSession::framesAdded, this, &SamplingView::onFramesAdded);
  connect(m_session, &SamplingSession::finished, this, &SamplingView::onRunFinished);
  connect(m_session, &SamplingSession::failed, this, &SamplingView::onRunFailed);

  connect(m_explore, &ExplorationPanel::messageRequested, this, &SamplingView::showMessage);
  connect(m_explore, &ExplorationPanel::pauseRequested, this, &SamplingView::pause);
  connect(m_explore, &ExplorationPanel::fieldToggled, this, &SamplingView::renderFrame);
  connect(m_explore, &ExplorationPanel::explorationEnded, this, &SamplingView::explorationEnded);
}

SamplingView::~SamplingView() = default;

QIcon SamplingView::icon() const {
  return samplingViewIcon();
}

bool SamplingView::event(QEvent* event) {
  const bool shortcut = event->type() == QEvent::ShortcutOverride;  // (also sent while the parts are built)
  if (shortcut && !store().isEmpty() && TrajectoryPlayer::claimShortcut(event)) return true;
  return StudioView::event(event);
}

void SamplingView::keyPressEvent(QKeyEvent* event) {
  if (store().isEmpty() || !m_player->handleKey(event)) {
    StudioView::keyPressEvent(event);
    return;
  }
  event->accept();
}

void SamplingView::showEvent(QShowEvent* event) {
  StudioView::showEvent(event);
  if (store().isEmpty()) renderFrame();
  if (!isAncestorOf(QApplication::focusWidget())) setFocus(Qt::OtherFocusReason);
}

const TrajectoryStore& SamplingView::store() const {
  return m_session->store();
}

bool SamplingView::isSampling() const {
  return m_session->isRunning();
}

QString SamplingView::message() const {
  return m_message->message();
}

QString SamplingView::modelText() const {
  return m_modelLine->plainText();
}

void SamplingView::showMessage(const QString& text, bool error) {
  m_message->showMessage(text, error);
}

void SamplingView::onModelChanged() {
  if (m_model->isLoaded()) {
    const CheckpointData& d = m_model->data();
    const int T = static_cast<int>(std::max<std::int64_t>(1, d.schedule.timesteps()));
    m_form->fitModel(T, d.sample_shape);
    m_form->fitClasses(class_names_of(d));
  }
  m_form->fitClassifiers(m_model->isLoaded() ? std::make_shared<const CheckpointData>(m_model->data()) : nullptr);
  m_modelLine->describe(*m_model, m_trajectoryModel);
  m_explore->fitModel(m_form->imagesModel());  // what can be reconstructed depends on what the model makes
  updateControls();
  if (store().isEmpty()) renderFrame();  // the hint in the empty panel follows the model
}

void SamplingView::updateControls() {
  m_form->setRunState(m_model->isLoaded(), m_session->isRunning());
  const bool any = !store().isEmpty();
  m_exportPng->setEnabled(any);
  m_exportGif->setEnabled(any);
  m_bar->setControlsEnabled(any);
  m_explore->updateControls();
}

QString SamplingView::applyOptions(const StudioOptions& options) {
  if (QString error = m_form->applyOptions(options); !error.isEmpty()) return error;
  updateControls();
  if (options.frame) m_frameAfterRun = *options.frame;
  if (options.sample && !startSampling()) return message();
  return {};
}

SamplingSettings SamplingView::settings() const {
  return m_form->settings();
}

void SamplingView::setSettings(const SamplingSettings& s) {
  m_form->setSettings(s);
  updateControls();
}

bool SamplingView::startSampling() {
  if (!m_model->isLoaded()) {
    showMessage(tr("There is no model to sample from: open a checkpoint or train one first."), true);
    return false;
  }
  showMessage(QString(), false);
  // A shallow copy: the tensors are shared read-only with the worker, so a model the
  // window replaces later cannot change a run in progress.
  auto checkpoint = std::make_shared<const CheckpointData>(m_model->data());
  m_explore->setTrunk(checkpoint);
  m_trajectoryModel = m_model->summary() + m_model->path();
  m_colours.clear();
  m_player->rewind();
  m_explore->setFrame(0);
  m_session->start(std::move(checkpoint), settings());
  m_player->setCount(0);  // the store starts again empty
  m_player->setLive(true);
  m_progress->showLoading();
  m_modelLine->describe(*m_model, m_trajectoryModel);
  renderFrame();
  updateControls();
  return true;
}

void SamplingView::stopSampling() {
  m_session->cancel();
}

void SamplingView::onRunStarted() {
  m_progress->showStarted(store().layout().totalSteps());
  play();  // follow the frames as they arrive
  updateControls();
}

void SamplingView::onFramesAdded(int count) {
  m_player->setCount(count);
  m_progress->showRecording(count, m_session->stepsPerSecond(), store().bytes());
  if (count == 1) setFrame(0);
  updateControls();
}

void SamplingView::onRunFinished(bool cancelled) {
  m_player->setLive(false);
  const TrajectoryStore& s = store();
  if (s.isComplete() && s.layout().isPoints()) {
    // Colour every point by where it ends up, so the eye can follow it back into the noise.
    const auto& final = s.frame(s.count() - 1).xtPoints;
    m_colours = pointColours(final.data(), s.layout().count);
    m_explore->setTrunkColours(m_colours);
    renderFrame();
  }
  const int stepsDone = std::max(0, s.count() - 1);
  m_progress->showFinished(cancelled, stepsDone, s.layout().totalSteps(), m_session->seconds(),
                           m_session->stepsPerSecond(), s.bytes());
  if (cancelled) showMessage(tr("Sampling stopped: the %1 steps so far can be played back.").arg(stepsDone), false);
  updateControls();
  if (m_frameAfterRun != kNoFrame) {
    pause();
    setFrame(m_frameAfterRun < 0 ? s.count() - 1 : m_frameAfterRun);
    m_frameAfterRun = kNoFrame;
  }
  emit statusMessage(cancelled ? tr("Sampling stopped") : tr("Sampling done: %1 steps").arg(s.layout().totalSteps()));
  emit runEnded(true);
}

void SamplingView::onRunFailed(const QString& message) {
  m_player->setLive(false);
  pause();
  m_progress->clearRate();
  showMessage(tr("Sampling failed: %1").arg(message), true);
  updateControls();
  emit runEnded(false);
}

int SamplingView::speed() const {
  return m_bar->speed();
}

void SamplingView::setSpeed(int stepsPerSecond) {
  m_bar->setSpeed(stepsPerSecond);
}

void SamplingView::play() {
  m_player->play();
}

void SamplingView::pause() {
  m_player->pause();
}

void SamplingView::stepForward() {
  m_player->stepForward();
}

void SamplingView::stepBack() {
  m_player->stepBack();
}

void SamplingView::setFrame(int k) {
  if (!m_player->setFrame(k)) showCurrentFrame();  // a move shows itself (frameChanged)
}

void SamplingView::showCurrentFrame() {
  renderFrame();
  m_explore->setFrame(m_player->frame());
}

void SamplingView::renderFrame() {
  const TrajectoryStore& s = store();
  const int k = m_player->frame();
  m_bar->setFrameText(frameCaption(k));
  if (s.isEmpty()) {
    const QString hint = m_model->isLoaded() ? tr("Press Sample to run the reverse process from pure noise x_T ~ N(0, I)")
                                             : tr("No model: open a checkpoint, or train one in the Training view");
    m_pictures.showEmpty(m_session->isRunning() ? tr("Starting…") : hint);
  } else {
    EpsField* field = s.layout().isPoints() && isVectorFieldShown() ? m_explore->field() : nullptr;
    m_pictures.show(s, k, m_colours, field, devicePixelRatioF());
  }
  emit formulaChanged();
}

QString SamplingView::frameCaption(int k) const {
  return TrajectoryPictures::frameCaption(store(), k);
}

QString SamplingView::formulaHtml() const {
  return samplingFormulaHtml(store(), m_player->frame(), m_session->settings(), m_session->schedule());
}

QString SamplingView::exportImageName() const {
  return QStringLiteral("sampling_step%1.png").arg(m_player->frame());
}

bool SamplingView::exportImage(const QString& path, QString* error) {
  QImage frame;
  if (store().isEmpty()) {
    // Nothing sampled yet: the view as seen (the model and its settings), at 2×.
    frame = QImage(size() * 2, QImage::Format_ARGB32_Premultiplied);
    frame.setDevicePixelRatio(2.0);
    frame.fill(palette().color(QPalette::Window));
    render(&frame);
  } else {
    const int k = m_player->frame();
    frame = composeTrajectoryFrame(store(), k, kExportPanelSide, frameCaption(k), m_colours);
  }
  return writePng(frame, path, error);
}

int SamplingView::exportGif(const QString& path, QString* error, int maxFrames) {
  QApplication::setOverrideCursor(Qt::WaitCursor);
  const int frames = writeTrajectoryGif(store(), path, maxFrames, kExportPanelSide,
                                        [this](int k) { return frameCaption(k); }, m_colours, error);
  QApplication::restoreOverrideCursor();
  return frames;
}

void SamplingView::exportPngInteractive() {
  const QString path = askSavePath(this, tr("Export frame"), exportImageName(), SavedFile::Png, {m_model->path()});
  if (path.isEmpty()) return;
  QString error;
  if (exportImage(path, &error)) emit statusMessage(tr("Saved %1").arg(path));
  else showMessage(tr("Frame not saved: %1").arg(error), true);
}

void SamplingView::exportGifInteractive() {
  const QString path =
      askSavePath(this, tr("Export trajectory"), QStringLiteral("sampling.gif"), SavedFile::Gif, {m_model->path()});
  if (path.isEmpty()) return;
  QString error;
  const int frames = exportGif(path, &error);
  if (frames > 0) emit statusMessage(tr("Saved %1 (%2 frames)").arg(path).arg(frames));
  else showMessage(tr("GIF not saved: %1").arg(error), true);
}

void SamplingView::saveState(QSettings& settings) const {
  settings.beginGroup(QStringLiteral("samplingView"));
  writeSamplerChoice(settings, this->settings());
  settings.setValue(QStringLiteral("speed"), speed());
  settings.endGroup();
}

void SamplingView::restoreState(QSettings& settings) {
  settings.beginGroup(QStringLiteral("samplingView"));
  const SamplingSettings s = readSamplerChoice(settings, m_form->defaultChoice());
  setSpeed(settings.value(QStringLiteral("speed"), kDefaultSpeed).toInt());
  settings.endGroup();
  setSettings(s);
}

}  // namespace ddpm::ui
