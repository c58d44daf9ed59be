#include "ui/shared/playback.h"

#include "ui/shared/timestep_cursor.h"

#include <algorithm>
#include <cmath>

namespace ddpm::ui {

Playback::Playback(TimestepCursor* cursor, QObject* parent) : QObject(parent), m_cursor(cursor) {
  m_timer.setInterval(16);  // ~60 frames/s; the cursor coalesces repeats of the same t
  m_timer.setTimerType(Qt::PreciseTimer);
  connect(&m_timer, &QTimer::timeout, this, &Playback::tick);
}

void Playback::setSweepSeconds(double seconds) {
  m_sweepSeconds = std::max(0.5, seconds);
}

void Playback::play() {
  if (isPlaying()) return;
  if (m_cursor->t() >= m_cursor->last()) m_cursor->toFirst();
  m_startT = m_cursor->t();
  m_lastSet = m_cursor->t();
  m_clock.start();
  m_timer.start();
  emit playingChanged(true);
}

void Playback::pause() {
  if (!isPlaying()) return;
  m_timer.stop();
  emit playingChanged(false);
}

void Playback::toggle() {
  isPlaying() ? pause() : play();
}

void Playback::tick() {
  if (m_cursor->t() != m_lastSet) {  // someone else moved t (a key, the slider): go on from there
    m_startT = m_cursor->t();
    m_clock.restart();
  }
  const double stepsPerSecond = m_cursor->steps() / m_sweepSeconds;
  const double t = m_startT + stepsPerSecond * (m_clock.nsecsElapsed() * 1e-9);
  const int target = static_cast<int>(std::min<double>(std::floor(t), m_cursor->last()));
  m_cursor->setT(target);
  m_lastSet = m_cursor->t();
  if (target >= m_cursor->last()) pause();
}

}  // namespace ddpm::ui
