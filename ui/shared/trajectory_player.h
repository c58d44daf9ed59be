#pragma once

#include <QObject>

class QEvent;
class QKeyEvent;

namespace ddpm::ui {

class PlayClock;

/// The frame clock of a recorded trajectory, or of any sequence of frames 0 … count − 1
/// (the Sampling view's reverse steps, the Compare view's lockstep positions): Play /
/// Pause / Step / Step back and a speed in frames per second, paced by wall-clock time
/// (PlayClock), so a slow frame makes playing jump, not lag. While frames still arrive
/// (live), playing follows them: it waits at the newest frame instead of stopping; once
/// the run is over it stops at the last one, and Play from there starts over at frame 0.
/// TrajectoryPlayerBar is its row of buttons and scrubber.
class TrajectoryPlayer : public QObject {
  Q_OBJECT

 public:
  explicit TrajectoryPlayer(int tickMs, QObject* parent = nullptr);

  int frame() const { return m_frame; }
  int count() const { return m_count; }
  int last() const { return m_count > 0 ? m_count - 1 : 0; }
  bool isLive() const { return m_live; }
  bool isPlaying() const;
  /// Frames per second while playing.
  double speed() const { return m_speed; }
  void setSpeed(double framesPerSecond);

  /// Frames 0 … count − 1 exist now; the frame shown stays where it is (or moves to the
  /// last one when it no longer exists).
  void setCount(int count);
  /// Whether more frames are still coming (a run goes on).
  void setLive(bool live) { m_live = live; }
  /// Frame 0 again without a signal: a new run starts, and shows its frames as they come.
  void rewind() { m_frame = 0; }

  /// Moves to frame k, clamped to the frames there are; true when the frame changed.
  bool setFrame(int k);
  void stepForward();
  void stepBack();
  void play();
  void pause();
  void toggle();

  /// Left / Right, Space, Home / End with no modifier but the keypad's: the keys that
  /// step, play or pause, and jump to the first / last frame.
  static bool isPlayerKey(const QKeyEvent* key);
  /// Does what a player key does (a jump pauses first); false for any other key.
  bool handleKey(const QKeyEvent* key);
  /// For the event() of a view with frames to play: takes a ShortcutOverride of a player
  /// key (accepting it, true) unless a spin box or combo box has the focus, so the key
  /// reaches the view's keyPressEvent and moves the trajectory, not the window's shared t.
  static bool claimShortcut(QEvent* event);

 signals:
  /// The frame shown changed (by setFrame, a step or playing).
  void frameChanged(int k);
  void countChanged(int count);
  void playingChanged(bool playing);

 private:
  void tick(double position);

  PlayClock* m_clock;
  int m_frame = 0;
  int m_count = 0;
  bool m_live = false;
  double m_speed = 100;
};

}  // namespace ddpm::ui
