#pragma once

#include <QObject>

namespace ddpm::ui {

class PlayClock;
class TimestepCursor;

/// Animates the shared timestep: while playing, t runs from where it is to T−1 in
/// about `sweepSeconds` whatever T is, then stops. Playing from T−1 starts over at 0.
/// Frames are paced by wall-clock time, so a slow frame makes t jump, not lag; moving t
/// by hand while playing carries on from the new place. The pacing is PlayClock's, as
/// for TrajectoryPlayer; what is its own is the sweep: a rate from T, and a t that
/// anyone may move.
class Playback : public QObject {
  Q_OBJECT

 public:
  explicit Playback(TimestepCursor* cursor, QObject* parent = nullptr);

  bool isPlaying() const;
  double sweepSeconds() const { return m_sweepSeconds; }
  void setSweepSeconds(double seconds);

 public slots:
  void play();
  void pause();
  void toggle();

 signals:
  void playingChanged(bool playing);

 private:
  void tick(double position);

  TimestepCursor* m_cursor;
  PlayClock* m_clock;
  double m_sweepSeconds = 5.0;
  int m_lastSet = 0;
};

}  // namespace ddpm::ui
