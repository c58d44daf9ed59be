#include "ui/shared/frame_render.h"

#include "ui/forward/forward_batch.h"

#include <QColor>
#include <QHash>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace ddpm::ui {

namespace {

inline int toByte(float v) {
  // [−1, 1] → 0..255 with rounding, as core's PNG grids do: (clamp(v) + 1) · 127.5.
  const float c = std::clamp(v, -1.0f, 1.0f);
  return static_cast<int>(std::lround((c + 1.0f) * 127.5f));
}

const QColor kGridBackground(0x2b, 0x30, 0x3a);

// An antialiased translucent disc of `radius` device pixels, centred in a small square.
// Stamping cached discs is several times faster than thousands of antialiased ellipses.
const QImage& discSprite(QRgb colour, double radius) {
  thread_local QHash<quint64, QImage> cache;
  const quint64 key = (static_cast<quint64>(colour) << 16) | static_cast<quint64>(std::lround(radius * 64));
  auto it = cache.constFind(key);
  if (it != cache.constEnd()) return *it;
  if (cache.size() > 1024) cache.clear();
  const int side = static_cast<int>(std::ceil(2 * radius)) + 2;
  QImage sprite(side, side, QImage::Format_ARGB32_Premultiplied);
  sprite.fill(Qt::transparent);
  QPainter painter(&sprite);
  painter.setRenderHint(QPainter::Antialiasing, true);
  painter.setPen(Qt::NoPen);
  painter.setBrush(QColor(qRed(colour), qGreen(colour), qBlue(colour), 190));
  painter.drawEllipse(QPointF(side / 2.0, side / 2.0), radius, radius);
  painter.end();
  return *cache.insert(key, sprite);
}

}  // namespace

int gridColumns(int count) {
  return std::max(1, static_cast<int>(std::ceil(std::sqrt(static_cast<double>(std::max(1, count))))));
}

QRgb gridBackground() {
  return kGridBackground.rgb();
}

QImage gridCanvas(int count, int height, int width, int columns, int padding) {
  const int rows = (count + columns - 1) / columns;
  QImage image(columns * width + (columns + 1) * padding, rows * height + (rows + 1) * padding, QImage::Format_RGB32);
  image.fill(kGridBackground);
  return image;
}

QImage renderImageGrid(const float* values, const ForwardBatch& shape, int columns, int padding) {
  if (values == nullptr) return {};
  const std::size_t perImage = static_cast<std::size_t>(shape.channels) * shape.height * shape.width;
  return renderGrid(shape.count, shape.channels, shape.height, shape.width, columns, padding,
                    [&](int i, std::size_t offset) { return toByte(values[i * perImage + offset]); });
}

std::vector<QRgb> pointColours(const float* xy, int count) {
  std::vector<QRgb> colours(static_cast<std::size_t>(std::max(0, count)));
  for (int i = 0; i < count; ++i) {
    const double angle = std::atan2(xy[2 * i + 1], xy[2 * i]);  // −π..π
    // 72 hues (5° apart) look continuous and keep the set of disc sprites small.
    const double hue = std::fmod(std::round((angle + M_PI) / (2 * M_PI) * 72.0) / 72.0, 1.0);
    colours[static_cast<std::size_t>(i)] = QColor::fromHsvF(static_cast<float>(hue), 0.78f, 0.82f).rgb();
  }
  return colours;
}

QImage renderPointCloud(const float* xy, int count, const std::vector<QRgb>& colours, QSize pixels,
                        qreal devicePixelRatio) {
  return renderPointCloud(xy, count, colours, pixels, devicePixelRatio, PointCloudUnderlay());
}

