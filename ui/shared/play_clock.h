#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

namespace ddpm::ui {

/// The pacing shared by the players (Playback's sweep of the shared t, TrajectoryPlayer's
/// frames): while running, a position moves on at rate() per second of wall-clock time,
/// measured on a clock rather than by counting ticks, so a slow tick makes the position
/// jump instead of lag. It ticks every `intervalMs`; the owner reads the position on
/// ticked(), turns it into its own t or frame, and decides where it ends.
class PlayClock : public QObject {
  Q_OBJECT

 public:
  explicit PlayClock(int intervalMs, QObject* parent = nullptr);

  bool isRunning() const { return m_timer.isActive(); }
  /// Starts (or starts again) moving on from `position`.
  void start(double position);
  void stop();
  double position() const { return m_position; }
  /// Carries on from `position` (running or not).
  void setPosition(double position) { m_position = position; }
  double rate() const { return m_rate; }
  /// Units per second; it applies from the next tick on.
  void setRate(double perSecond) { m_rate = perSecond; }

 signals:
  /// position() has moved on by rate() × the time since the last tick.
  void ticked(double position);

 private:
  void tick();

  QTimer m_timer;
  QElapsedTimer m_clock;
  qint64 m_lastNs = 0;
  double m_position = 0;
  double m_rate = 0;
};

}  // namespace ddpm::ui
