#pragma once

#include <QWidget>

#include <cstddef>

class QLabel;
class QProgressBar;

namespace ddpm::ui {

/// The Sampling view's progress row: a bar of reverse steps done and, beside it, the rate
/// and the memory the recorded trajectory takes (while running), or how the run ended.
class RunProgress : public QWidget {
  Q_OBJECT

 public:
  explicit RunProgress(QWidget* parent = nullptr);

  /// A run was asked for; the worker is loading the model.
  void showLoading();
  /// The run started: `totalSteps` reverse steps to go.
  void showStarted(int totalSteps);
  /// `frames` frames are recorded so far (frame 0 is x_T).
  void showRecording(int frames, double stepsPerSecond, std::size_t bytes);
  /// The run ended: all `totalSteps` done, or stopped after `stepsDone`.
  void showFinished(bool cancelled, int stepsDone, int totalSteps, double seconds, double stepsPerSecond,
                    std::size_t bytes);
  /// No rate line (a failed run).
  void clearRate();

 private:
  QProgressBar* m_bar;
  QLabel* m_rate;
};

}  // namespace ddpm::ui
