#include "ui/shared/playback.h"

#include "ui/shared/play_clock.h"
#include "ui/shared/timestep_cursor.h"

#include <algorithm>
#include <cmath>

namespace ddpm::ui {

Playback::Playback(TimestepCursor* cursor, QObject* parent)
    : QObject(parent),
      m_cursor(cursor),
      m_clock(new PlayClock(16, this)) {  // ~60 frames/s; the cursor coalesces repeats of the same t
  connect(m_clock, &PlayClock::ticked, this, &Playback::tick);
}

bool Playback::isPlaying() const {
  return m_clock->isRunning();
}

void Playback::setSweepSeconds(double seconds) {
  m_sweepSeconds = std::max(0.5, seconds);
}

void Playback::play() {
  if (isPlaying()) return;
  if (m_cursor->t() >= m_cursor->last()) m_cursor->toFirst();
  m_lastSet = m_cursor->t();
  m_clock->setRate(m_cursor->steps() / m_sweepSeconds);
  m_clock->start(m_cursor->t());
  emit playingChanged(true);
}

void Playback::pause() {
  if (!isPlaying()) return;
  m_clock->stop();
  emit playingChanged(false);
}

void Playback::toggle() {
  isPlaying() ? pause() : play();
}

void Playback::tick(double position) {
  if (m_cursor->t() != m_lastSet) {  // someone else moved t (a key, the slider): go on from there
    position = m_cursor->t();
    m_clock->setPosition(position);
  }
  m_clock->setRate(m_cursor->steps() / m_sweepSeconds);  // T may change while playing
  const int target = static_cast<int>(std::min<double>(std::floor(position), m_cursor->last()));
  m_cursor->setT(target);
  m_lastSet = m_cursor->t();
  if (target >= m_cursor->last()) pause();
}

}  // namespace ddpm::ui
