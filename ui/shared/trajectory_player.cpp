#include "ui/shared/trajectory_player.h"

#include "ui/shared/play_clock.h"

#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QKeyEvent>

#include <algorithm>

namespace ddpm::ui {

TrajectoryPlayer::TrajectoryPlayer(int tickMs, QObject* parent) : QObject(parent), m_clock(new PlayClock(tickMs, this)) {
  m_clock->setRate(m_speed);
  connect(m_clock, &PlayClock::ticked, this, &TrajectoryPlayer::tick);
}

bool TrajectoryPlayer::isPlaying() const {
  return m_clock->isRunning();
}

void TrajectoryPlayer::setSpeed(double framesPerSecond) {
  m_speed = framesPerSecond;
  m_clock->setRate(framesPerSecond);
}

void TrajectoryPlayer::setCount(int count) {
  if (count == m_count) return;
  m_count = count;
  emit countChanged(count);
  if (m_frame > last()) setFrame(last());
}

bool TrajectoryPlayer::setFrame(int k) {
  const int clamped = std::clamp(k, 0, last());
  if (clamped == m_frame) return false;
  m_frame = clamped;
  emit frameChanged(m_frame);
  return true;
}

void TrajectoryPlayer::stepForward() {
  pause();
  setFrame(m_frame + 1);
}

void TrajectoryPlayer::stepBack() {
  pause();
  setFrame(m_frame - 1);
}

void TrajectoryPlayer::play() {
  if (m_count == 0 && !m_live) return;
  if (!m_live && m_frame >= m_count - 1) setFrame(0);  // replay from the first frame
  m_clock->start(m_frame);
  emit playingChanged(true);
}

void TrajectoryPlayer::pause() {
  m_clock->stop();
  emit playingChanged(false);
}

void TrajectoryPlayer::toggle() {
  isPlaying() ? pause() : play();
}

bool TrajectoryPlayer::isPlayerKey(const QKeyEvent* key) {
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

bool TrajectoryPlayer::claimShortcut(QEvent* event) {
  if (event->type() != QEvent::ShortcutOverride || !isPlayerKey(static_cast<QKeyEvent*>(event))) return false;
  QWidget* focus = QApplication::focusWidget();
  if (qobject_cast<QAbstractSpinBox*>(focus) || qobject_cast<QComboBox*>(focus)) return false;
  event->accept();
  return true;
}

bool TrajectoryPlayer::handleKey(const QKeyEvent* key) {
  if (!isPlayerKey(key)) return false;
  switch (key->key()) {
    case Qt::Key_Left: stepBack(); break;
    case Qt::Key_Right: stepForward(); break;
    case Qt::Key_Space: toggle(); break;
    case Qt::Key_Home: pause(); setFrame(0); break;
    default: pause(); setFrame(last()); break;
  }
  return true;
}

void TrajectoryPlayer::tick(double position) {
  const int lastFrame = m_count - 1;
  if (position >= lastFrame) {
    position = std::max(0, lastFrame);  // wait for the next frames while they still come
    m_clock->setPosition(position);
    if (!m_live) m_clock->stop();
  }
  setFrame(static_cast<int>(position));
  if (!isPlaying()) emit playingChanged(false);
}

}  // namespace ddpm::ui
