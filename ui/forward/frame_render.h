#pragma once

#include <QImage>
#include <QRgb>
#include <QSize>

#include <cstddef>
#include <vector>

namespace ddpm::ui {

struct ForwardBatch;

/// Values shown as grey levels or colours: [−1, 1] ↦ 0..255, clamped (as images are
/// saved); values beyond ±1 saturate.
QImage renderImageGrid(const float* values, const ForwardBatch& shape, int columns, int padding = 2);

/// Columns of the near-square grid used for `count` images (16 → 4).
int gridColumns(int count);

/// The square of the plane shown for 2D data: [−kPointsExtent, kPointsExtent]².
constexpr double kPointsExtent = 3.6;

/// Draws N points (x, y interleaved) on a square canvas of `pixels` device pixels (at
/// `devicePixelRatio`), with a light grid and the 1σ/2σ/3σ circles of N(0, I) so the
/// eye can judge how Gaussian the cloud is. `colours` holds one colour per point.
QImage renderPointCloud(const float* xy, int count, const std::vector<QRgb>& colours, QSize pixels,
                        qreal devicePixelRatio);

/// One colour per point from the angle of its x₀ around the origin, so a point keeps its
/// colour as it diffuses and the eye can follow where each part of the data goes.
std::vector<QRgb> pointColours(const float* xy, int count);

/// A histogram normalised as a density (area 1 over all values, including those outside
/// [low, high], which fall in no bin): bins equal-width over [low, high].
std::vector<double> histogramDensity(const float* values, std::size_t count, double low, double high, int bins);

/// Mean and (population) variance of `values`, in double.
struct MomentPair {
  double mean = 0;
  double variance = 0;
};
MomentPair moments(const float* values, std::size_t count);

}  // namespace ddpm::ui
