#include "ui/shared/play_clock.h"

namespace ddpm::ui {

PlayClock::PlayClock(int intervalMs, QObject* parent) : QObject(parent) {
  m_timer.setInterval(intervalMs);
  m_timer.setTimerType(Qt::PreciseTimer);
  connect(&m_timer, &QTimer::timeout, this, &PlayClock::tick);
}

void PlayClock::start(double position) {
  m_position = position;
  m_clock.start();
  m_lastNs = 0;
  m_timer.start();
}

void PlayClock::stop() {
  m_timer.stop();
}

void PlayClock::tick() {
  const qint64 now = m_clock.nsecsElapsed();
  m_position += m_rate * static_cast<double>(now - m_lastNs) * 1e-9;
  m_lastNs = now;
  emit ticked(m_position);
}

}  // namespace ddpm::ui
