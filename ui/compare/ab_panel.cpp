#include "core/checkpoint/checkpoint.h"

#include "ui/compare/ab_panel.h"

#include "ui/compare/ab_comparison.h"
#include "ui/compare/checkpoint_picker.h"
#include "ui/compare/compare_column.h"
#include "ui/shared/frame_render.h"
#include "ui/sampling/sampling_session.h"
#include "ui/sampling/trajectory_render.h"
#include "ui/sampling/trajectory_store.h"
#include "ui/shared/image_panel.h"
#include "ui/shared/trajectory_player.h"
#include "ui/shared/trajectory_player_bar.h"

#include <QColor>
#include <QFont>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ddpm::ui {

namespace {

constexpr int kMaxImageSamples = 64;
constexpr int kMaxPointSamples = 5000;
constexpr int kDefaultImageSamples = 16;
constexpr int kDefaultPointSamples = 500;
constexpr int kPlayTickMs = 40;
constexpr int kPlayTicks = 150;  // a whole run plays in about 150 ticks of 40 ms

bool isPointShape(const std::vector<std::int64_t>& shape) { return shape.size() == 1 && shape[0] == 2; }

QString frameText(const TrajectoryStore& s, int k) {
  if (k < 0 || k >= s.count()) return QObject::tr("—");
  const int K = s.layout().totalSteps();
  if (k == 0) return QObject::tr("step 0 / %1 · x_T").arg(K);
  return QObject::tr("step %1 / %2 · t = %3").arg(k).arg(K).arg(s.frame(k).t);
}

}  // namespace

AbPanel::AbPanel(CurrentModel* model, QWidget* parent)
    : QWidget(parent),
      m_a(new CompareColumn(tr("A"), runColourA(), model, this)),
      m_b(new CompareColumn(tr("B"), runColourB(), model, this)),
      m_sessionA(new SamplingSession(this)),
      m_sessionB(new SamplingSession(this)),
      m_seed(new QSpinBox(this)),
      m_samples(new QSpinBox(this)),
      m_run(new QPushButton(tr("Run A and B"), this)),
      m_stop(new QPushButton(tr("Stop"), this)),
      m_progress(new QProgressBar(this)),
      m_message(new QLabel(this)),
      m_panelA(new ImagePanel(tr("A: xₜ"), this)),
      m_panelDiff(new ImagePanel(tr("|A − B| per pixel"), this)),
      m_panelB(new ImagePanel(tr("B: xₜ"), this)),
      m_player(new TrajectoryPlayer(kPlayTickMs, this)),
      m_bar(new TrajectoryPlayerBar(m_player, TrajectoryPlayerBar::PlayOnly, this)),
      m_position(new QLabel(this)) {
  build();
  layOut();
  connectRuns();
  connect(m_player, &TrajectoryPlayer::frameChanged, this, &AbPanel::render);
  for (ImagePanel* panel : {m_panelA, m_panelDiff, m_panelB})
    connect(panel, &ImagePanel::canvasResized, this, [this] {
      if (storeA().layout().isPoints()) render();
    });
  onModelA();
}

void AbPanel::build() {
  m_a->setObjectName(QStringLiteral("compareColumnA"));
  m_b->setObjectName(QStringLiteral("compareColumnB"));
  SamplingSettings ddim;
  ddim.sampler = SamplingSettings::Sampler::DDIM;
  ddim.steps = 50;
  ddim.clipX0 = m_b->settings().clipX0;  // as chosen for B's model
  m_b->setSettings(ddim);  // the classic question: 1,000 DDPM steps against 50 DDIM steps
  m_seed->setRange(0, 999999999);
  m_seed->setValue(1);
  m_seed->setToolTip(tr("One seed for both: A and B start from the same x_T"));
  m_samples->setRange(1, kMaxPointSamples);
  m_samples->setValue(kDefaultImageSamples);
  m_samples->setToolTip(tr("How many samples each side draws (the same for both)"));
  m_run->setObjectName(QStringLiteral("compareRun"));
  m_run->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
  m_run->setToolTip(tr("Sample A and B from the same x_T, recording every step"));
  m_stop->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
  m_progress->setTextVisible(true);
  m_progress->setFormat(tr("%p %"));
  m_progress->setMaximumWidth(160);
  m_message->setWordWrap(true);
  m_message->setVisible(false);
  m_message->setStyleSheet(QStringLiteral("color: #b03a2e;"));
  m_bar->playButton()->setToolTip(tr("Play both runs in lockstep"));
  m_bar->scrubber()->setObjectName(QStringLiteral("compareSlider"));
  m_bar->scrubber()->setToolTip(tr("Progress through both runs: each shows the frame at the same fraction of its steps"));
}

