#include "core/checkpoint/checkpoint.h"
#include "core/schedule/noise_schedule.h"

#include "ui/sampling/sampling_view.h"

#include "ui/shared/current_model.h"
#include "ui/shared/frame_render.h"
#include "ui/shared/maths_format.h"
#include "ui/shared/png_export.h"
#include "ui/sampling/eps_field.h"
#include "ui/sampling/exploration_panel.h"
#include "ui/sampling/sample_grid_panel.h"
#include "ui/sampling/sampling_form.h"
#include "ui/sampling/sampling_formula.h"
#include "ui/sampling/sampling_session.h"
#include "ui/sampling/trajectory_gif.h"
#include "ui/sampling/trajectory_pictures.h"
#include "ui/sampling/trajectory_render.h"
#include "ui/sampling/trajectory_store.h"
#include "ui/shared/schedule_model.h"
#include "ui/window/studio_options.h"
#include "ui/shared/studio_style.h"
#include "ui/shared/image_panel.h"
#include "ui/shared/trajectory_player.h"
#include "ui/shared/trajectory_player_bar.h"

#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QShowEvent>
#include <QStyle>
#include <QTextDocument>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ddpm::ui {

namespace {

constexpr int kDefaultSpeed = 100;
constexpr int kPlayTickMs = 30;
constexpr int kExportPanelSide = 360;

// Noise (scattered dots) on the left turning into a shape (a ring) on the right.
QIcon samplingIcon() {
  QPixmap pixmap(64, 64);
  pixmap.fill(Qt::transparent);
  QPainter p(&pixmap);
  p.setRenderHint(QPainter::Antialiasing, true);
  p.setPen(Qt::NoPen);
  const QColor light(0xe5, 0xe9, 0xf0);
  const double noise[][2] = {{8, 14}, {17, 40}, {12, 52}, {24, 22}, {6, 30}, {20, 9}, {27, 50}, {14, 26}};
  for (const auto& d : noise) {
    p.setBrush(QColor(light.red(), light.green(), light.blue(), 150));
    p.drawEllipse(QPointF(d[0], d[1]), 2.6, 2.6);
  }
  p.setBrush(colours::kAccent.lighter(140));
  for (int i = 0; i < 10; ++i) {
    const double a = i * 2 * M_PI / 10;
    p.drawEllipse(QPointF(46 + 12 * std::cos(a), 32 + 12 * std::sin(a)), 2.8, 2.8);
  }
  p.setPen(QPen(light, 2.4, Qt::SolidLine, Qt::RoundCap));
  p.drawLine(QPointF(27, 32), QPointF(32, 32));
  p.drawLine(QPointF(29.5, 29), QPointF(32.5, 32));
  p.drawLine(QPointF(29.5, 35), QPointF(32.5, 32));
  return QIcon(pixmap);
}

QString megabytes(std::size_t bytes) {
  return QLocale().toString(static_cast<double>(bytes) / (1024.0 * 1024.0), 'f', 1) + QStringLiteral(" MB");
}

}  // namespace

SamplingView::SamplingView(ScheduleModel* schedule, TimestepCursor* cursor, CurrentModel* model, QWidget* parent)
    : StudioView(schedule, cursor, parent),
      m_model(model),
      m_session(new SamplingSession(this)),
      m_player(new TrajectoryPlayer(kPlayTickMs, this)),
      m_modelLabel(new QLabel(this)),
      m_openCheckpoint(new QPushButton(tr("Open checkpoint…"), this)),
      m_message(new QLabel(this)),
      m_form(new SamplingForm(this)),
      m_progress(new QProgressBar(this)),
      m_rateLabel(new QLabel(this)),
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
  m_modelLabel->setObjectName(QStringLiteral("samplingModel"));
  m_modelLabel->setWordWrap(true);
  m_modelLabel->setTextFormat(Qt::RichText);
  m_openCheckpoint->setIcon(style()->standardIcon(QStyle::SP_DirOpenIcon));
  m_openCheckpoint->setToolTip(tr("Open a trained model (.safetensors); you can also drop one on the window"));
  m_message->setWordWrap(true);
  m_message->setVisible(false);
  m_progress->setTextVisible(true);
  m_progress->setFormat(tr("%v / %m steps"));
  m_progress->setMinimumWidth(150);
  m_rateLabel->setObjectName(QStringLiteral("caption"));
  // Clicking a button leaves the focus where it was, so Space keeps playing and pausing.
  for (QPushButton* b : {m_openCheckpoint, m_exportPng, m_exportGif}) b->setFocusPolicy(Qt::TabFocus);
  m_bar->scrubber()->setObjectName(QStringLiteral("samplingScrubber"));
  m_bar->scrubber()->setToolTip(
      tr("Scrub through the recorded steps: left is x_T (noise), right is x₀ (the sample)"));
  m_bar->reserveFrameText(QStringLiteral("step 1000 / 1000 · t = 999 · σ = 0.0000"));
  m_bar->setSpeeds(std::vector<int>(std::begin(kSpeeds), std::end(kSpeeds)), kDefaultSpeed);
  m_exportPng->setToolTip(tr("Save the frame shown (xₜ and x̂₀) as a PNG picture"));
  m_exportGif->setToolTip(tr("Save the whole trajectory as an animated GIF"));
}

