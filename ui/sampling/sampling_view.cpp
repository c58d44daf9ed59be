#include "core/checkpoint/checkpoint.h"
#include "core/schedule/noise_schedule.h"

#include "ui/sampling/sampling_view.h"

#include "ui/shared/current_model.h"
#include "ui/shared/frame_render.h"
#include "ui/shared/maths_format.h"
#include "ui/shared/png_export.h"
#include "ui/sampling/eps_field.h"
#include "ui/sampling/exploration_session.h"
#include "ui/sampling/sample_grid_panel.h"
#include "ui/sampling/sampling_formula.h"
#include "ui/sampling/sampling_session.h"
#include "ui/sampling/trajectory_gif.h"
#include "ui/sampling/trajectory_render.h"
#include "ui/sampling/trajectory_store.h"
#include "ui/shared/schedule_model.h"
#include "ui/window/studio_options.h"
#include "ui/shared/studio_style.h"
#include "ui/shared/image_panel.h"

#include <QAbstractSpinBox>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QShowEvent>
#include <QSlider>
#include <QSpinBox>
#include <QStyle>
#include <QTextDocument>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ddpm::ui {

namespace {

constexpr int kMaxImageSamples = 64;
constexpr int kMaxPointSamples = 5000;
constexpr std::int64_t kMaxTrajectoryBytes = 256LL * 1024 * 1024;
constexpr int kDefaultImageSamples = 16;
constexpr int kDefaultPointSamples = 1000;
constexpr int kDefaultDdimSteps = 50;
constexpr int kDefaultSpeed = 100;
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
      m_modelLabel(new QLabel(this)),
      m_openCheckpoint(new QPushButton(tr("Open checkpoint…"), this)),
      m_message(new QLabel(this)),
      m_samplerBox(new QComboBox(this)),
      m_stepsBox(new QSpinBox(this)),
      m_etaBox(new QDoubleSpinBox(this)),
      m_varianceBox(new QComboBox(this)),
      m_clipBox(new QCheckBox(tr("Clip x̂₀ to [−1, 1]"), this)),
      m_seedBox(new QSpinBox(this)),
      m_samplesBox(new QSpinBox(this)),
      m_sample(new QPushButton(tr("Sample"), this)),
      m_stop(new QPushButton(tr("Stop"), this)),
      m_progress(new QProgressBar(this)),
      m_rateLabel(new QLabel(this)),
      m_xtPanel(new ImagePanel(tr("Sample xₜ"), this)),
      m_x0Panel(new ImagePanel(tr("Predicted x̂₀"), this)),
      m_stepBack(new QToolButton(this)),
      m_play(new QToolButton(this)),
      m_step(new QToolButton(this)),
      m_slider(new QSlider(Qt::Horizontal, this)),
      m_frameLabel(new QLabel(this)),
      m_speedBox(new QComboBox(this)),
      m_exportPng(new QPushButton(tr("Frame as PNG…"), this)),
      m_exportGif(new QPushButton(tr("Trajectory as GIF…"), this)) {
  // "What is already decided at step t?": branching, reconstruction, the ε̂ field.
  m_branch = new QPushButton(tr("Branch from here"), this);
  m_branchCount = new QSpinBox(this);
  m_reconstruct = new QPushButton(tr("Reconstruct"), this);
  m_reconSource = new QComboBox(this);
  m_reconIndex = new QSpinBox(this);
  m_reconFile = new QPushButton(tr("Image…"), this);
  m_fieldBox = new QCheckBox(tr("ε̂ field"), this);
  m_exploreStatus = new QLabel(this);
  m_exploreClose = new QToolButton(this);
  m_explorePanel = new SampleGridPanel(this);
  m_exploration = new ExplorationSession(this);

  setAcceptDrops(false);  // drops go to the window, which opens checkpoints
  setFocusPolicy(Qt::StrongFocus);

  m_modelLabel->setObjectName(QStringLiteral("samplingModel"));
  m_modelLabel->setWordWrap(true);
  m_modelLabel->setTextFormat(Qt::RichText);
  m_openCheckpoint->setIcon(style()->standardIcon(QStyle::SP_DirOpenIcon));
  m_openCheckpoint->setToolTip(tr("Open a trained model (.safetensors); you can also drop one on the window"));
  m_message->setWordWrap(true);
  m_message->setVisible(false);

  m_samplerBox->setObjectName(QStringLiteral("samplingSampler"));
  m_samplerBox->addItem(tr("DDPM (Algorithm 2)"), static_cast<int>(SamplingSettings::Sampler::DDPM));
  m_samplerBox->addItem(tr("DDIM (Song et al.)"), static_cast<int>(SamplingSettings::Sampler::DDIM));
  m_samplerBox->setToolTip(tr("DDPM takes all T ancestral steps; DDIM may skip steps and, with η = 0, adds no noise"));
  m_stepsBox->setRange(1, 1000);
  m_stepsBox->setValue(kDefaultDdimSteps);
  m_stepsBox->setToolTip(tr("Number of reverse steps K (DDIM; DDPM always takes T)"));
  m_etaBox->setRange(0.0, 1.0);
  m_etaBox->setSingleStep(0.1);
  m_etaBox->setDecimals(2);
  m_etaBox->setToolTip(tr("DDIM's η: 0 is deterministic, 1 is as noisy as DDPM with σₜ² = β̃ₜ"));
  m_varianceBox->addItem(tr("σₜ² = βₜ"), false);
  m_varianceBox->addItem(tr("σₜ² = β̃ₜ"), true);
  m_varianceBox->setToolTip(tr("DDPM's reverse variance: βₜ (the paper's choice for x₀ ~ N(0, I)) or the "
                               "posterior's β̃ₜ (for a single x₀); both gave similar results in the paper"));
  m_clipBox->setChecked(m_imagesModel);
  m_clipBox->setToolTip(tr("Clamp the predicted x̂₀ to the data range and take the step's mean from it, as the "
                           "paper's code does for images"));
  m_seedBox->setRange(0, 999999999);
  m_seedBox->setToolTip(tr("One seed gives the same x_T and the same noise z at every step"));
  m_samplesBox->setRange(1, kMaxImageSamples);
  m_samplesBox->setValue(kDefaultImageSamples);
  m_samplesBox->setToolTip(tr("How many samples to draw together"));
  m_sample->setObjectName(QStringLiteral("samplingStart"));
  m_sample->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
  m_sample->setDefault(true);
  m_sample->setToolTip(tr("Draw x_T ~ N(0, I) and run the reverse process, recording every step"));
  m_stop->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
  m_stop->setToolTip(tr("Stop sampling; the steps so far stay"));
  m_progress->setTextVisible(true);
  m_progress->setFormat(tr("%v / %m steps"));
  m_progress->setMinimumWidth(150);
  m_rateLabel->setObjectName(QStringLiteral("caption"));

  auto* modelRow = new QHBoxLayout;
  modelRow->setContentsMargins(12, 10, 12, 0);
  modelRow->addWidget(m_modelLabel, 1);
  modelRow->addWidget(m_openCheckpoint);

  auto* controls = new QHBoxLayout;
  controls->setContentsMargins(12, 4, 12, 0);
  controls->setSpacing(6);
  auto label = [this](const QString& text) { return new QLabel(text, this); };
  controls->addWidget(label(tr("Sampler")));
  controls->addWidget(m_samplerBox);
  controls->addSpacing(6);
  controls->addWidget(label(tr("Steps")));
  controls->addWidget(m_stepsBox);
  controls->addWidget(label(tr("η")));
  controls->addWidget(m_etaBox);
  controls->addWidget(m_varianceBox);
  controls->addWidget(m_clipBox);
  controls->addSpacing(6);
  controls->addWidget(label(tr("Seed")));
  controls->addWidget(m_seedBox);
  controls->addWidget(label(tr("Samples")));
  controls->addWidget(m_samplesBox);
  controls->addStretch(1);
  controls->addWidget(m_sample);
  controls->addWidget(m_stop);

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

  m_stepBack->setIcon(style()->standardIcon(QStyle::SP_MediaSeekBackward));
  m_stepBack->setToolTip(tr("Step back one reverse step"));
  m_play->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
  m_play->setToolTip(tr("Play / pause the recorded trajectory"));
  m_step->setIcon(style()->standardIcon(QStyle::SP_MediaSeekForward));
  m_step->setToolTip(tr("One reverse step forward"));
  // Clicking a button leaves the focus where it was, so Space keeps playing and pausing.
  for (QPushButton* b : {m_openCheckpoint, m_sample, m_stop, m_exportPng, m_exportGif}) b->setFocusPolicy(Qt::TabFocus);
  for (QToolButton* b : {m_stepBack, m_play, m_step}) {
    b->setAutoRaise(true);
    b->setIconSize(QSize(22, 22));
  }
  m_slider->setObjectName(QStringLiteral("samplingScrubber"));
  m_slider->setRange(0, 0);
  m_slider->setToolTip(tr("Scrub through the recorded steps: left is x_T (noise), right is x₀ (the sample)"));
  m_frameLabel->setMinimumWidth(m_frameLabel->fontMetrics().horizontalAdvance(
      QStringLiteral("step 1000 / 1000 · t = 999 · σ = 0.0000")));
  for (int s : kSpeeds) m_speedBox->addItem(tr("%1 steps/s").arg(s), s);
  m_speedBox->setCurrentIndex(m_speedBox->findData(kDefaultSpeed));
  m_speedBox->setToolTip(tr("Playback speed"));
  m_exportPng->setToolTip(tr("Save the frame shown (xₜ and x̂₀) as a PNG picture"));
  m_exportGif->setToolTip(tr("Save the whole trajectory as an animated GIF"));

  auto* playRow = new QHBoxLayout;
  playRow->setContentsMargins(12, 2, 12, 8);
  playRow->setSpacing(6);
  playRow->addWidget(m_stepBack);
  playRow->addWidget(m_play);
  playRow->addWidget(m_step);
  playRow->addWidget(m_slider, 1);
  playRow->addWidget(m_frameLabel);
  playRow->addWidget(m_speedBox);
  playRow->addSpacing(8);
  playRow->addWidget(m_exportPng);
  playRow->addWidget(m_exportGif);

  m_branch->setObjectName(QStringLiteral("samplingBranch"));
  m_branch->setToolTip(tr("Keep xₜ of the step shown and re-draw the noise of every later step with new seeds: "
                          "what the branches share was already decided at this t"));
  m_branchCount->setRange(1, 8);
  m_branchCount->setValue(4);
  m_branchCount->setSuffix(tr(" branches"));
  m_branchCount->setToolTip(tr("How many branches, each with its own seed"));
  m_reconstruct->setObjectName(QStringLiteral("samplingReconstruct"));
  m_reconstruct->setToolTip(tr("Noise a real x₀ to xₜ ~ q(xₜ | x₀) for several t and denoise it back with the sampler "
                               "settings above (the paper's Fig. 7): t decides how much of x₀ survives"));
  m_reconSource->setToolTip(tr("The real x₀ to reconstruct"));
  m_reconIndex->setRange(0, 9999);
  m_reconIndex->setPrefix(tr("test #"));
  m_reconIndex->setToolTip(tr("Fashion-MNIST test image number (0 … 9999)"));
  m_reconFile->setToolTip(tr("Choose a picture; it is cropped to a square and resized to the model's images"));
  m_fieldBox->setObjectName(QStringLiteral("samplingEpsField"));
  m_fieldBox->setToolTip(tr("2D models: draw the predicted noise ε̂_θ(x, t) over the plane as arrows along −ε̂ "
                            "(towards the data), at the t of the step shown"));
  m_exploreStatus->setObjectName(QStringLiteral("caption"));
  m_exploreClose->setIcon(style()->standardIcon(QStyle::SP_DialogCloseButton));
  m_exploreClose->setToolTip(tr("Close the branches / reconstruction"));
  m_explorePanel->setVisible(false);
  panels->addWidget(m_explorePanel, 2);

  auto* exploreRow = new QHBoxLayout;
  exploreRow->setContentsMargins(12, 0, 12, 8);
  exploreRow->setSpacing(6);
  exploreRow->addWidget(m_branch);
  exploreRow->addWidget(m_branchCount);
  exploreRow->addSpacing(12);
  exploreRow->addWidget(m_reconstruct);
  exploreRow->addWidget(m_reconSource);
  exploreRow->addWidget(m_reconIndex);
  exploreRow->addWidget(m_reconFile);
  exploreRow->addSpacing(12);
  exploreRow->addWidget(m_fieldBox);
  exploreRow->addSpacing(8);
  exploreRow->addWidget(m_exploreStatus, 1);
  exploreRow->addWidget(m_exploreClose);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(4);
  layout->addLayout(modelRow);
  layout->addLayout(controls);
  layout->addLayout(progressRow);
  layout->addLayout(messageRow);
  layout->addLayout(panels, 1);
  layout->addLayout(playRow);
  layout->addLayout(exploreRow);
  playRow->setContentsMargins(12, 2, 12, 2);

  m_playTimer.setInterval(30);
  m_playTimer.setTimerType(Qt::PreciseTimer);
  connect(&m_playTimer, &QTimer::timeout, this, &SamplingView::tick);

  connect(m_model, &CurrentModel::changed, this, &SamplingView::onModelChanged);
  connect(m_openCheckpoint, &QPushButton::clicked, this, &SamplingView::openCheckpointRequested);
  connect(m_samplerBox, qOverload<int>(&QComboBox::currentIndexChanged), this, &SamplingView::updateControls);
  connect(m_sample, &QPushButton::clicked, this, &SamplingView::startSampling);
  connect(m_stop, &QPushButton::clicked, this, &SamplingView::stopSampling);
  connect(m_stepBack, &QToolButton::clicked, this, &SamplingView::stepBack);
  connect(m_step, &QToolButton::clicked, this, &SamplingView::stepForward);
  connect(m_play, &QToolButton::clicked, this, [this] { isPlaying() ? pause() : play(); });
  connect(m_slider, &QSlider::valueChanged, this, [this](int value) {
    if (value != m_frame) setFrame(value);
  });
  connect(m_slider, &QSlider::sliderPressed, this, &SamplingView::pause);
  connect(m_exportPng, &QPushButton::clicked, this, &SamplingView::exportPngInteractive);
  connect(m_exportGif, &QPushButton::clicked, this, &SamplingView::exportGifInteractive);
  connect(m_xtPanel, &ImagePanel::canvasResized, this, [this] {
    if (store().layout().isPoints()) renderFrame();
  });

  connect(m_session, &SamplingSession::started, this, &SamplingView::onRunStarted);
  connect(m_session, &SamplingSession::framesAdded, this, &SamplingView::onFramesAdded);
  connect(m_session, &SamplingSession::finished, this, &SamplingView::onRunFinished);
  connect(m_session, &SamplingSession::failed, this, &SamplingView::onRunFailed);

  connect(m_branch, &QPushButton::clicked, this, [this] { branchFromHere(); });
  connect(m_reconstruct, &QPushButton::clicked, this, &SamplingView::reconstructFromControls);
  connect(m_reconSource, qOverload<int>(&QComboBox::currentIndexChanged), this, &SamplingView::updateExploreControls);
  connect(m_reconFile, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Image to reconstruct"), m_reconPath,
                                                      tr("Images (*.png *.jpg *.jpeg *.bmp *.gif *.tga *.pnm *.ppm *.pgm)"));
    if (!path.isEmpty()) setReconstructionFile(path);
  });
  connect(m_fieldBox, &QCheckBox::toggled, this, [this] { renderFrame(); });
  connect(m_exploreClose, &QToolButton::clicked, this, [this] {
    m_exploration->cancel();
    m_explorePanel->setVisible(false);
    m_exploreStatus->clear();
    updateExploreControls();
  });
  connect(m_exploration, &ExplorationSession::finished, this, &SamplingView::onExplorationFinished);
  connect(m_exploration, &ExplorationSession::failed, this, &SamplingView::onExplorationFailed);

  onModelChanged();
}

