#pragma once

#include <QObject>

namespace ddpm::ui {

/// The one timestep every view shows: a code index t in 0..T−1 (the paper's t − 1).
/// Views bind their sliders and plots to it, so moving t anywhere moves it everywhere.
/// Changing T (a new schedule) keeps t where it can and clamps it otherwise.
class TimestepCursor : public QObject {
  Q_OBJECT

 public:
  explicit TimestepCursor(QObject* parent = nullptr);

  int t() const { return m_t; }
  /// T, the number of steps; t ranges over 0..steps()−1.
  int steps() const { return m_steps; }
  int last() const { return m_steps - 1; }

 public slots:
  /// Moves to t, clamped to 0..T−1; emits tChanged only when t actually changes.
  void setT(int t);
  /// Sets T (at least 1) and clamps t into the new range.
  void setSteps(int steps);
  /// Moves by `delta` steps, clamped.
  void step(int delta);
  void toFirst() { setT(0); }
  void toLast() { setT(m_steps - 1); }

 signals:
  void tChanged(int t);
  void stepsChanged(int steps);

 private:
  int m_t = 0;
  int m_steps = 1000;
};

}  // namespace ddpm::ui
