#pragma once

#include <QCoreApplication>
#include <QRgb>
#include <QString>

#include <vector>

namespace ddpm::ui {

class EpsField;
class ImagePanel;
class TrajectoryStore;

/// What the Sampling view's two pictures show for frame k of a run: x_t (an image grid,
/// or the point cloud with the ε̂ field drawn under it when one is given) beside the
/// model's x̂₀, with their titles and captions; before the first frame, a hint. It draws
/// into two ImagePanels that the view owns and lays out.
class TrajectoryPictures {
  Q_DECLARE_TR_FUNCTIONS(TrajectoryPictures)

 public:
  TrajectoryPictures(ImagePanel* sample, ImagePanel* prediction) : m_xt(sample), m_x0(prediction) {}

  /// No frame yet: `placeholder` where x_t will be.
  void showEmpty(const QString& placeholder);
  /// Frame k of `s`; points coloured by `colours` (empty: one colour); `field` (may be
  /// null) drawn at the t of the step taken next from frame k.
  void show(const TrajectoryStore& s, int k, const std::vector<QRgb>& colours, EpsField* field, qreal dpr);
  /// "step k / K · t = … · σ = …" (x_T for frame 0); empty for a frame that is not there.
  static QString frameCaption(const TrajectoryStore& s, int k);
  /// The t whose field frame k shows: the index of the step taken next from it (the last
  /// step's, 0, at x_0); −1 without a trajectory.
  static int fieldTimestep(const TrajectoryStore& s, int k);

 private:
  QString sampleCaption(const TrajectoryStore& s, int k, bool field) const;

  ImagePanel* m_xt;
  ImagePanel* m_x0;
};

}  // namespace ddpm::ui
