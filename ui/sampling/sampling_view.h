#pragma once

#include "ui/shared/studio_view.h"

#include "ui/sampling/exploration.h"
#include "ui/sampling/sampling_settings.h"

#include <QElapsedTimer>
#include <QRgb>
#include <QTimer>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSlider;
class QSpinBox;
class QToolButton;

namespace ddpm {
struct CheckpointData;
}

namespace ddpm::ui {

class CurrentModel;
class EpsField;
class ExplorationSession;
class ImagePanel;
class SampleGridPanel;
class SamplingSession;
class TrajectoryStore;
struct StudioOptions;

/// The Sampling view: watch p_θ turn noise into data. It samples the window's current
/// model (a checkpoint opened or just trained) with DDPM (Algorithm 2) or DDIM, records
/// every step (SamplingSession, on its own thread) and plays the trajectory back: x_t
/// beside the model's x̂0 at each step, images or a 2D point cloud, with Play / Pause /
/// Step / Step back, a speed and a scrubber. Frame k is the state after k reverse steps:
/// frame 0 is x_T ~ N(0, I), frame K (K = T for DDPM, the chosen steps for DDIM) is the
/// sample x_0, so a run records K + 1 frames. While a run goes on, playback follows the
/// frames as they arrive.
class SamplingView : public StudioView {
  Q_OBJECT

 public:
  /// Playback speeds offered, in reverse steps per second.
  static constexpr int kSpeeds[] = {10, 25, 50, 100, 250, 500, 1000};
  /// The GIF export keeps at most this many frames unless told otherwise.
  static constexpr int kGifMaxFrames = 250;

  SamplingView(ScheduleModel* schedule, TimestepCursor* cursor, CurrentModel* model, QWidget* parent = nullptr);
  ~SamplingView() override;

  QString key() const override { return QStringLiteral("sampling"); }
  QString title() const override { return tr("Sampling"); }
  QIcon icon() const override;
  QString formulaHtml() const override;
  QString exportImageName() const override;
  /// Writes the current frame (x_t beside x̂0, with its step and t) as PNG; before any
  /// sampling, the view as seen.
  bool exportImage(const QString& path, QString* error) override;
  void saveState(QSettings& settings) const override;
  void restoreState(QSettings& settings) override;

  /// The recorded trajectory as a looping animated GIF: every frame when there are at
  /// most `maxFrames`, else `maxFrames` of them chosen like the CLI's --trajectory (denser
  /// towards x_0, always the first and last). Returns the frames written (0 on error).
  int exportGif(const QString& path, QString* error, int maxFrames = kGifMaxFrames);

  /// Command-line options (--sampler, --sample-steps, --samples, --seed, --eta, --frame)
  /// and --sample: starts sampling the current model; after the run the view shows
  /// --frame, paused. Returns an error or empty.
  QString applyOptions(const StudioOptions& options);

  SamplingSettings settings() const;
  /// Puts `settings` in the controls (clamped to what the current model allows).
  void setSettings(const SamplingSettings& settings);
  /// Starts sampling the current model with the controls' settings; false (with the
  /// reason shown) when there is no model.
  bool startSampling();
  /// Asks the running sampler to stop before its next step.
  void stopSampling();
  bool isSampling() const;

  /// The frame shown (0 … frames − 1) and moving it; the value is clamped.
  int currentFrame() const { return m_frame; }
  void setFrame(int k);
  void stepForward();
  void stepBack();
  void play();
  void pause();
  bool isPlaying() const { return m_playTimer.isActive(); }
  /// Reverse steps per second while playing.
  int speed() const;
  void setSpeed(int stepsPerSecond);

  const SamplingSession& session() const { return *m_session; }
  const TrajectoryStore& store() const;
  /// The message shown above the pictures (an error or a hint), or empty.
  QString message() const;
  /// The model line at the top (plain text).
  QString modelText() const;

  // "What is already decided at step t?" (beyond the paper; docs/guide.md).
  /// Branching: from the frame shown (paused there), re-draws the noise with `branches`
  /// new seeds (0: the spin box's count) and shows each branch's x₀ beside the trunk's
  /// (computeBranches, on the exploration thread). False, with the reason shown, when
  /// there is no frame with a next step.
  bool branchFromHere(int branches = 0);
  /// x_t-conditioned reconstruction (the paper's Fig. 7): `source` noised to several t
  /// and denoised back with the controls' sampler settings (computeReconstruction).
  bool reconstruct(const ReconstructionSource& source);
  /// The same with the source the controls choose.
  bool reconstructFromControls();
  /// The Fashion-MNIST image number / picture file the controls use.
  void setReconstructionIndex(int index);
  void setReconstructionFile(const QString& path);
  bool isExploring() const;
  const SampleGrid& explorationGrid() const;
  SampleGridPanel* explorationPanel() const { return m_explorePanel; }
  QPushButton* branchButton() const { return m_branch; }
  QPushButton* reconstructButton() const { return m_reconstruct; }