void AbPanel::layOut() {
  auto* columns = new QHBoxLayout;
  columns->addWidget(m_a, 1);
  columns->addWidget(m_b, 1);
  auto* shared = new QHBoxLayout;
  shared->addWidget(new QLabel(tr("Seed (both)"), this));
  shared->addWidget(m_seed);
  shared->addWidget(new QLabel(tr("Samples"), this));
  shared->addWidget(m_samples);
  shared->addStretch(1);
  shared->addWidget(m_progress);
  shared->addWidget(m_run);
  shared->addWidget(m_stop);
  auto* panels = new QHBoxLayout;
  panels->addWidget(m_panelA, 1);
  panels->addWidget(m_panelDiff, 1);
  panels->addWidget(m_panelB, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(8, 6, 8, 6);
  layout->addLayout(columns);
  layout->addLayout(shared);
  layout->addWidget(m_message);
  layout->addLayout(panels, 1);
  layout->addWidget(m_bar);
  layout->addWidget(m_position);
}

QString AbPanel::middleTitle(bool points) {
  return points ? tr("A and B overlaid") : tr("|A − B| per pixel");
}

void AbPanel::onModelA() {
  // A sensible count for the kind of data A makes (a cloud needs many points).
  const bool points = isPointShape(m_a->picker()->sampleShape());
  m_samples->setValue(points ? kDefaultPointSamples : kDefaultImageSamples);
  showMessage(QString());
  updateState();
  render();
}

void AbPanel::connectRuns() {
  connect(m_a, &CompareColumn::changed, this, &AbPanel::onModelA);
  connect(m_b, &CompareColumn::changed, this, [this] {
    showMessage(QString());
    updateState();
  });
  connect(m_run, &QPushButton::clicked, this, [this] { startRuns(); });
  connect(m_stop, &QPushButton::clicked, this, &AbPanel::stop);
  // A and B sample at once, each on its own worker thread, and give exactly what each
  // gives alone: core's BLAS guard serialises the BLAS calls they would otherwise race on
  // (Debian's serial OpenBLAS is not thread-safe; core/runtime/blas_guard.h).
  for (SamplingSession* session : {m_sessionA, m_sessionB}) {
    connect(session, &SamplingSession::framesAdded, this, [this] {
      auto fraction = [](const TrajectoryStore& s) {
        const int K = s.layout().totalSteps();
        return K > 0 ? static_cast<double>(std::max(0, s.count() - 1)) / K : 0.0;
      };
      if (m_pending > 0) m_progress->setValue(static_cast<int>(50 * (fraction(storeA()) + fraction(storeB()))));
    });
    connect(session, &SamplingSession::failed, this, [this, session](const QString& why) {
      m_failed = true;
      showMessage(tr("%1 could not sample: %2").arg(session == m_sessionA ? tr("A") : tr("B"), why));
      stop();
      finishRuns(false);
    });
    connect(session, &SamplingSession::finished, this, [this](bool cancelled) {
      if (m_pending == 0) return;
      if (cancelled) {
        m_failed = true;  // one side stopped: the pair is incomplete
        stop();
      }
      if (m_pending > 1) {
        --m_pending;
        render();  // the side that ended says so
      } else {
        finishRuns(true);  // the second of the two to end
      }
    });
  }
}

AbPanel::~AbPanel() = default;

const TrajectoryStore& AbPanel::storeA() const { return m_sessionA->store(); }
const TrajectoryStore& AbPanel::storeB() const { return m_sessionB->store(); }
QSlider* AbPanel::slider() const { return m_bar->scrubber(); }

void AbPanel::setSeed(quint64 seed) { m_seed->setValue(static_cast<int>(seed)); }
void AbPanel::setSamples(int samples) { m_samples->setValue(samples); }
bool AbPanel::isRunning() const { return m_pending > 0; }
QString AbPanel::message() const { return m_message->isHidden() ? QString() : m_message->text(); }

void AbPanel::showMessage(const QString& text) {
  m_message->setText(text);
  m_message->setVisible(!text.isEmpty());
}

bool AbPanel::startRuns() {
  const auto a = m_a->checkpoint();
  const auto b = m_b->checkpoint();
  if (!a || !b) {
    showMessage(tr("%1 has no model. %2").arg(!a ? tr("A") : tr("B"), (!a ? m_a : m_b)->picker()->error()));
    return false;
  }
  const QString mismatch = sampleShapeMismatch(a->sample_shape, b->sample_shape);
  if (!mismatch.isEmpty()) {
    showMessage(mismatch);
    return false;
  }
  if (!isPointShape(a->sample_shape) && m_samples->value() > kMaxImageSamples) {
    showMessage(tr("At most %1 images per side: each keeps every step of its run.").arg(kMaxImageSamples));
    return false;
  }
  showMessage(QString());
  m_player->pause();
  SamplingSettings sa = m_a->settings(), sb = m_b->settings();
  sa.seed = sb.seed = static_cast<quint64>(m_seed->value());
  sa.samples = sb.samples = m_samples->value();
  m_failed = false;
  m_pending = 2;
  m_progress->setValue(0);
  m_titleA = tr("A: %1 · %2").arg(m_a->picker()->name(), m_a->samplerText());
  m_titleB = tr("B: %1 · %2").arg(m_b->picker()->name(), m_b->samplerText());
  m_sessionA->start(a, sa);
  m_sessionB->start(b, sb);
  updateState();
  render();
  return true;
}

void AbPanel::stop() {
  m_sessionA->cancel();
  m_sessionB->cancel();
}

void AbPanel::finishRuns(bool ok) {
  if (m_pending == 0) return;
  m_pending = 0;
  ok = ok && !m_failed && storeA().isComplete() && storeB().isComplete();
  updateSliderRange();
  if (ok) {
    m_progress->setValue(100);
    m_player->setFrame(m_player->last());
  }
  updateState();
  render();
  emit runEnded(ok);
}

void AbPanel::updateState() {
  const bool running = m_pending > 0;
  m_run->setEnabled(!running && m_a->checkpoint() && m_b->checkpoint());
  m_stop->setEnabled(running);
  m_progress->setVisible(running);  // idle, an empty bar would read as a blank text box
  m_bar->playButton()->setEnabled(!running && !storeA().isEmpty());
}

void AbPanel::updateSliderRange() {
  const int positions = std::max({1, storeA().layout().totalSteps(), storeB().layout().totalSteps()});
  m_player->setCount(positions + 1);
  m_bar->scrubber()->setPageStep(std::max(1, positions / 10));
  // A whole run in about kPlayTicks ticks, whatever its length.
  m_player->setSpeed(std::max(1, positions / kPlayTicks) * 1000.0 / kPlayTickMs);
}

void AbPanel::render() {
  const TrajectoryStore& A = storeA();
  const TrajectoryStore& B = storeB();
  if (A.isEmpty() || B.isEmpty() || m_pending > 0) {
    // Idle, the hint spans the middle; each side says what it will show, or that it runs.
    const bool idle = m_pending == 0;
    m_panelA->setPlaceholder(idle ? tr("A's samples") : m_sessionA->isRunning() ? tr("Sampling A…") : tr("A done"));
    m_panelB->setPlaceholder(idle ? tr("B's samples")
                                  : m_sessionB->isRunning() ? tr("Sampling B from the same x_T…") : tr("B done"));
    m_panelDiff->setPlaceholder(idle ? tr("Choose a model and a sampler for A and for B, then Run A and B: both start "
                                          "from the same noise x_T")
                                     : QString());
    m_panelDiff->setTitle(middleTitle(isPointShape(m_a->picker()->sampleShape())));
    m_position->clear();
    m_status.clear();
    return;
  }
  const int positions = std::max(1, m_player->last());
  const int position = m_player->frame();
  m_frameA = std::min(lockstepFrame(position, positions, A.layout().totalSteps()), A.count() - 1);
  m_frameB = std::min(lockstepFrame(position, positions, B.layout().totalSteps()), B.count() - 1);
  const TrajectoryLayout& layout = A.layout();
  const TrajectoryFrame& fa = A.frame(m_frameA);
  const TrajectoryFrame& fb = B.frame(m_frameB);
  const qreal dpr = devicePixelRatioF();
  const bool comparable = layout.valuesPerState() == B.layout().valuesPerState();
  if (layout.isImages()) {
    const int columns = gridColumns(layout.count);
    m_panelA->setImage(renderLevelGrid(fa.xtBytes.data(), layout, columns), true);
    m_panelB->setImage(renderLevelGrid(fb.xtBytes.data(), B.layout(), columns), true);
    if (comparable) {
      m_panelDiff->setImage(renderDifferenceGrid(fa.xtBytes.data(), fb.xtBytes.data(), layout, columns), true);
      m_panelDiff->setCaption(tr("mean |A − B| = %1 · black: equal, white: 2")
                                  .arg(QLocale().toString(meanAbsLevelDifference(fa.xtBytes, fb.xtBytes), 'f', 3)));
    }
    m_panelDiff->setTitle(middleTitle(false));
  } else {
    const std::vector<QRgb> colourA(static_cast<std::size_t>(layout.count), runColourA());
    const std::vector<QRgb> colourB(static_cast<std::size_t>(layout.count), runColourB());
    m_panelA->setImage(renderPointCloud(fa.xtPoints.data(), layout.count, colourA, m_panelA->canvasSize(), dpr), false);
    m_panelB->setImage(renderPointCloud(fb.xtPoints.data(), layout.count, colourB, m_panelB->canvasSize(), dpr), false);
    if (comparable)
      m_panelDiff->setImage(
          renderOverlaidClouds(fa.xtPoints.data(), fb.xtPoints.data(), layout.count, m_panelDiff->canvasSize(), dpr),
          false);
    m_panelDiff->setTitle(middleTitle(true));
    m_panelDiff->setCaption(tr("blue: A · orange: B"));
  }
  m_panelA->setTitle(m_titleA);
  m_panelB->setTitle(m_titleB);
  m_panelA->setCaption(frameText(A, m_frameA));
  m_panelB->setCaption(frameText(B, m_frameB));
  const int percent = static_cast<int>(std::lround(100.0 * position / positions));
  m_status = tr("%1 % of the way from x_T to x₀ · A: %2 · B: %3")
                 .arg(percent)
                 .arg(frameText(A, m_frameA), frameText(B, m_frameB));
  m_position->setText(m_status);
  emit frameChanged();
}

QImage AbPanel::composeImage() const {
  const QImage a = m_panelA->image(), d = m_panelDiff->image(), b = m_panelB->image();
  if (a.isNull() || b.isNull()) return {};
  const bool images = storeA().layout().isImages();
  const int side = 320;
  auto scaled = [&](const QImage& image) {
    if (image.isNull()) return QImage();
    if (!images) return image.scaled(side, side, Qt::KeepAspectRatio, Qt::SmoothTransformation);
    const int zoom = std::max(1, side / std::max(image.width(), image.height()));
    return image.scaled(image.size() * zoom, Qt::IgnoreAspectRatio, Qt::FastTransformation);
  };
  const QImage pa = scaled(a), pd = scaled(d), pb = scaled(b);
  const int margin = 10, gap = 10, text = 22;
  QImage out(2 * margin + 3 * pa.width() + 2 * gap, 2 * margin + 2 * text + pa.height() + text, QImage::Format_RGB32);
  out.fill(images ? QColor(0x20, 0x20, 0x20) : QColor(Qt::white));
  QPainter p(&out);
  QFont font = p.font();
  font.setPixelSize(13);
  p.setFont(font);
  p.setPen(images ? QColor(0xe8, 0xe8, 0xe8) : QColor(0x30, 0x30, 0x30));
  p.drawText(QRect(margin, margin, out.width() - 2 * margin, text), Qt::AlignLeft | Qt::AlignVCenter, m_status);
  const QImage panels[] = {pa, pd, pb};
  const QString titles[] = {m_panelA->title(), m_panelDiff->title(), m_panelB->title()};
  for (int i = 0; i < 3; ++i) {
    const int x = margin + i * (pa.width() + gap);
    p.drawText(QRect(x, margin + text, pa.width(), text), Qt::AlignLeft | Qt::AlignVCenter, titles[i]);
    if (!panels[i].isNull()) p.drawImage(x, margin + 2 * text, panels[i]);
  }
  p.drawText(QRect(margin, margin + 2 * text + pa.height(), out.width() - 2 * margin, text),
             Qt::AlignLeft | Qt::AlignVCenter, m_panelDiff->caption());
  return out;
}

}  // namespace ddpm::ui
