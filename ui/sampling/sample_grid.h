#pragma once

#include <QImage>
#include <QMetaType>
#include <QRgb>
#include <QSize>
#include <QString>
#include <QStringList>

#include <vector>

namespace ddpm::ui {

/// A table of end states for the Sampling view's "what is already decided?" experiments
/// (branching, x_t-conditioned reconstruction): rows × columns cells, each one image
/// C × H × W or one cloud of N 2D points, values in the space the diffusion acts in
/// (images in [−1, 1]). Plain values, so it crosses threads.
struct SampleGrid {
  enum class Kind { Empty, Images, Points };

  Kind kind = Kind::Empty;
  int channels = 0;  ///< images: 1 or 3; points: 2
  int height = 1;    ///< images only
  int width = 1;     ///< images only
  int points = 0;    ///< points: N per cell
  int rows = 0;
  int columns = 0;
  QString title;            ///< one line above the table
  QStringList rowLabels;    ///< one per row (may be empty strings)
  QStringList columnLabels; ///< one per column
  QStringList cellLabels;   ///< optional, one per cell (row-major), drawn in the cell's corner
  std::vector<std::vector<float>> cells;  ///< row-major, rows × columns

  bool isEmpty() const { return cells.empty(); }
  /// Cell (row, column); cells past the end of a ragged last row are empty.
  const std::vector<float>& cell(int row, int column) const {
    return cells[static_cast<std::size_t>(row) * static_cast<std::size_t>(columns) + static_cast<std::size_t>(column)];
  }
};

/// The table as one picture of about `pixels` (device pixels at `devicePixelRatio`): column
/// labels on top, row labels on the left, images zoomed by whole factors on a dark sheet,
/// point clouds (coloured with `colours`, one per point) on white.
QImage renderSampleGrid(const SampleGrid& grid, QSize pixels, qreal devicePixelRatio,
                        const std::vector<QRgb>& colours = {});

}  // namespace ddpm::ui

Q_DECLARE_METATYPE(ddpm::ui::SampleGrid)