QImage renderPointCloud(const float* xy, int count, const std::vector<QRgb>& colours, QSize pixels,
                        qreal devicePixelRatio, const PointCloudUnderlay& underlay) {
  const int side = std::max(16, std::min(pixels.width(), pixels.height()));
  const double dpr = std::max<qreal>(1.0, devicePixelRatio);
  const double scale = side / (2 * kPointsExtent);
  auto map = [&](double x, double y) { return QPointF((x + kPointsExtent) * scale, (kPointsExtent - y) * scale); };

  // The backdrop (grid, σ circles) depends only on the size: drawn once per size, then copied.
  thread_local QHash<quint64, QImage> backdrops;
  const quint64 key = (static_cast<quint64>(side) << 16) | static_cast<quint64>(std::lround(dpr * 64));
  if (!backdrops.contains(key)) {
    if (backdrops.size() >= 8) backdrops.clear();  // sizes of the few panels on screen
    QImage backdrop(side, side, QImage::Format_ARGB32_Premultiplied);
    backdrop.fill(Qt::white);
    QPainter p(&backdrop);
    p.setRenderHint(QPainter::Antialiasing, true);
    // Grid at integers, axes darker.
    for (int k = -3; k <= 3; ++k) {
      p.setPen(QPen(k == 0 ? QColor(0xc4, 0xc9, 0xd2) : QColor(0xea, 0xec, 0xf0), dpr));
      p.drawLine(map(k, -kPointsExtent), map(k, kPointsExtent));
      p.drawLine(map(-kPointsExtent, k), map(kPointsExtent, k));
    }
    // 1σ, 2σ, 3σ circles of N(0, I): where x_T's points are expected to end up.
    p.setPen(QPen(QColor(0xd6, 0x3d, 0x3d, 150), 1.2 * dpr, Qt::DashLine));
    p.setBrush(Qt::NoBrush);
    for (int r = 1; r <= 3; ++r) p.drawEllipse(map(0, 0), r * scale, r * scale);
    p.end();
    backdrops.insert(key, backdrop);
  }
  QImage image = backdrops.value(key).copy();  // drawn in device pixels below

  QPainter painter(&image);
  painter.setRenderHint(QPainter::Antialiasing, true);
  if (underlay) {
    painter.save();
    underlay(painter, map, scale, dpr);
    painter.restore();
  }
  // Points: small translucent discs, so dense regions read darker; points outside the
  // square are clipped by the canvas.
  const double radius = std::max(1.6, side / 260.0);
  for (int i = 0; i < count; ++i) {
    const QRgb c = i < static_cast<int>(colours.size()) ? colours[static_cast<std::size_t>(i)] : qRgb(0x33, 0x55, 0x99);
    const QImage& sprite = discSprite(c, radius);
    const QPointF at = map(xy[2 * i], xy[2 * i + 1]);
    painter.drawImage(QPointF(std::round(at.x() - sprite.width() / 2.0), std::round(at.y() - sprite.height() / 2.0)),
                      sprite);
  }
  // σ labels last, on a white tag, so points never hide them.
  QFont font = painter.font();
  font.setPixelSize(static_cast<int>(std::round(11 * dpr)));
  painter.setFont(font);
  const QFontMetricsF metrics(font);
  for (int r = 1; r <= 3; ++r) {
    const QString label = QStringLiteral("%1σ").arg(r);
    const QPointF at = map(r / std::sqrt(2.0), r / std::sqrt(2.0)) + QPointF(3 * dpr, -3 * dpr);
    QRectF tag(at.x() - 1.5 * dpr, at.y() - metrics.ascent() - dpr, metrics.horizontalAdvance(label) + 3 * dpr,
               metrics.height() + dpr);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(255, 255, 255, 215));
    painter.drawRoundedRect(tag, 2 * dpr, 2 * dpr);
    painter.setPen(QColor(0xd6, 0x3d, 0x3d));
    painter.drawText(at, label);
  }
  painter.end();
  image.setDevicePixelRatio(dpr);
  return image;
}

std::vector<double> histogramDensity(const float* values, std::size_t count, double low, double high, int bins) {
  std::vector<double> density(static_cast<std::size_t>(std::max(1, bins)), 0.0);
  if (count == 0 || !(high > low)) return density;
  const double width = (high - low) / static_cast<double>(density.size());
  for (std::size_t i = 0; i < count; ++i) {
    const double v = values[i];
    if (!(v >= low && v < high)) continue;
    const auto bin = std::min(density.size() - 1, static_cast<std::size_t>((v - low) / width));
    density[bin] += 1.0;
  }
  for (double& d : density) d /= static_cast<double>(count) * width;
  return density;
}

MomentPair moments(const float* values, std::size_t count) {
  MomentPair m;
  if (count == 0) return m;
  double sum = 0;
  for (std::size_t i = 0; i < count; ++i) sum += values[i];
  m.mean = sum / static_cast<double>(count);
  double squares = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const double d = values[i] - m.mean;
    squares += d * d;
  }
  m.variance = squares / static_cast<double>(count);
  return m;
}

}  // namespace ddpm::ui
