#pragma once

#include <QImage>
#include <QPointF>
#include <QRgb>
#include <QSize>

#include <cstddef>
#include <functional>
#include <vector>

class QPainter;

namespace ddpm::ui {

struct ForwardBatch;

/// Values shown as grey levels or colours: [−1, 1] ↦ 0..255, clamped (as images are
/// saved); values beyond ±1 saturate.
QImage renderImageGrid(const float* values, const ForwardBatch& shape, int columns, int padding = 2);

/// Columns of the near-square grid used for `count` images (16 → 4).
int gridColumns(int count);

/// The background between the images of a grid.
QRgb gridBackground();

/// A blank grid canvas for `count` images of h × w in `columns` columns, `padding`
/// pixels apart (columns already clamped to 1..count).
QImage gridCanvas(int count, int height, int width, int columns, int padding);

/// Lays `count` images of channels × height × width (1: grey, 3: RGB) out in a grid;
/// `level(i, offset)` is the 0..255 level of image i at `offset` = channel·h·w + y·w + x.
/// The one grid layout behind renderImageGrid and the sampling trajectory's grids.
template <class Level>
QImage renderGrid(int count, int channels, int height, int width, int columns, int padding, Level level) {
  if (count <= 0) return {};
  columns = columns < 1 ? 1 : (columns > count ? count : columns);
  QImage image = gridCanvas(count, height, width, columns, padding);
  const std::size_t plane = static_cast<std::size_t>(height) * width;
  for (int i = 0; i < count; ++i) {
    const int top = padding + (i / columns) * (height + padding);
    const int left = padding + (i % columns) * (width + padding);
    for (int y = 0; y < height; ++y) {
      auto* line = reinterpret_cast<QRgb*>(image.scanLine(top + y)) + left;
      for (int x = 0; x < width; ++x) {
        const std::size_t p = static_cast<std::size_t>(y) * width + x;
        if (channels == 1) {
          const int g = level(i, p);
          line[x] = qRgb(g, g, g);
        } else {
          line[x] = qRgb(level(i, p), level(i, plane + p), level(i, 2 * plane + p));
        }
      }
    }
  }
  return image;
}

/// The square of the plane shown for 2D data: [−kPointsExtent, kPointsExtent]².
constexpr double kPointsExtent = 3.6;

/// Draws N points (x, y interleaved) on a square canvas of `pixels` device pixels (at
/// `devicePixelRatio`), with a light grid and the 1σ/2σ/3σ circles of N(0, I) so the
/// eye can judge how Gaussian the cloud is. `colours` holds one colour per point.
QImage renderPointCloud(const float* xy, int count, const std::vector<QRgb>& colours, QSize pixels,
                        qreal devicePixelRatio);

/// Maps a point of the plane to canvas device pixels (see renderPointCloud).
using PlaneToCanvas = std::function<QPointF(double x, double y)>;
/// Draws under the points of renderPointCloud, on its backdrop: gets the painter, the
/// plane-to-canvas map, the pixels per plane unit and the device pixel ratio.
using PointCloudUnderlay = std::function<void(QPainter& painter, const PlaneToCanvas& map, double scale, double dpr)>;
/// renderPointCloud with `underlay` drawn between the backdrop and the points (e.g. the
/// Sampling view's ε̂ field, which the points move through).
QImage renderPointCloud(const float* xy, int count, const std::vector<QRgb>& colours, QSize pixels,
                        qreal devicePixelRatio, const PointCloudUnderlay& underlay);

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
