#pragma once

#include <QImage>
#include <QRgb>
#include <QSize>
#include <QString>

#include <cstdint>
#include <vector>

namespace ddpm::ui {

class TrajectoryStore;
struct TrajectoryLayout;

/// Which state of a frame to draw: the sample x_t or the model's prediction x̂0.
enum class TrajectoryLayer { Sample, Prediction };

/// Images stored as grey levels (see quantiseUnit) tiled into a grid with `columns` per
/// row and `padding` pixels between, on the same dark background as the Forward view's
/// grids; one pixel per data pixel (ImagePanel scales it by whole factors).
QImage renderLevelGrid(const std::uint8_t* levels, const TrajectoryLayout& layout, int columns, int padding = 2);

/// One layer of frame k: an image grid (images) or a point cloud on a square canvas of
/// `pixels` (points; coloured with `colours`, one per point, or one blue when empty).
/// A null QImage when the frame has no such layer (x̂0 of frame 0).
QImage renderTrajectoryLayer(const TrajectoryStore& store, int k, TrajectoryLayer layer, QSize pixels,
                             qreal devicePixelRatio, const std::vector<QRgb>& colours = {});

/// The titles of frame k's two pictures, in the Sampling view and in exported frames:
/// "x_T ~ N(0, I): pure noise", "xₜ after step k of K (t = …)" or "x₀: the sample, …";
/// "Predicted x̂₀ at t = …" (or "Predicted x̂₀" for frame 0, which has none).
QString sampleTitle(const TrajectoryStore& store, int k);
QString predictionTitle(const TrajectoryStore& store, int k);

/// Frame k as one picture for export: x_t and x̂0 side by side, each under its title
/// (sampleTitle, predictionTitle), under a line of text (`caption`), images zoomed by whole factors to about `panelSide` pixels, point clouds
/// drawn at that size. Grey images give a grey picture (r = g = b everywhere).
QImage composeTrajectoryFrame(const TrajectoryStore& store, int k, int panelSide, const QString& caption,
                              const std::vector<QRgb>& colours = {});

}  // namespace ddpm::ui
