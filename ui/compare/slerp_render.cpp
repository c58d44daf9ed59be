#include "ui/compare/slerp_render.h"

#include "ui/compare/ab_comparison.h"
#include "ui/compare/slerp_strip.h"
#include "ui/shared/frame_render.h"

#include <QColor>
#include <QFont>
#include <QLocale>
#include <QPainter>
#include <QString>

#include <algorithm>
#include <cmath>

namespace ddpm::ui {

QRgb lambdaColour(double lambda) {
  lambda = std::clamp(lambda, 0.0, 1.0);
  const QColor a(runColourA()), b(runColourB()), mid(0x80, 0x80, 0x80);
  auto mix = [](const QColor& x, const QColor& y, double f) {
    return qRgb(static_cast<int>(std::lround(x.red() + (y.red() - x.red()) * f)),
                static_cast<int>(std::lround(x.green() + (y.green() - x.green()) * f)),
                static_cast<int>(std::lround(x.blue() + (y.blue() - x.blue()) * f)));
  };
  return lambda < 0.5 ? mix(a, mid, 2 * lambda) : mix(mid, b, 2 * lambda - 1);
}

QImage renderSlerpStrip(const SlerpStrip& strip, QSize pixels, qreal devicePixelRatio) {
  if (strip.isEmpty()) return {};
  const TrajectoryLayout& layout = strip.layout;
  const int k = strip.count();
  const int n = layout.count;
  if (layout.isImages()) {
    // Grid cell i: row = pair i / k, column = λ index i % k.
    return renderGrid(k * n, layout.channels, layout.height, layout.width, k, 2, [&](int i, std::size_t offset) {
      const float* values = strip.sample(i % k, i / k);
      return static_cast<int>(quantiseUnit(values[offset]));
    });
  }
  std::vector<float> xy;
  std::vector<QRgb> colours;
  xy.reserve(static_cast<std::size_t>(2 * k * n));
  for (int j = 0; j < k; ++j) {
    for (int i = 0; i < n; ++i) {
      const float* p = strip.sample(j, i);
      xy.push_back(p[0]);
      xy.push_back(p[1]);
      colours.push_back(lambdaColour(strip.lambdas[static_cast<std::size_t>(j)]));
    }
  }
  return renderPointCloud(xy.data(), k * n, colours, pixels, devicePixelRatio);
}

QImage composeSlerpStrip(const SlerpStrip& strip, int cellSide, const QString& caption) {
  if (strip.isEmpty()) return {};
  const TrajectoryLayout& layout = strip.layout;
  const bool images = layout.isImages();
  const int k = strip.count();
  QImage picture;
  int columnWidth = 0, columnStep = 0, firstColumn = 0;
  if (images) {
    picture = renderSlerpStrip(strip, {}, 1.0);
    const int zoom = std::max(1, cellSide / std::max(layout.width, layout.height));
    picture = picture.scaled(picture.size() * zoom, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    columnWidth = layout.width * zoom;
    columnStep = (layout.width + 2) * zoom;
    firstColumn = 2 * zoom;
  } else {
    picture = renderSlerpStrip(strip, QSize(4 * cellSide, 4 * cellSide), 1.0);
  }
  const int margin = 10, text = 22;
  const int legend = images ? text : 2 * text;
  QImage out(2 * margin + picture.width(), 2 * margin + text + picture.height() + legend, QImage::Format_RGB32);
  out.fill(images ? QColor(0x20, 0x20, 0x20) : QColor(Qt::white));
  QPainter p(&out);
  QFont font = p.font();
  font.setPixelSize(13);
  p.setFont(font);
  const QColor ink = images ? QColor(0xe8, 0xe8, 0xe8) : QColor(0x30, 0x30, 0x30);
  p.setPen(ink);
  p.drawText(QRect(margin, margin, out.width() - 2 * margin, text - 4), Qt::AlignLeft | Qt::AlignVCenter, caption);
  p.drawImage(margin, margin + text, picture);
  const int below = margin + text + picture.height();
  if (images) {
    for (int j = 0; j < k; ++j) {
      const QString label = QStringLiteral("λ = ") + QLocale().toString(strip.lambdas[static_cast<std::size_t>(j)], 'g', 3);
      p.drawText(QRect(margin + firstColumn + j * columnStep - 4, below, columnWidth + 8, text),
                 Qt::AlignHCenter | Qt::AlignVCenter, label);
    }
  } else {
    // A colour bar for λ.
    const int barX = margin, barW = picture.width(), barY = below + 4, barH = 10;
    for (int x = 0; x < barW; ++x) {
      p.setPen(QColor(lambdaColour(static_cast<double>(x) / std::max(1, barW - 1))));
      p.drawLine(barX + x, barY, barX + x, barY + barH);
    }
    p.setPen(ink);
    p.drawText(QRect(barX, barY + barH, barW, text), Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("λ = 0 (seed A)"));
    p.drawText(QRect(barX, barY + barH, barW, text), Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("λ = 1 (seed B)"));
  }
  return out;
}

}  // namespace ddpm::ui
