#pragma once

#include "ui/shared/studio_view.h"

#include "ui/sampling/exploration.h"
#include "ui/sampling/exploration_panel.h"
#include "ui/sampling/sampling_form.h"
#include "ui/sampling/sampling_settings.h"
#include "ui/sampling/trajectory_pictures.h"
#include "ui/shared/trajectory_player.h"
#include "ui/shared/trajectory_player_bar.h"

#include <QRgb>

#include <memory>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;
class QSpinBox;
class QToolButton;

namespace ddpm::ui {

class CurrentModel;
class EpsField;
class ImagePanel;
class MessageLine;
class ModelLine;
class RunProgress;
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
/// frames as they arrive. Its parts: the settings row (SamplingForm), the player
/// (TrajectoryPlayer and its TrajectoryPlayerBar, shared with the Compare view) and the
/// "what is already decided at step t?" row (ExplorationPanel); the view itself keeps
/// the run, the pictures, the keys and the exports.
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
  int currentFrame() const { return m_player->frame(); }
  void setFrame(int k);
  void stepForward();
  void stepBack();
  void play();
  void pause();
  bool isPlaying() const { return m_player->isPlaying(); }
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
  bool branchFromHere(int branches = 0) { return m_explore->branchFromHere(branches); }
  /// x_t-conditioned reconstruction (the paper's Fig. 7): `source` noised to several t
  /// and denoised back with the controls' sampler settings (computeReconstruction).
  bool reconstruct(const ReconstructionSource& source) { return m_explore->reconstruct(source); }
  /// The same with the source the controls choose.
  bool reconstructFromControls() { return m_explore->reconstructFromControls(); }
  /// Figs. 8–9: test images `first` and `second` noised to t, mixed for `lambdas` values of
  /// λ and denoised with the controls' sampler settings (computeInterpolation).
  bool interpolate(int first, int second, int t, int lambdas) { return m_explore->interpolate(first, second, t, lambdas); }
  bool interpolateFromControls() { return m_explore->interpolateFromControls(); }
  QPushButton* interpolateButton() const { return m_explore->interpolateButton(); }
  bool guidanceStrip(const std::vector<double>& strengths) { return m_explore->guidanceStrip(strengths); }
  bool guidanceStripFromControls() { return m_explore->guidanceStripFromControls(); }
  bool progressive() { return m_explore->progressive(); }
  bool sharedLatent() { return m_explore->sharedLatent(); }
  bool exportExplorationGrid(const QString& path, QString* error, QSize pixels = {}) const {
    return m_explore->exportGrid(path, error, pixels);
  }
  QLineEdit* guidanceStrengthsEdit() const { return m_explore->strengthsEdit(); }
  /// The Fashion-MNIST image number / picture file the controls use.
  void setReconstructionIndex(int index) { m_explore->setReconstructionIndex(index); }
  void setReconstructionFile(const QString& path) { m_explore->setReconstructionFile(path); }
  bool isExploring() const { return m_explore->isExploring(); }
  const SampleGrid& explorationGrid() const { return m_explore->grid(); }
  SampleGridPanel* explorationPanel() const { return m_explore->gridPanel(); }
  QPushButton* branchButton() const { return m_explore->branchButton(); }
  QPushButton* reconstructButton() const { return m_explore->reconstructButton(); }

  /// 2D models: draws ε̂_θ(x, t) of the trajectory's model as arrows (−ε̂, towards the
  /// data) under the particles, at the t of the frame shown (see fieldTimestep).
  void setVectorFieldShown(bool shown) { m_explore->setVectorFieldShown(shown); }
  bool isVectorFieldShown() const { return m_explore->isVectorFieldShown(); }
  /// The t whose field frame k shows: the index of the step taken next from it (the
  /// last step's, 0, at x_0); −1 without a trajectory.
  int fieldTimestep(int k) const { return m_explore->fieldTimestep(k); }
  EpsField* epsField() const { return m_explore->epsField(); }
  QCheckBox* vectorFieldBox() const { return m_explore->vectorFieldBox(); }

  /// The parts.
  SamplingForm* form() const { return m_form; }
  TrajectoryPlayer* player() const { return m_player; }
  TrajectoryPlayerBar* playerBar() const { return m_bar; }
  ExplorationPanel* exploration() const { return m_explore; }

  ImagePanel* sampleXtPanel() const { return m_xtPanel; }
  ImagePanel* predictionPanel() const { return m_x0Panel; }
  QSlider* scrubber() const { return m_bar->scrubber(); }
  QPushButton* sampleButton() const { return m_form->sampleButton(); }
  QPushButton* stopButton() const { return m_form->stopButton(); }
  QToolButton* playButton() const { return m_bar->playButton(); }
  QToolButton* stepButton() const { return m_bar->stepButton(); }
  QToolButton* stepBackButton() const { return m_bar->stepBackButton(); }
  QComboBox* samplerBox() const { return m_form->samplerBox(); }
  QSpinBox* stepsBox() const { return m_form->stepsBox(); }

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
  void build();
  void layOut();
  void connectParts();
  void onModelChanged();
  void onRunStarted();
  void onFramesAdded(int count);
  void onRunFinished(bool cancelled);
  void onRunFailed(const QString& message);
  void showCurrentFrame();
  void renderFrame();
  void updateControls();
  void showMessage(const QString& text, bool error);
  void exportPngInteractive();
  void exportGifInteractive();
  QString frameCaption(int k) const;

  CurrentModel* m_model;
  SamplingSession* m_session;
  TrajectoryPlayer* m_player;
  QString m_trajectoryModel;  // summary of the model the stored trajectory came from
  std::vector<QRgb> m_colours;

  ModelLine* m_modelLine;
  MessageLine* m_message;
  SamplingForm* m_form;
  RunProgress* m_progress;
  ImagePanel* m_xtPanel;
  ImagePanel* m_x0Panel;
  TrajectoryPictures m_pictures;
  TrajectoryPlayerBar* m_bar;
  QPushButton* m_exportPng;
  QPushButton* m_exportGif;
  ExplorationPanel* m_explore;

  int m_frameAfterRun = kNoFrame;  // a frame asked for on the command line
  static constexpr int kNoFrame = -2;
};

}  // namespace ddpm::ui