void SamplingView::layOut() {
  auto* modelRow = new QHBoxLayout;
  modelRow->setContentsMargins(12, 10, 12, 0);
  modelRow->addWidget(m_modelLabel, 1);
  modelRow->addWidget(m_openCheckpoint);

  auto* progressRow = new QHBoxLayout;
  progressRow->setContentsMargins(12, 0, 12, 0);
  progressRow->addWidget(m_progress, 1);
  progressRow->addWidget(m_rateLabel);

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
  layout->addLayout(modelRow);
  layout->addWidget(m_form);
  layout->addLayout(progressRow);
  layout->addLayout(messageRow);
  layout->addLayout(panels, 1);
  layout->addWidget(m_bar);
  layout->addWidget(m_explore);
}

void SamplingView::connectParts() {
  connect(m_model, &CurrentModel::changed, this, &SamplingView::onModelChanged);
  connect(m_openCheckpoint, &QPushButton::clicked, this, &SamplingView::openCheckpointRequested);
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
  return samplingIcon();
}


bool SamplingView::event(QEvent* event) {
  // Claim the playback keys before the window's shortcuts (which move the shared t) see
  // them, unless a field that edits text or numbers has the focus.
  if (event->type() == QEvent::ShortcutOverride && TrajectoryPlayer::isPlayerKey(static_cast<QKeyEvent*>(event))) {
    QWidget* focus = QApplication::focusWidget();
    const bool editing = qobject_cast<QAbstractSpinBox*>(focus) || qobject_cast<QComboBox*>(focus);
    if (!editing && !store().isEmpty()) {
      event->accept();
      return true;
    }
  }
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
  return m_message->isHidden() ? QString() : m_message->text();  // also while the view is hidden
}

QString SamplingView::modelText() const {
  QTextDocument doc;
  doc.setHtml(m_modelLabel->text());
  return doc.toPlainText();
}

void SamplingView::showMessage(const QString& text, bool error) {
  m_message->setText(text);
  m_message->setProperty("message", error ? QStringLiteral("error") : QStringLiteral("warning"));
  m_message->style()->unpolish(m_message);
  m_message->style()->polish(m_message);
  m_message->setVisible(!text.isEmpty());
}

QString SamplingView::describeModel() const {
  if (!m_model->isLoaded()) {
    return tr("<b>No model yet.</b> Open a checkpoint (File ▸ Open checkpoint…, or drop a .safetensors file on the "
              "window), or train one in the Training view: it appears here when training saves it.");
  }
  const CheckpointData& d = m_model->data();
  QString shape;
  for (std::size_t i = 0; i < d.sample_shape.size(); ++i)
    shape += (i ? QStringLiteral(" × ") : QString()) + QString::number(d.sample_shape[i]);
  shape = d.sample_shape.size() == 1 && d.sample_shape[0] == 2 ? tr("2D points") : tr("images %1").arg(shape);
  const QString name = m_model->fileName().isEmpty() ? tr("the model just trained") : m_model->fileName();
  QString html = tr("<b>%1</b> · %2, %3 weights · trained %4 steps on <b>%5</b> · %6<br>"
                        "<span style='color:%8'>schedule %7</span>")
                     .arg(name.toHtmlEscaped(), QString::fromStdString(d.model.preset),
                          QLocale().toString(static_cast<qlonglong>(d.weight_count)),
                          QLocale().toString(static_cast<qlonglong>(d.step)),
                          QString::fromStdString(d.data_spec).toHtmlEscaped(), shape,
                          ScheduleModel::describe(d.schedule).toHtmlEscaped(), colours::kMutedText.name());
  if (!m_trajectoryModel.isEmpty() && m_trajectoryModel != m_model->summary() + m_model->path())
    html += tr("<br><span style='color:%1'>The trajectory below came from another model; press Sample to draw "
               "from this one.</span>")
                .arg(colours::kMutedText.name());
  return html;
}

