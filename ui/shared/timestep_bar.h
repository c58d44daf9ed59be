#pragma once

#include <QWidget>

class QLabel;
class QSlider;
class QSpinBox;
class QToolButton;

namespace ddpm::ui {

class Playback;
class TimestepCursor;

/// The t control every view carries: first / play-pause / last buttons, a slider over
/// 0..T−1 and a spin box, all bound to the shared TimestepCursor and Playback.
class TimestepBar : public QWidget {
  Q_OBJECT

 public:
  TimestepBar(TimestepCursor* cursor, Playback* playback, QWidget* parent = nullptr);

  QSlider* slider() const { return m_slider; }
  QSpinBox* spinBox() const { return m_spin; }
  QToolButton* playButton() const { return m_play; }

 private:
  void syncFromCursor();
  void syncPlaying(bool playing);

  TimestepCursor* m_cursor;
  Playback* m_playback;
  QToolButton* m_first;
  QToolButton* m_play;
  QToolButton* m_last;
  QSlider* m_slider;
  QSpinBox* m_spin;
  QLabel* m_range;
  QLabel* m_paper;
};

}  // namespace ddpm::ui
