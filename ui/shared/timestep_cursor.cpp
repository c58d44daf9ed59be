#include "ui/shared/timestep_cursor.h"

#include <algorithm>

namespace ddpm::ui {

TimestepCursor::TimestepCursor(QObject* parent) : QObject(parent) {}

void TimestepCursor::setT(int t) {
  t = std::clamp(t, 0, m_steps - 1);
  if (t == m_t) return;
  m_t = t;
  emit tChanged(m_t);
}

void TimestepCursor::setSteps(int steps) {
  steps = std::max(1, steps);
  if (steps == m_steps) return;
  m_steps = steps;
  emit stepsChanged(m_steps);
  // Emitted after stepsChanged so listeners see a t that fits the range they just set.
  if (m_t > m_steps - 1) {
    m_t = m_steps - 1;
    emit tChanged(m_t);
  }
}

void TimestepCursor::step(int delta) {
  const long long target = static_cast<long long>(m_t) + delta;
  setT(static_cast<int>(std::clamp<long long>(target, 0, m_steps - 1)));
}

}  // namespace ddpm::ui