void SamplingView::onModelChanged() {
  if (m_model->isLoaded()) {
    const CheckpointData& d = m_model->data();
    const int T = static_cast<int>(std::max<std::int64_t>(1, d.schedule.timesteps()));
    m_form->fitModel(T, d.sample_shape);
  }
  m_modelLabel->setText(describeModel());
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
  SamplingSettings s = settings();
  if (!options.sampler.isEmpty())
    s.sampler = options.sampler == QLatin1String("ddim") ? SamplingSettings::Sampler::DDIM : SamplingSettings::Sampler::DDPM;
  if (options.sampleSteps) {
    if (*options.sampleSteps > m_form->maxSteps())
      return tr("--sample-steps must be at most T = %1, got %2").arg(m_form->maxSteps()).arg(*options.sampleSteps);
    s.steps = *options.sampleSteps;
  }
  if (options.samples) {
    if (*options.samples > m_form->maxSamples())
      return tr("--samples must be at most %1 for this model, got %2").arg(m_form->maxSamples()).arg(*options.samples);
    s.samples = *options.samples;
  }
  if (options.seed) s.seed = *options.seed;
  if (options.eta) s.eta = *options.eta;
  setSettings(s);
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
  m_progress->setRange(0, 1);
  m_progress->setValue(0);
  m_rateLabel->setText(tr("loading the model…"));
  m_modelLabel->setText(describeModel());
  renderFrame();
  updateControls();
  return true;
}

void SamplingView::stopSampling() {
  m_session->cancel();
}

void SamplingView::onRunStarted() {
  m_progress->setRange(0, store().layout().totalSteps());
  m_progress->setValue(0);
  m_rateLabel->setText(QString());
  play();  // follow the frames as they arrive
  updateControls();
}

void SamplingView::onFramesAdded(int count) {
  m_player->setCount(count);
  m_progress->setValue(std::max(0, count - 1));
  m_rateLabel->setText(tr("%1 steps/s · %2 recorded")
                           .arg(formatNumber(m_session->stepsPerSecond(), 3), megabytes(store().bytes())));
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
  const QString rate = formatNumber(m_session->stepsPerSecond(), 3);
  m_rateLabel->setText(cancelled ? tr("stopped after %1 of %2 steps · %3 recorded")
                                       .arg(std::max(0, s.count() - 1))
                                       .arg(s.layout().totalSteps())
                                       .arg(megabytes(s.bytes()))
                                 : tr("done in %1 s · %2 steps/s · %3 recorded")
                                       .arg(formatNumber(m_session->seconds(), 3), rate, megabytes(s.bytes())));
  if (cancelled) showMessage(tr("Sampling stopped: the %1 steps so far can be played back.").arg(std::max(0, s.count() - 1)), false);
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
  m_rateLabel->setText(QString());
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
  QString path = QFileDialog::getSaveFileName(this, tr("Export frame"), exportImageName(), tr("PNG image (*.png)"));
  if (path.isEmpty()) return;
  if (QFileInfo(path).suffix().isEmpty()) path += QStringLiteral(".png");
  QString error;
  if (exportImage(path, &error)) emit statusMessage(tr("Saved %1").arg(path));
  else showMessage(tr("Frame not saved: %1").arg(error), true);
}

void SamplingView::exportGifInteractive() {
  QString path = QFileDialog::getSaveFileName(this, tr("Export trajectory"), QStringLiteral("sampling.gif"),
                                              tr("Animated GIF (*.gif)"));
  if (path.isEmpty()) return;
  if (QFileInfo(path).suffix().isEmpty()) path += QStringLiteral(".gif");
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
  SamplingSettings defaults = this->settings();
  defaults.sampler = SamplingSettings::Sampler::DDPM;
  defaults.steps = SamplingForm::kDefaultDdimSteps;
  defaults.eta = 0.0;
  defaults.posteriorVariance = false;
  defaults.seed = 0;
  const SamplingSettings s = readSamplerChoice(settings, defaults);
  setSpeed(settings.value(QStringLiteral("speed"), kDefaultSpeed).toInt());
  settings.endGroup();
  setSettings(s);
}


}  // namespace ddpm::ui
