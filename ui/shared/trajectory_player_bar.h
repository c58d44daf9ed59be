#pragma once

#include <QFlags>
#include <QWidget>

#include <vector>

class QComboBox;
class QHBoxLayout;
class QLabel;
class QSlider;
class QToolButton;

namespace ddpm::ui {

class TrajectoryPlayer;

/// The row that drives a TrajectoryPlayer: Step back, Play / Pause, Step, a scrubber over
/// the frames, the frame's caption and a speed, each part optional (the Compare view's
/// lockstep row has only Play and the scrubber). The bar follows the player (frames,
/// count, the Play icon) and the player follows the bar; what a frame is and says
/// belongs to the owner (setFrameText).
class TrajectoryPlayerBar : public QWidget {
  Q_OBJECT

 public:
  enum Part {
    PlayOnly = 0,
    StepButtons = 1,  ///< Step back and Step beside Play
    FrameLabel = 2,   ///< the frame's caption after the scrubber
    SpeedBox = 4,     ///< a choice of speeds after that
    FlatButtons = 8,  ///< tool-bar looking buttons (auto-raised, 22 px icons)
  };
  Q_DECLARE_FLAGS(Parts, Part)

  TrajectoryPlayerBar(TrajectoryPlayer* player, Parts parts, QWidget* parent = nullptr);

  /// The speeds offered (frames per second, shown as "N steps/s") and the one chosen.
  void setSpeeds(const std::vector<int>& framesPerSecond, int current);
  /// The offered speed nearest `framesPerSecond`.
  void setSpeed(int framesPerSecond);
  int speed() const;
  /// The caption of the frame shown; the label keeps room for `widest`.
  void setFrameText(const QString& text);
  void reserveFrameText(const QString& widest);
  /// Play, the steps and the scrubber (not the caption or the speed).
  void setControlsEnabled(bool enabled);
  /// The row, for owners that add their own buttons after the player's.
  QHBoxLayout* row() const { return m_row; }

  QToolButton* playButton() const { return m_play; }
  QToolButton* stepButton() const { return m_step; }
  QToolButton* stepBackButton() const { return m_stepBack; }
  QSlider* scrubber() const { return m_slider; }
  QComboBox* speedBox() const { return m_speedBox; }

 private:
  void build(Parts parts);
  void connectPlayer();
  void showPlaying(bool playing);
  void showFrame(int k);
  void showCount(int count);

  TrajectoryPlayer* m_player;
  QHBoxLayout* m_row;
  QToolButton* m_stepBack = nullptr;
  QToolButton* m_play;
  QToolButton* m_step = nullptr;
  QSlider* m_slider;
  QLabel* m_frameLabel = nullptr;
  QComboBox* m_speedBox = nullptr;
};

Q_DECLARE_OPERATORS_FOR_FLAGS(TrajectoryPlayerBar::Parts)

}  // namespace ddpm::ui
