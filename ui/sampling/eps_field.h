#pragma once

#include "ui/shared/frame_render.h"

#include <QPointF>

#include <map>
#include <memory>
#include <vector>

class QPainter;

namespace ddpm {
struct CheckpointData;
}

namespace ddpm::ui {

/// The predicted noise ε_θ(x, t) of a 2D model over the plotted square, on a regular
/// side × side grid: the field the particles of the Sampling view move through. A reverse
/// step moves x_t along −ε̂ (x_{t−1} ≈ (x_t − β_t/√(1 − ᾱ_t) ε̂)/√α_t, Algorithm 2), and
/// −ε̂/√(1 − ᾱ_t) is the model's score, so arrows along −ε̂ point towards the data.
/// The network (an MLP: one call on 625 points takes about a millisecond) runs on the
/// calling thread, once per t; every t asked for stays cached.
class EpsField {
 public:
  static constexpr int kDefaultSide = 25;

  /// Loads the checkpoint's network on the CPU. Throws ddpm::Error for a model that does
  /// not make 2D points.
  explicit EpsField(const CheckpointData& checkpoint, int side = kDefaultSide, double extent = kPointsExtent);
  ~EpsField();
  EpsField(const EpsField&) = delete;
  EpsField& operator=(const EpsField&) = delete;

  int side() const { return m_side; }
  double extent() const { return m_extent; }
  /// Distance between neighbouring grid points.
  double spacing() const { return 2 * m_extent / m_side; }
  /// Grid point `index` = j · side + i at the centre of its cell: x = −extent + (i + ½)·spacing,
  /// y likewise with j.
  QPointF point(int index) const;
  /// ε̂ at every grid point for code index t: side² pairs (ε_x, ε_y), interleaved.
  const std::vector<float>& at(int t);
  /// How many t are cached, and the milliseconds of the last network call.
  int cachedCount() const { return static_cast<int>(m_cache.size()); }
  double lastMilliseconds() const { return m_lastMs; }

 private:
  struct Network;
  std::unique_ptr<Network> m_network;
  int m_side;
  double m_extent;
  int m_steps = 0;
  std::map<int, std::vector<float>> m_cache;
  double m_lastMs = 0;
};

/// The longest arrow of a field, as a fraction of the grid spacing: lengths are ‖ε̂‖
/// scaled per t so that the largest ‖ε̂‖ on the grid gets this length (‖ε̂‖ ranges from
/// about 1 near t = T to hundreds off the data near t = 0, so one fixed scale would
/// leave every arrow either a dot or capped).
constexpr double kLongestArrow = 0.9;

/// Draws −ε̂ at each grid point as an arrow centred on it (length ∝ ‖ε̂‖, see
/// kLongestArrow), in light slate under the points, with a legend in the bottom-left
/// corner that names t and shows the longest arrow's ‖ε̂‖. Meant as the underlay of
/// renderPointCloud.
void drawEpsField(QPainter& painter, EpsField& field, int t, const PlaneToCanvas& map, double scale, double dpr);

}  // namespace ddpm::ui
