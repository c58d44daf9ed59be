#include "ui/sampling/sample_grid.h"

#include "ui/shared/frame_render.h"
#include "ui/sampling/trajectory_frame.h"

#include <QColor>
#include <QFont>
#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace ddpm::ui {

namespace {

QImage renderImageCell(const std::vector<float>& values, const SampleGrid& grid) {
  QImage image(grid.width, grid.height, QImage::Format_RGB32);
  const std::size_t plane = static_cast<std::size_t>(grid.height) * grid.width;
  if (values.size() < plane * static_cast<std::size_t>(grid.channels)) return {};
  for (int y = 0; y < grid.height; ++y) {
    auto* line = reinterpret_cast<QRgb*>(image.scanLine(y));
    for (int x = 0; x < grid.width; ++x) {
      const std::size_t p = static_cast<std::size_t>(y) * grid.width + x;
      if (grid.channels == 1) {
        const int g = quantiseUnit(values[p]);
        line[x] = qRgb(g, g, g);
      } else {
        line[x] = qRgb(quantiseUnit(values[p]), quantiseUnit(values[plane + p]), quantiseUnit(values[2 * plane + p]));
      }
    }
  }
  return image;
}

}  // namespace

QImage renderSampleGrid(const SampleGrid& grid, QSize pixels, qreal devicePixelRatio, const std::vector<QRgb>& colours) {
  if (grid.isEmpty() || grid.rows < 1 || grid.columns < 1) return {};
  const double dpr = std::max<qreal>(1.0, devicePixelRatio);
  const bool images = grid.kind == SampleGrid::Kind::Images;
  QFont font;
  font.setPixelSize(static_cast<int>(std::round(12 * dpr)));
  const QFontMetricsF metrics(font);
  const double line = std::ceil(metrics.height() + 4 * dpr);
  double labelWidth = 0;
  for (const QString& label : grid.rowLabels) labelWidth = std::max(labelWidth, metrics.horizontalAdvance(label));
  if (labelWidth > 0) labelWidth += 8 * dpr;
  const double gap = std::round(4 * dpr);
  const double margin = std::round(6 * dpr);
  const double top = margin + 2 * line;  // title, then the column labels
  const double width = std::max(64, pixels.width()), height = std::max(64, pixels.height());
  double cell = std::min((width - 2 * margin - labelWidth - (grid.columns - 1) * gap) / grid.columns,
                         (height - top - margin - (grid.rows - 1) * gap) / grid.rows);
  cell = std::max(8.0, std::floor(cell));
  if (images && cell >= grid.width) cell = std::floor(cell / grid.width) * grid.width;  // whole-factor zoom
  const int w = static_cast<int>(std::ceil(2 * margin + labelWidth + grid.columns * cell + (grid.columns - 1) * gap));
  const int h = static_cast<int>(std::ceil(top + margin + grid.rows * cell + (grid.rows - 1) * gap));
  QImage canvas(w, h, QImage::Format_ARGB32_Premultiplied);  // a long title is elided, never widens the table
  const QColor sheet = images ? QColor(0x20, 0x20, 0x20) : QColor(Qt::white);
  const QColor ink = images ? QColor(0xe8, 0xe8, 0xe8) : QColor(0x30, 0x30, 0x30);
  canvas.fill(sheet);
  QPainter painter(&canvas);
  painter.setFont(font);
  painter.setPen(ink);
  painter.drawText(QRectF(margin, margin, canvas.width() - 2 * margin, line), Qt::AlignLeft | Qt::AlignVCenter,
                   metrics.elidedText(grid.title, Qt::ElideRight, canvas.width() - 2 * margin));
  const QColor muted = images ? QColor(0xb0, 0xb4, 0xbc) : QColor(0x60, 0x66, 0x70);
  painter.setPen(muted);
  for (int c = 0; c < grid.columns && c < grid.columnLabels.size(); ++c) {
    const QRectF box(margin + labelWidth + c * (cell + gap) - gap / 2, margin + line, cell + gap, line);
    painter.drawText(box, Qt::AlignHCenter | Qt::AlignVCenter,
                     metrics.elidedText(grid.columnLabels[c], Qt::ElideRight, box.width()));
  }
  for (int r = 0; r < grid.rows; ++r) {
    const double y = top + r * (cell + gap);
    if (r < grid.rowLabels.size()) {
      painter.setPen(muted);
      painter.drawText(QRectF(margin, y, labelWidth - 6 * dpr, cell), Qt::AlignRight | Qt::AlignVCenter,
                       grid.rowLabels[r]);
    }
    for (int c = 0; c < grid.columns; ++c) {
      const QRectF target(margin + labelWidth + c * (cell + gap), y, cell, cell);
      const std::size_t index = static_cast<std::size_t>(r) * grid.columns + c;
      if (index >= grid.cells.size() || grid.cells[index].empty()) continue;
      const std::vector<float>& values = grid.cells[index];
      if (images) {
        const QImage picture = renderImageCell(values, grid);
        if (picture.isNull()) continue;
        painter.setRenderHint(QPainter::SmoothPixmapTransform, cell < grid.width);
        painter.drawImage(target, picture);
      } else {
        const int n = static_cast<int>(values.size() / 2);
        QImage cloud = renderPointCloud(values.data(), n, colours, QSize(static_cast<int>(cell), static_cast<int>(cell)), 1.0);
        cloud.setDevicePixelRatio(1.0);
        painter.drawImage(target.topLeft(), cloud);
        painter.setPen(QPen(QColor(0xd0, 0xd4, 0xdc), 1));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(target.adjusted(0, 0, -1, -1));
      }
      if (static_cast<int>(index) < grid.cellLabels.size() && !grid.cellLabels[static_cast<int>(index)].isEmpty()) {
        const QString label = grid.cellLabels[static_cast<int>(index)];
        const QRectF tag(target.left() + 3 * dpr, target.top() + 3 * dpr, metrics.horizontalAdvance(label) + 8 * dpr,
                         metrics.height() + 2 * dpr);
        painter.setPen(Qt::NoPen);
        painter.setBrush(images ? QColor(0, 0, 0, 170) : QColor(255, 255, 255, 225));
        painter.drawRoundedRect(tag, 2 * dpr, 2 * dpr);
        painter.setPen(ink);
        painter.drawText(tag, Qt::AlignCenter, label);
      }
    }
  }
  painter.end();
  canvas.setDevicePixelRatio(dpr);
  return canvas;
}

}  // namespace ddpm::ui