  /// 2D models: draws ε̂_θ(x, t) of the trajectory's model as arrows (−ε̂, towards the
  /// data) under the particles, at the t of the frame shown (see fieldTimestep).
  void setVectorFieldShown(bool shown);
  bool isVectorFieldShown() const;
  /// The t whose field frame k shows: the index of the step taken next from it (the
  /// last step's, 0, at x_0); −1 without a trajectory.
  int fieldTimestep(int k) const;
  EpsField* epsField() const { return m_field.get(); }
  QCheckBox* vectorFieldBox() const { return m_fieldBox; }

  ImagePanel* sampleXtPanel() const { return m_xtPanel; }
  ImagePanel* predictionPanel() const { return m_x0Panel; }
  QSlider* scrubber() const { return m_slider; }
  QPushButton* sampleButton() const { return m_sample; }
  QPushButton* stopButton() const { return m_stop; }
  QToolButton* playButton() const { return m_play; }
  QToolButton* stepButton() const { return m_step; }
  QToolButton* stepBackButton() const { return m_stepBack; }
  QComboBox* samplerBox() const { return m_samplerBox; }
  QSpinBox* stepsBox() const { return m_stepsBox; }

 signals:
  /// The person asked to open a checkpoint (the window shows its file dialog).
  void openCheckpointRequested();
  /// A run ended: finished, stopped or failed (`ok` false for a failure).
  void runEnded(bool ok);
  /// The frame shown changed.
  void frameChanged(int k);
  /// A branching or reconstruction ended (`ok` false for a failure).
  void explorationEnded(bool ok);

 protected:
  /// Left / Right step, Space plays or pauses, Home / End jump to x_T / x₀ while the
  /// view has the focus: they move the trajectory here, not the window's shared t.
  bool event(QEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void showEvent(QShowEvent* event) override;

 private:
  void onModelChanged();
  void onRunStarted();
  void onFramesAdded(int count);
  void onRunFinished(bool cancelled);
  void onRunFailed(const QString& message);
  void tick();
  void renderFrame();
  void updateControls();
  void updateFrameLabel();
  void showMessage(const QString& text, bool error);
  void exportPngInteractive();
  void exportGifInteractive();
  QString frameCaption(int k) const;
  QString describeModel() const;
  void startExploration(const QString& what, std::function<SampleGrid(const std::atomic<bool>*)> job);
  void onExplorationFinished(const SampleGrid& grid, double seconds);
  void onExplorationFailed(const QString& message);
  void updateExploreControls();
  QImage renderSamplePanel(const QSize& canvas, qreal dpr);

  CurrentModel* m_model;
  SamplingSession* m_session;
  QString m_trajectoryModel;  // summary of the model the stored trajectory came from
  std::vector<QRgb> m_colours;

  QLabel* m_modelLabel;
  QPushButton* m_openCheckpoint;
  QLabel* m_message;
  QComboBox* m_samplerBox;
  QSpinBox* m_stepsBox;
  QDoubleSpinBox* m_etaBox;
  QComboBox* m_varianceBox;
  QCheckBox* m_clipBox;
  QSpinBox* m_seedBox;
  QSpinBox* m_samplesBox;
  QPushButton* m_sample;
  QPushButton* m_stop;
  QProgressBar* m_progress;
  QLabel* m_rateLabel;
  ImagePanel* m_xtPanel;
  ImagePanel* m_x0Panel;
  QToolButton* m_stepBack;
  QToolButton* m_play;
  QToolButton* m_step;
  QSlider* m_slider;
  QLabel* m_frameLabel;
  QComboBox* m_speedBox;
  QPushButton* m_exportPng;
  QPushButton* m_exportGif;
  QPushButton* m_branch;
  QSpinBox* m_branchCount;
  QPushButton* m_reconstruct;
  QComboBox* m_reconSource;
  QSpinBox* m_reconIndex;
  QPushButton* m_reconFile;
  QString m_reconPath;
  QCheckBox* m_fieldBox;
  QLabel* m_exploreStatus;
  QToolButton* m_exploreClose;
  SampleGridPanel* m_explorePanel;
  ExplorationSession* m_exploration;
  std::shared_ptr<const CheckpointData> m_trajectoryCheckpoint;  // the model the stored trajectory came from
  std::unique_ptr<EpsField> m_field;  // of m_trajectoryCheckpoint, built when first shown
  int m_branchRound = 0;  // each Branch from here draws new seeds
  bool m_exploreIsBranch = false;  // the grid shown or coming is branches (else a reconstruction)

  QTimer m_playTimer;
  QElapsedTimer m_playClock;
  double m_playPosition = 0;
  int m_frame = 0;
  int m_frameAfterRun = kNoFrame;  // a frame asked for on the command line
  static constexpr int kNoFrame = -2;
  bool m_imagesModel = true;  // the current model makes images (else 2D points)
};

}  // namespace ddpm::ui
