#pragma once

#include "ui/sampling/exploration.h"

#include <QRgb>
#include <QString>
#include <QSize>
#include <QWidget>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QToolButton;

namespace ddpm {
struct CheckpointData;
}

namespace ddpm::ui {

class CurrentModel;
class EpsField;
class ExplorationSession;
class SampleGridPanel;
class SamplingForm;
class SamplingSession;

/// "What is already decided at step t?" (beyond the paper; docs/guide.md), the row under
/// the Sampling view's player: branching from the frame shown (the trunk is the run of
/// `trunk`), the x_t-conditioned reconstruction of the paper's Fig. 7 with the form's
/// sampler settings, and the ε̂_θ(x, t) field of the trunk's model for 2D points. Branches
/// a second row for image models, the paper's interpolation of two test images (Figs. 8–9).
/// Branches, reconstructions and interpolations run on their own thread (ExplorationSession) and show in
/// gridPanel(), which the view lays out beside its pictures.
class ExplorationPanel : public QWidget {
  Q_OBJECT

 public:
  ExplorationPanel(CurrentModel* model, SamplingSession* trunk, SamplingForm* form, QWidget* parent);
  ~ExplorationPanel() override;

  SampleGridPanel* gridPanel() const { return m_grid; }

  /// A new trunk run from `checkpoint` begins: branches and the ε̂ field follow its model.
  void setTrunk(std::shared_ptr<const CheckpointData> checkpoint);
  /// The trunk's colours per point (where each ends), kept by its branches.
  void setTrunkColours(const std::vector<QRgb>& colours) { m_trunkColours = colours; }
  /// The frame of the trunk shown, the one a branch starts from.
  void setFrame(int k);
  /// What can be reconstructed follows what the model makes (images or 2D points).
  void fitModel(bool images);
  void updateControls();

  /// See SamplingView::branchFromHere, reconstruct and reconstructFromControls.
  bool branchFromHere(int branches = 0);
  bool reconstruct(const ReconstructionSource& source);
  bool reconstructFromControls();
  /// Figs. 8–9: the row's two test images, t and λ count (computeInterpolation).
  bool interpolate(int first, int second, int t, int lambdas);
  bool interpolateFromControls();
  /// The same seed at each guidance strength (computeGuidanceStrip), shown in the grid;
  /// false (with a message) without a model or a class, or for a strength list that does
  /// not read as numbers.
  bool guidanceStrip(const std::vector<double>& strengths);
  bool guidanceStripFromControls();
  /// The paper's Fig. 6 (progressive generation) and Fig. 7 (shared latents at t = 1000,
  /// 750, 500, 250, three runs each) with the settings above; false (with a message)
  /// without a model or for a 2D one.
  bool progressive();
  bool sharedLatent();
  /// Writes the grid shown as a PNG of `pixels` (the panel's size when empty); false with
  /// the reason in *error.
  bool exportGrid(const QString& path, QString* error, QSize pixels = {}) const;
  void setReconstructionIndex(int index);
  void setReconstructionFile(const QString& path);
  bool isExploring() const;
  const SampleGrid& grid() const;

  void setVectorFieldShown(bool shown);
  bool isVectorFieldShown() const;
  /// The t whose field frame k shows: the index of the step taken next from it (the
  /// last step's, 0, at x_0); −1 without a trajectory.
  int fieldTimestep(int k) const;
  /// The ε̂ field of the trunk's model, built when first asked for; nullptr without a
  /// trunk or when it cannot be built (a message says why).
  EpsField* field();
  EpsField* epsField() const { return m_field.get(); }

  QPushButton* branchButton() const { return m_branch; }
  QPushButton* reconstructButton() const { return m_reconstruct; }
  QPushButton* interpolateButton() const { return m_interpolate; }
  QSpinBox* interpolationFirstBox() const { return m_interpFirst; }
  QSpinBox* interpolationSecondBox() const { return m_interpSecond; }
  QSpinBox* interpolationTBox() const { return m_interpT; }
  QSpinBox* interpolationLambdasBox() const { return m_interpLambdas; }
  QPushButton* guidanceStripButton() const { return m_strip; }
  QPushButton* progressiveButton() const { return m_progressive; }
  QPushButton* sharedLatentButton() const { return m_sharedLatent; }
  QToolButton* exportButton() const { return m_export; }
  QLineEdit* strengthsEdit() const { return m_strengths; }
  QCheckBox* vectorFieldBox() const { return m_fieldBox; }

 signals:
  /// A message for above the pictures (an error or a hint); empty clears it.
  void messageRequested(const QString& text, bool error);
  /// A branching or reconstruction is about to start: the player should stop.
  void pauseRequested();
  /// The ε̂ field was switched on or off.
  void fieldToggled();
  /// A branching or reconstruction ended (`ok` false for a failure).
  void explorationEnded(bool ok);

 private:
  void build();
  void layOut();
  void connectControls();
  void chooseFile();
  void close();
  bool startImageFigure(const QString& what, std::function<SampleGrid(const std::atomic<bool>*)> job);
  void startExploration(const QString& what, std::function<SampleGrid(const std::atomic<bool>*)> job);
  void onFinished(const SampleGrid& grid, double seconds);
  void onFailed(const QString& message);

  CurrentModel* m_model;
  SamplingSession* m_trunk;
  SamplingForm* m_form;
  QPushButton* m_branch;
  QSpinBox* m_branchCount;
  QPushButton* m_reconstruct;
  QComboBox* m_reconSource;
  QSpinBox* m_reconIndex;
  QPushButton* m_reconFile;
  QCheckBox* m_fieldBox;
  QWidget* m_interpRow;  // images only
  QPushButton* m_interpolate;
  QSpinBox* m_interpFirst;
  QSpinBox* m_interpSecond;
  QSpinBox* m_interpT;
  QSpinBox* m_interpLambdas;
  QPushButton* m_strip;
  QPushButton* m_progressive;
  QPushButton* m_sharedLatent;
  QToolButton* m_export;
  std::vector<QRgb> m_gridColours;  // the colours the grid shown was drawn with
  QLineEdit* m_strengths;
  QLabel* m_status;
  QToolButton* m_close;
  SampleGridPanel* m_grid;
  ExplorationSession* m_exploration;
  QString m_reconPath;
  std::shared_ptr<const CheckpointData> m_trunkCheckpoint;  // the model the trunk came from
  std::unique_ptr<EpsField> m_field;  // of m_trunkCheckpoint, built when first shown
  std::vector<QRgb> m_trunkColours;
  int m_frame = 0;
  int m_branchRound = 0;  // each Branch from here draws new seeds
  bool m_isBranch = false;  // the grid shown or coming is branches (else a reconstruction)
};

}  // namespace ddpm::ui
