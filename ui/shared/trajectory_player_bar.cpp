#include "ui/shared/trajectory_player_bar.h"

#include "ui/shared/trajectory_player.h"
#include "ui/shared/media_icons.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QStyle>
#include <QToolButton>

#include <cstdlib>

namespace ddpm::ui {

TrajectoryPlayerBar::TrajectoryPlayerBar(TrajectoryPlayer* player, Parts parts, QWidget* parent)
    : QWidget(parent), m_player(player), m_row(new QHBoxLayout(this)) {
  build(parts);
  connectPlayer();
}

void TrajectoryPlayerBar::build(Parts parts) {
  m_row->setContentsMargins(0, 0, 0, 0);
  if (parts & StepButtons) {
    m_stepBack = new QToolButton(this);
    m_stepBack->setIcon(style()->standardIcon(QStyle::SP_MediaSeekBackward));
    m_stepBack->setToolTip(tr("Step back one reverse step"));
  }
  m_play = new QToolButton(this);
  m_play->setIcon(playPauseIcon(this, false));
  m_play->setToolTip(tr("Play / pause the recorded trajectory"));
  if (parts & StepButtons) {
    m_step = new QToolButton(this);
    m_step->setIcon(style()->standardIcon(QStyle::SP_MediaSeekForward));
    m_step->setToolTip(tr("One reverse step forward"));
  }
  for (QToolButton* b : {m_stepBack, m_play, m_step}) {
    if (!b || !(parts & FlatButtons)) continue;
    b->setAutoRaise(true);
    b->setIconSize(QSize(22, 22));
  }
  m_slider = new QSlider(Qt::Horizontal, this);
  m_slider->setRange(0, 0);
  if (parts & FrameLabel) m_frameLabel = new QLabel(this);
  if (parts & SpeedBox) {
    m_speedBox = new QComboBox(this);
    m_speedBox->setToolTip(tr("Playback speed"));
  }
  for (QWidget* w : {static_cast<QWidget*>(m_stepBack), static_cast<QWidget*>(m_play), static_cast<QWidget*>(m_step)})
    if (w) m_row->addWidget(w);
  m_row->addWidget(m_slider, 1);
  if (m_frameLabel) m_row->addWidget(m_frameLabel);
  if (m_speedBox) m_row->addWidget(m_speedBox);
}

void TrajectoryPlayerBar::connectPlayer() {
  connect(m_play, &QToolButton::clicked, m_player, &TrajectoryPlayer::toggle);
  if (m_step) connect(m_step, &QToolButton::clicked, m_player, &TrajectoryPlayer::stepForward);
  if (m_stepBack) connect(m_stepBack, &QToolButton::clicked, m_player, &TrajectoryPlayer::stepBack);
  connect(m_slider, &QSlider::valueChanged, m_player, &TrajectoryPlayer::setFrame);
  connect(m_slider, &QSlider::sliderPressed, m_player, &TrajectoryPlayer::pause);
  if (m_speedBox)
    connect(m_speedBox, qOverload<int>(&QComboBox::currentIndexChanged), this,
            [this] { m_player->setSpeed(speed()); });
  connect(m_player, &TrajectoryPlayer::playingChanged, this, &TrajectoryPlayerBar::showPlaying);
  connect(m_player, &TrajectoryPlayer::frameChanged, this, &TrajectoryPlayerBar::showFrame);
  connect(m_player, &TrajectoryPlayer::countChanged, this, &TrajectoryPlayerBar::showCount);
}

void TrajectoryPlayerBar::setSpeeds(const std::vector<int>& framesPerSecond, int current) {
  if (!m_speedBox) return;
  for (int s : framesPerSecond) m_speedBox->addItem(tr("%1 steps/s").arg(s), s);
  m_speedBox->setCurrentIndex(m_speedBox->findData(current));
  m_player->setSpeed(speed());
}

void TrajectoryPlayerBar::setSpeed(int framesPerSecond) {
  if (!m_speedBox) {
    m_player->setSpeed(framesPerSecond);
    return;
  }
  int best = 0;
  for (int i = 0; i < m_speedBox->count(); ++i)
    if (std::abs(m_speedBox->itemData(i).toInt() - framesPerSecond) <
        std::abs(m_speedBox->itemData(best).toInt() - framesPerSecond))
      best = i;
  m_speedBox->setCurrentIndex(best);
}

int TrajectoryPlayerBar::speed() const {
  return m_speedBox ? m_speedBox->currentData().toInt() : static_cast<int>(m_player->speed());
}

void TrajectoryPlayerBar::setFrameText(const QString& text) {
  if (m_frameLabel) m_frameLabel->setText(text);
}

void TrajectoryPlayerBar::reserveFrameText(const QString& widest) {
  if (m_frameLabel) m_frameLabel->setMinimumWidth(m_frameLabel->fontMetrics().horizontalAdvance(widest));
}

void TrajectoryPlayerBar::setControlsEnabled(bool enabled) {
  for (QWidget* w : {static_cast<QWidget*>(m_play), static_cast<QWidget*>(m_step),
                     static_cast<QWidget*>(m_stepBack), static_cast<QWidget*>(m_slider)})
    if (w) w->setEnabled(enabled);
}

void TrajectoryPlayerBar::showPlaying(bool playing) {
  m_play->setIcon(playPauseIcon(this, playing));
}

void TrajectoryPlayerBar::showFrame(int k) {
  m_slider->blockSignals(true);
  m_slider->setValue(k);
  m_slider->blockSignals(false);
}

void TrajectoryPlayerBar::showCount(int count) {
  m_slider->blockSignals(true);
  m_slider->setRange(0, count > 0 ? count - 1 : 0);
  m_slider->blockSignals(false);
}

}  // namespace ddpm::ui