SamplingView::~SamplingView() = default;

QIcon SamplingView::icon() const {
  return samplingIcon();
}

namespace {

bool isPlaybackKey(const QKeyEvent* key) {
  if (key->modifiers() & ~Qt::KeypadModifier) return false;
  switch (key->key()) {
    case Qt::Key_Left:
    case Qt::Key_Right:
    case Qt::Key_Space:
    case Qt::Key_Home:
    case Qt::Key_End:
      return true;
    default:
      return false;
  }
}

}  // namespace

bool SamplingView::event(QEvent* event) {
  // Claim the playback keys before the window's shortcuts (which move the shared t) see
  // them, unless a field that edits text or numbers has the focus.
  if (event->type() == QEvent::ShortcutOverride && isPlaybackKey(static_cast<QKeyEvent*>(event))) {
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
  if (!isPlaybackKey(event) || store().isEmpty()) {
    StudioView::keyPressEvent(event);
    return;
  }
  switch (event->key()) {
    case Qt::Key_Left: stepBack(); break;
    case Qt::Key_Right: stepForward(); break;
    case Qt::Key_Space: isPlaying() ? pause() : play(); break;
    case Qt::Key_Home: pause(); setFrame(0); break;
    default: pause(); setFrame(store().count() - 1); break;
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
    const bool images = d.sample_shape.size() == 3;
    const int T = static_cast<int>(std::max<std::int64_t>(1, d.schedule.timesteps()));
    m_stepsBox->setMaximum(T);
    // A DDPM trajectory keeps 2 (T + 1) states: cap N so that it stays under kMaxTrajectoryBytes.
    std::int64_t values = 1;
    for (auto side : d.sample_shape) values *= std::max<std::int64_t>(1, side);
    const std::int64_t perSample = 2 * (T + 1) * values * (images ? 1 : static_cast<std::int64_t>(sizeof(float)));
    const int limit = static_cast<int>(std::clamp<std::int64_t>(kMaxTrajectoryBytes / perSample, 1,
                                                                images ? kMaxImageSamples : kMaxPointSamples));
    if (images != m_imagesModel) {
      // Sensible defaults for the kind of data: a 4 × 4 grid with clipping, or a point cloud.
      m_imagesModel = images;
      m_samplesBox->setMaximum(limit);
      m_samplesBox->setValue(images ? kDefaultImageSamples : kDefaultPointSamples);
      m_clipBox->setChecked(images);
    }
    m_samplesBox->setMaximum(limit);
  }
  m_modelLabel->setText(describeModel());
  {
    // What can be reconstructed depends on what the model makes.
    const QVariant current = m_reconSource->currentData();
    m_reconSource->blockSignals(true);
    m_reconSource->clear();
    if (m_imagesModel) {
      m_reconSource->addItem(tr("Fashion-MNIST test image"), static_cast<int>(ReconstructionSource::Kind::FashionMnistTest));
      m_reconSource->addItem(tr("Image file"), static_cast<int>(ReconstructionSource::Kind::ImageFile));
    } else {
      m_reconSource->addItem(tr("Points of the data"), static_cast<int>(ReconstructionSource::Kind::DataPoints));
    }
    m_reconSource->setCurrentIndex(std::max(0, m_reconSource->findData(current)));
    m_reconSource->blockSignals(false);
  }
  updateControls();
  if (store().isEmpty()) renderFrame();  // the hint in the empty panel follows the model
}

void SamplingView::updateControls() {
  const bool loaded = m_model->isLoaded();
  const bool ddim = m_samplerBox->currentData().toInt() == static_cast<int>(SamplingSettings::Sampler::DDIM);
  const bool running = m_session->isRunning();
  m_stepsBox->setEnabled(ddim);
  if (!ddim) m_stepsBox->setToolTip(tr("DDPM takes all T = %1 steps; choose DDIM for fewer").arg(m_stepsBox->maximum()));
  else m_stepsBox->setToolTip(tr("Number of DDIM steps K, 1 … T = %1").arg(m_stepsBox->maximum()));
  m_etaBox->setEnabled(ddim);
  m_varianceBox->setEnabled(!ddim);
  m_sample->setEnabled(loaded);
  m_sample->setText(running ? tr("Restart") : tr("Sample"));
  m_stop->setEnabled(running);
  const bool any = !store().isEmpty();
  m_exportPng->setEnabled(any);
  m_exportGif->setEnabled(any);
  m_play->setEnabled(any);
  m_step->setEnabled(any);
  m_stepBack->setEnabled(any);
  m_slider->setEnabled(any);
  m_play->setIcon(style()->standardIcon(isPlaying() ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
  updateExploreControls();
}

QString SamplingView::applyOptions(const StudioOptions& options) {
  SamplingSettings s = settings();
  if (!options.sampler.isEmpty())
    s.sampler = options.sampler == QLatin1String("ddim") ? SamplingSettings::Sampler::DDIM : SamplingSettings::Sampler::DDPM;
  if (options.sampleSteps) {
    if (*options.sampleSteps > m_stepsBox->maximum())
      return tr("--sample-steps must be at most T = %1, got %2").arg(m_stepsBox->maximum()).arg(*options.sampleSteps);
    s.steps = *options.sampleSteps;
  }
  if (options.samples) {
    if (*options.samples > m_samplesBox->maximum())
      return tr("--samples must be at most %1 for this model, got %2").arg(m_samplesBox->maximum()).arg(*options.samples);
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
  SamplingSettings s;
  s.sampler = static_cast<SamplingSettings::Sampler>(m_samplerBox->currentData().toInt());
  s.steps = m_stepsBox->value();
  s.eta = m_etaBox->value();
  s.posteriorVariance = m_varianceBox->currentData().toBool();
  s.clipX0 = m_clipBox->isChecked();
  s.seed = static_cast<quint64>(m_seedBox->value());
  s.samples = m_samplesBox->value();
  return s;
}

void SamplingView::setSettings(const SamplingSettings& s) {
  m_samplerBox->setCurrentIndex(std::max(0, m_samplerBox->findData(static_cast<int>(s.sampler))));
  m_stepsBox->setValue(s.steps > 0 ? s.steps : m_stepsBox->maximum());
  m_etaBox->setValue(s.eta);
  m_varianceBox->setCurrentIndex(s.posteriorVariance ? 1 : 0);
  m_clipBox->setChecked(s.clipX0);
  m_seedBox->setValue(static_cast<int>(std::min<quint64>(s.seed, static_cast<quint64>(m_seedBox->maximum()))));
  m_samplesBox->setValue(s.samples);
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
  m_trajectoryCheckpoint = checkpoint;
  m_field.reset();  // the field follows the trajectory's model
  m_trajectoryModel = m_model->summary() + m_model->path();
  m_colours.clear();
  m_frame = 0;
  m_session->start(std::move(checkpoint), settings());
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
  m_playPosition = 0;
  play();  // follow the frames as they arrive
  updateControls();
}

void SamplingView::onFramesAdded(int count) {
  m_slider->blockSignals(true);
  m_slider->setRange(0, std::max(0, count - 1));
  m_slider->blockSignals(false);
  m_progress->setValue(std::max(0, count - 1));
  m_rateLabel->setText(tr("%1 steps/s · %2 recorded")
                           .arg(formatNumber(m_session->stepsPerSecond(), 3), megabytes(store().bytes())));
  if (count == 1) setFrame(0);
  updateControls();
}

void SamplingView::onRunFinished(bool cancelled) {
  const TrajectoryStore& s = store();
  if (s.isComplete() && s.layout().isPoints()) {
    // Colour every point by where it ends up, so the eye can follow it back into the noise.
    const auto& final = s.frame(s.count() - 1).xtPoints;
    m_colours = pointColours(final.data(), s.layout().count);
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
  pause();
  m_rateLabel->setText(QString());
  showMessage(tr("Sampling failed: %1").arg(message), true);
  updateControls();
  emit runEnded(false);
}

int SamplingView::speed() const {
  return m_speedBox->currentData().toInt();
}

void SamplingView::setSpeed(int stepsPerSecond) {
  int best = 0;
  for (int i = 0; i < m_speedBox->count(); ++i)
    if (std::abs(m_speedBox->itemData(i).toInt() - stepsPerSecond) <
        std::abs(m_speedBox->itemData(best).toInt() - stepsPerSecond))
      best = i;
  m_speedBox->setCurrentIndex(best);
}

void SamplingView::play() {
  if (store().isEmpty() && !m_session->isRunning()) return;
  if (!m_session->isRunning() && m_frame >= store().count() - 1) m_frame = 0;  // replay from x_T
  m_playPosition = m_frame;
  m_playClock.start();
  m_playTimer.start();
  updateControls();
}

void SamplingView::pause() {
  m_playTimer.stop();
  updateControls();
}

void SamplingView::tick() {
  const double elapsed = m_playClock.restart() / 1000.0;
  m_playPosition += elapsed * speed();
  const int last = store().count() - 1;
  if (m_playPosition >= last) {
    m_playPosition = std::max(0, last);  // wait for the next frames while sampling
    if (!m_session->isRunning()) m_playTimer.stop();
  }
  const int k = static_cast<int>(m_playPosition);
  if (k != m_frame) setFrame(k);
  if (!m_playTimer.isActive()) updateControls();
}

void SamplingView::stepForward() {
  pause();
  setFrame(m_frame + 1);
}

void SamplingView::stepBack() {
  pause();
  setFrame(m_frame - 1);
}

void SamplingView::setFrame(int k) {
  const int clamped = std::clamp(k, 0, std::max(0, store().count() - 1));
  const bool changed = clamped != m_frame;
  m_frame = clamped;
  if (!m_playTimer.isActive()) m_playPosition = m_frame;
  m_slider->blockSignals(true);
  m_slider->setValue(m_frame);
  m_slider->blockSignals(false);
  renderFrame();
  updateExploreControls();
  if (changed) emit frameChanged(m_frame);
}

QString SamplingView::frameCaption(int k) const {
  const TrajectoryStore& s = store();
  if (k < 0 || k >= s.count()) return {};
  const TrajectoryFrame& f = s.frame(k);
  const int K = s.layout().totalSteps();
  if (k == 0) return tr("step 0 / %1 · x_T ~ N(0, I)").arg(K);
  return tr("step %1 / %2 · t = %3 · σ = %4").arg(k).arg(K).arg(f.t).arg(formatNumber(f.sigma, 3));
}

void SamplingView::updateFrameLabel() {
  m_frameLabel->setText(frameCaption(m_frame));
}

void SamplingView::renderFrame() {
  const TrajectoryStore& s = store();
  updateFrameLabel();
  if (s.isEmpty()) {
    const QString hint = m_model->isLoaded()
                             ? tr("Press Sample to run the reverse process from pure noise x_T ~ N(0, I)")
                             : tr("No model: open a checkpoint, or train one in the Training view");
    m_xtPanel->setPlaceholder(m_session->isRunning() ? tr("Starting…") : hint);
    m_x0Panel->setPlaceholder(QString());
    m_xtPanel->setCaption(QString());
    m_x0Panel->setCaption(QString());
    emit formulaChanged();
    return;
  }
  const TrajectoryLayout& layout = s.layout();
  const TrajectoryFrame& f = s.frame(m_frame);
  const bool images = layout.isImages();
  const qreal dpr = devicePixelRatioF();
  const int K = layout.totalSteps();
  if (m_frame == 0) m_xtPanel->setTitle(tr("x_T ~ N(0, I): pure noise"));
  else if (m_frame == K) m_xtPanel->setTitle(tr("x₀: the sample, after all %1 steps").arg(K));
  else m_xtPanel->setTitle(tr("xₜ after step %1 of %2 (t = %3)").arg(m_frame).arg(K).arg(f.t));
  m_xtPanel->setImage(renderSamplePanel(m_xtPanel->canvasSize(), dpr), images);
  QString caption = tr("std of all values %1 (x_T: 1)").arg(formatNumber(f.xtStd, 3));
  if (layout.isPoints()) {
    int outside = 0;  // points the plot cannot show: a model that diverges should not look empty
    for (std::size_t i = 0; i + 1 < f.xtPoints.size(); i += 2)
      outside += std::abs(f.xtPoints[i]) > kPointsExtent || std::abs(f.xtPoints[i + 1]) > kPointsExtent;
    if (outside > 0) caption += tr(" · %1 of %2 points outside the plot").arg(outside).arg(layout.count);
    if (m_field && isVectorFieldShown()) caption += tr(" · arrows: −ε̂_θ(x, t = %1)").arg(fieldTimestep(m_frame));
  }
  m_xtPanel->setCaption(caption);
  if (f.hasPrediction()) {
    m_x0Panel->setTitle(tr("Predicted x̂₀ at t = %1").arg(f.t));
    m_x0Panel->setImage(
        renderTrajectoryLayer(s, m_frame, TrajectoryLayer::Prediction, m_x0Panel->canvasSize(), dpr, m_colours), images);
    m_x0Panel->setCaption(tr("x̂₀ = (xₜ − √(1 − ᾱₜ) ε_θ) / √ᾱₜ: where the model thinks the sample is going"));
  } else {
    m_x0Panel->setTitle(tr("Predicted x̂₀"));
    m_x0Panel->setPlaceholder(tr("The model's first guess appears after step 1"));
    m_x0Panel->setCaption(QString());
  }
  emit formulaChanged();
}

QString SamplingView::formulaHtml() const {
  return samplingFormulaHtml(store(), m_frame, m_session->settings(), m_session->schedule());
}

QString SamplingView::exportImageName() const {
  return QStringLiteral("sampling_step%1.png").arg(m_frame);
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
    frame = composeTrajectoryFrame(store(), m_frame, kExportPanelSide, frameCaption(m_frame), m_colours);
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
  defaults.steps = kDefaultDdimSteps;
  defaults.eta = 0.0;
  defaults.posteriorVariance = false;
  defaults.seed = 0;
  const SamplingSettings s = readSamplerChoice(settings, defaults);
  setSpeed(settings.value(QStringLiteral("speed"), kDefaultSpeed).toInt());
  settings.endGroup();
  setSettings(s);
}

// ---- What is already decided at step t: branching, reconstruction, the ε̂ field ----

QImage SamplingView::renderSamplePanel(const QSize& canvas, qreal dpr) {
  const TrajectoryStore& s = store();
  if (s.layout().isPoints() && isVectorFieldShown() && m_trajectoryCheckpoint) {
    if (!m_field) {
      try {
        m_field = std::make_unique<EpsField>(*m_trajectoryCheckpoint);
      } catch (const std::exception& e) {
        showMessage(tr("The ε̂ field cannot be drawn: %1").arg(QString::fromUtf8(e.what())), true);
      }
    }
    if (m_field) {
      EpsField* field = m_field.get();
      const int t = fieldTimestep(m_frame);
      const TrajectoryFrame& f = s.frame(m_frame);
      return renderPointCloud(f.xtPoints.data(), s.layout().count, m_colours, canvas, dpr,
                              [field, t](QPainter& painter, const PlaneToCanvas& map, double scale, double ratio) {
                                drawEpsField(painter, *field, t, map, scale, ratio);
                              });
    }
  }
  return renderTrajectoryLayer(s, m_frame, TrajectoryLayer::Sample, canvas, dpr, m_colours);
}

void SamplingView::setVectorFieldShown(bool shown) {
  m_fieldBox->setChecked(shown);
}

bool SamplingView::isVectorFieldShown() const {
  return m_fieldBox->isChecked() && m_fieldBox->isEnabled();
}

int SamplingView::fieldTimestep(int k) const {
  const TrajectoryLayout& layout = store().layout();
  if (store().isEmpty() || layout.timesteps.empty()) return -1;
  const int K = layout.totalSteps();
  // Frame k sits at the noise level of the step taken next from it; x_0 shows the last step's.
  return layout.timesteps[static_cast<std::size_t>(std::clamp(k, 0, K - 1))];
}

bool SamplingView::isExploring() const {
  return m_exploration->isRunning();
}

const SampleGrid& SamplingView::explorationGrid() const {
  return m_explorePanel->grid();
}

void SamplingView::setReconstructionIndex(int index) {
  m_reconIndex->setValue(index);
}

void SamplingView::setReconstructionFile(const QString& path) {
  m_reconPath = path;
  m_reconFile->setText(QFileInfo(path).fileName());
  const int file = m_reconSource->findData(static_cast<int>(ReconstructionSource::Kind::ImageFile));
  if (file >= 0) m_reconSource->setCurrentIndex(file);
  updateExploreControls();
}

void SamplingView::updateExploreControls() {
  const TrajectoryStore& s = store();
  const bool canBranch = !s.isEmpty() && m_trajectoryCheckpoint && m_frame < s.layout().totalSteps();
  m_branch->setEnabled(canBranch);
  m_branch->setToolTip(canBranch ? tr("Keep xₜ of step %1 and re-draw the noise of every later step with new seeds: "
                                      "what the branches share was already decided at this t")
                                       .arg(m_frame)
                                 : tr("Sample, then pause or scrub to a step with noise left (not x₀) to branch from it"));
  m_reconstruct->setEnabled(m_model->isLoaded());
  const auto kind = static_cast<ReconstructionSource::Kind>(m_reconSource->currentData().toInt());
  m_reconIndex->setVisible(kind == ReconstructionSource::Kind::FashionMnistTest);
  m_reconFile->setVisible(kind == ReconstructionSource::Kind::ImageFile);
  m_fieldBox->setEnabled(!m_imagesModel);
  m_exploreClose->setVisible(m_explorePanel->isVisible());
}

void SamplingView::startExploration(const QString& what, std::function<SampleGrid(const std::atomic<bool>*)> job) {
  showMessage(QString(), false);
  m_explorePanel->setVisible(true);
  m_explorePanel->setPlaceholder(what + QStringLiteral("…"));
  m_exploreStatus->setText(what + QStringLiteral("…"));
  m_exploration->start(std::move(job));
  updateExploreControls();
}

bool SamplingView::branchFromHere(int branches) {
  if (branches <= 0) branches = m_branchCount->value();
  const TrajectoryStore& s = store();
  if (s.isEmpty() || !m_trajectoryCheckpoint) {
    showMessage(tr("Sample first: a branch starts from a step of a recorded run."), true);
    return false;
  }
  const int K = s.layout().totalSteps();
  if (m_frame >= K) {
    showMessage(tr("Step %1 is x₀, the end of the run: move back to a step with noise left to branch from it.").arg(m_frame),
                true);
    return false;
  }
  const SamplingSettings settings = m_session->settings();
  if (settings.sampler == SamplingSettings::Sampler::DDIM && settings.eta <= 0.0) {
    showMessage(tr("DDIM with η = 0 adds no noise after x_T, so every branch would end exactly as the trunk: "
                   "sample with η > 0 (or with DDPM) to branch."),
                true);
    return false;
  }
  pause();
  const int frame = m_frame;
  // New seeds every time, never the trunk's own.
  const quint64 seed = settings.seed + 1 + static_cast<quint64>(m_branchRound++) * static_cast<quint64>(branches);
  const int t = s.layout().timesteps[static_cast<std::size_t>(frame)];
  m_exploreIsBranch = true;
  startExploration(tr("Branching %1 times from step %2 (t = %3)").arg(branches).arg(frame).arg(t),
                   [checkpoint = m_trajectoryCheckpoint, settings, frame, branches, seed](const std::atomic<bool>* cancel) {
                     return computeBranches(*checkpoint, settings, frame, branches, seed, 6, cancel);
                   });
  return true;
}

bool SamplingView::reconstructFromControls() {
  ReconstructionSource source;
  source.kind = static_cast<ReconstructionSource::Kind>(m_reconSource->currentData().toInt());
  source.index = m_reconIndex->value();
  source.path = m_reconPath;
  source.seed = static_cast<quint64>(m_seedBox->value());
  if (source.kind == ReconstructionSource::Kind::ImageFile && source.path.isEmpty()) {
    showMessage(tr("Choose an image file to reconstruct (the Image… button)."), true);
    return false;
  }
  return reconstruct(source);
}

bool SamplingView::reconstruct(const ReconstructionSource& source) {
  if (!m_model->isLoaded()) {
    showMessage(tr("There is no model to reconstruct with: open a checkpoint or train one first."), true);
    return false;
  }
  pause();
  auto checkpoint = std::make_shared<const CheckpointData>(m_model->data());
  const SamplingSettings settings = this->settings();
  const std::vector<int> ts = reconstructionTimesteps(m_stepsBox->maximum());
  const int draws = m_imagesModel ? 4 : 3;
  QString name;
  switch (source.kind) {
    case ReconstructionSource::Kind::FashionMnistTest: name = tr("Fashion-MNIST test #%1").arg(source.index); break;
    case ReconstructionSource::Kind::ImageFile: name = QFileInfo(source.path).fileName(); break;
    case ReconstructionSource::Kind::DataPoints: name = tr("%1 points of the data").arg(source.points); break;
  }
  const QString sampler = settings.sampler == SamplingSettings::Sampler::DDIM
                              ? tr("DDIM %1 steps, η = %2").arg(settings.steps).arg(settings.eta)
                              : tr("DDPM");
  m_exploreIsBranch = false;
  startExploration(tr("Reconstructing %1 from %2 noise levels").arg(name).arg(ts.size()),
                   [checkpoint, settings, source, ts, draws, name, sampler](const std::atomic<bool>* cancel) {
                     const std::vector<float> x0 = reconstructionOriginal(*checkpoint, source);
                     SampleGrid grid = computeReconstruction(*checkpoint, settings, x0, ts, draws, settings.seed, cancel);
                     grid.title = QStringLiteral("%1 noised to xₜ and denoised back (%2)").arg(name, sampler);
                     return grid;
                   });
  return true;
}

void SamplingView::onExplorationFinished(const SampleGrid& grid, double seconds) {
  std::vector<QRgb> colours;
  if (grid.kind == SampleGrid::Kind::Points && !grid.isEmpty()) {
    // Branches keep the trunk's colours (where each point ends in the trunk); a
    // reconstruction colours each point by where it started, x₀.
    if (m_exploreIsBranch && static_cast<int>(m_colours.size()) == grid.points) colours = m_colours;
    else if (m_exploreIsBranch) colours = pointColours(grid.cells[1].data(), grid.points);
    else colours = pointColours(grid.cells[0].data(), grid.points);
  }
  m_explorePanel->setGrid(grid, colours);
  m_exploreStatus->setText((m_exploreIsBranch ? tr("Branches done in %1 s") : tr("Reconstruction done in %1 s"))
                               .arg(formatNumber(seconds, 3)));
  updateExploreControls();
  emit explorationEnded(true);
}

void SamplingView::onExplorationFailed(const QString& message) {
  m_explorePanel->setPlaceholder(QString());
  m_explorePanel->setVisible(false);
  m_exploreStatus->clear();
  showMessage(tr("That did not work: %1").arg(message), true);
  updateExploreControls();
  emit explorationEnded(false);
}

}  // namespace ddpm::ui
