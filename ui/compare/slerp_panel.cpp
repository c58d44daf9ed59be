#include "core/checkpoint/checkpoint.h"

#include "ui/compare/slerp_panel.h"

#include "ui/compare/checkpoint_picker.h"
#include "ui/compare/slerp_render.h"
#include "ui/compare/slerp_session.h"
#include "ui/compare/slerp_strip.h"
#include "ui/shared/image_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QStyle>
#include <QVBoxLayout>

namespace ddpm::ui {

namespace {

constexpr int kDefaultCount = 9;
constexpr int kDefaultPointPairs = 64;
constexpr int kDefaultSteps = 20;
constexpr int kCellSide = 112;

bool isPointShape(const std::vector<std::int64_t>& shape) { return shape.size() == 1 && shape[0] == 2; }

}  // namespace

SlerpPanel::SlerpPanel(CurrentModel* model, QWidget* parent)
    : QWidget(parent),
      m_picker(new CheckpointPicker(model, this)),
      m_session(new SlerpSession(this)),
      m_seedA(new QSpinBox(this)),
      m_seedB(new QSpinBox(this)),
      m_count(new QSpinBox(this)),
      m_samples(new QSpinBox(this)),
      m_sampler(new QComboBox(this)),
      m_steps(new QSpinBox(this)),
      m_run(new QPushButton(tr("Interpolate"), this)),
      m_stop(new QPushButton(tr("Stop"), this)),
      m_export(new QPushButton(tr("Strip as PNG…"), this)),
      m_progress(new QProgressBar(this)),
      m_message(new QLabel(this)),
      m_summary(new QLabel(this)),
      m_stripTitle(new QLabel(tr("<b>x₀ along the great circle from x_T(seed A) to x_T(seed B)</b>"), this)),
      m_strip(new ImagePanel(QString(), ImagePanel::Fit::Wide, this)) {
  setUpControls();
  layOut();
  connectSignals();
  m_samples->setValue(isPointShape(m_picker->sampleShape()) ? kDefaultPointPairs : 1);
  updateState();
  render();
}

void SlerpPanel::setUpControls() {
  m_stripTitle->setAlignment(Qt::AlignCenter);
  for (QSpinBox* seed : {m_seedA, m_seedB}) seed->setRange(0, 999999999);
  m_seedA->setValue(1);
  m_seedB->setValue(2);
  m_seedA->setToolTip(tr("λ = 0 is x_T of this seed"));
  m_seedB->setToolTip(tr("λ = 1 is x_T of this seed"));
  m_count->setRange(2, 25);
  m_count->setValue(kDefaultCount);
  m_count->setToolTip(tr("How many evenly spaced λ in [0, 1], ends included"));
  m_samples->setRange(1, 2000);
  m_samples->setValue(1);
  m_samples->setToolTip(tr("Samples per seed: each seed draws this many x_T; the two are slerped as one vector"));
  m_sampler->addItem(tr("DDIM, η = 0 (deterministic)"), false);
  m_sampler->addItem(tr("DDPM, the same z for every λ"), true);
  m_steps->setRange(1, 1000);
  m_steps->setValue(kDefaultSteps);
  m_steps->setToolTip(tr("DDIM's number of steps K"));
  m_run->setObjectName(QStringLiteral("slerpRun"));
  m_run->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
  m_stop->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
  m_export->setIcon(style()->standardIcon(QStyle::SP_DialogSaveButton));
  m_progress->setTextVisible(true);
  m_progress->setMaximumWidth(160);
  m_message->setWordWrap(true);
  m_message->setVisible(false);
  m_message->setStyleSheet(QStringLiteral("color: #b03a2e;"));
  m_summary->setWordWrap(true);
}

void SlerpPanel::layOut() {
  auto* modelRow = new QHBoxLayout;
  modelRow->addWidget(new QLabel(tr("Model"), this));
  modelRow->addWidget(m_picker, 1);
  modelRow->addSpacing(12);
  modelRow->addWidget(new QLabel(tr("Sampler"), this));
  modelRow->addWidget(m_sampler);
  modelRow->addWidget(new QLabel(tr("Steps K"), this));
  modelRow->addWidget(m_steps);
  auto* controls = new QHBoxLayout;
  controls->addWidget(new QLabel(tr("Seed A"), this));
  controls->addWidget(m_seedA);
  controls->addWidget(new QLabel(tr("Seed B"), this));
  controls->addWidget(m_seedB);
  controls->addWidget(new QLabel(tr("Values of λ"), this));
  controls->addWidget(m_count);
  controls->addWidget(new QLabel(tr("Samples per seed"), this));
  controls->addWidget(m_samples);
  controls->addStretch(1);
  controls->addWidget(m_progress);
  controls->addWidget(m_run);
  controls->addWidget(m_stop);
  controls->addWidget(m_export);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(8, 6, 8, 6);
  layout->addLayout(modelRow);
  layout->addLayout(controls);
  layout->addWidget(m_message);
  layout->addWidget(m_stripTitle);
  layout->addWidget(m_strip, 1);
  layout->addWidget(m_summary);
}

void SlerpPanel::connectSignals() {
  connect(m_picker, &CheckpointPicker::changed, this, [this] {
    m_samples->setValue(isPointShape(m_picker->sampleShape()) ? kDefaultPointPairs : 1);
    showMessage(QString());
    updateState();
    render();
  });
  connect(m_sampler, qOverload<int>(&QComboBox::currentIndexChanged), this,
          [this] { m_steps->setEnabled(!m_sampler->currentData().toBool()); });
  connect(m_run, &QPushButton::clicked, this, [this] { startRun(); });
  connect(m_stop, &QPushButton::clicked, m_session, &SlerpSession::cancel);
  connect(m_export, &QPushButton::clicked, this, &SlerpPanel::exportRequested);
  connect(m_session, &SlerpSession::progress, this, [this](int taken, int total) {
    m_progress->setRange(0, total);
    m_progress->setValue(taken);
  });
  connect(m_session, &SlerpSession::failed, this,
          [this](const QString& why) { showMessage(tr("The interpolation failed: %1").arg(why)); });
  connect(m_session, &SlerpSession::finished, this, [this](bool ok) {
    updateState();
    render();
    emit runEnded(ok);
  });
  connect(m_strip, &ImagePanel::canvasResized, this, [this] {
    if (m_session->strip().layout.isPoints()) render();
  });
}

SlerpPanel::~SlerpPanel() = default;

SlerpSettings SlerpPanel::settings() const {
  SlerpSettings s;
  s.seedA = static_cast<quint64>(m_seedA->value());
  s.seedB = static_cast<quint64>(m_seedB->value());
  s.count = m_count->value();
  s.samples = m_samples->value();
  s.ddpm = m_sampler->currentData().toBool();
  s.steps = m_steps->value();
  s.clipX0 = !isPointShape(m_picker->sampleShape());  // images: as the paper's code samples them
  return s;
}

void SlerpPanel::setSettings(const SlerpSettings& s) {
  m_seedA->setValue(static_cast<int>(s.seedA));
  m_seedB->setValue(static_cast<int>(s.seedB));
  m_count->setValue(s.count);
  m_samples->setValue(s.samples);
  m_sampler->setCurrentIndex(s.ddpm ? 1 : 0);
  m_steps->setValue(s.steps);
}

bool SlerpPanel::startRun() {
  const auto checkpoint = m_picker->checkpoint();
  if (!checkpoint) {
    showMessage(m_picker->error());
    return false;
  }
  showMessage(QString());
  m_progress->setValue(0);
  m_session->start(checkpoint, settings());
  updateState();
  render();
  return true;
}

QString SlerpPanel::message() const { return m_message->isHidden() ? QString() : m_message->text(); }

void SlerpPanel::showMessage(const QString& text) {
  m_message->setText(text);
  m_message->setVisible(!text.isEmpty());
}

void SlerpPanel::updateState() {
  const bool running = m_session->isRunning();
  m_run->setEnabled(!running && m_picker->checkpoint() != nullptr);
  m_stop->setEnabled(running);
  m_export->setEnabled(!running && !m_session->strip().isEmpty());
}

QString SlerpPanel::summary() const {
  const SlerpStrip& s = m_session->strip();
  if (s.isEmpty()) return {};
  const QLocale locale;
  return tr("θ = %1° between the two x_T. ‖x_T‖ per sample: %2 at λ = 0, %3 at the slerp midpoint, %4 at the "
            "straight-line midpoint, which is too short to look like noise from N(0, I).")
      .arg(locale.toString(s.thetaDegrees, 'f', 1),
           locale.toString(s.normA, 'f', 2), locale.toString(s.normMid, 'f', 2), locale.toString(s.normLine, 'f', 2));
}

void SlerpPanel::render() {
  const SlerpStrip& s = m_session->strip();
  m_summary->setText(summary());
  if (s.isEmpty()) {
    m_strip->setPlaceholder(m_session->isRunning()
                                ? tr("Sampling…")
                                : (m_picker->checkpoint() ? tr("Choose two seeds and press Interpolate")
                                                          : m_picker->error()));
    m_strip->setCaption(QString());
    return;
  }
  const bool images = s.layout.isImages();
  m_strip->setImage(renderSlerpStrip(s, m_strip->canvasSize(), devicePixelRatioF()), images);
  m_strip->setCaption(images ? tr("columns: λ = 0 (seed A, left) … λ = 1 (seed B, right)")
                             : tr("colour: λ = 0 (seed A, blue) … λ = 1 (seed B, orange)"));
}

QImage SlerpPanel::composeImage() const {
  const SlerpStrip& s = m_session->strip();
  const SlerpSettings& settings = m_session->settings();
  const QString sampler = settings.ddpm ? tr("DDPM, shared z") : tr("DDIM η = 0, %1 steps").arg(settings.steps);
  return composeSlerpStrip(s, kCellSide,
                           tr("%1 · slerp from seed %2 to seed %3 · θ = %4° · %5")
                               .arg(m_picker->name())
                               .arg(settings.seedA)
                               .arg(settings.seedB)
                               .arg(QLocale().toString(s.thetaDegrees, 'f', 1), sampler));
}

}  // namespace ddpm::ui
