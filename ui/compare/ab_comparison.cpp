#include "ui/compare/ab_comparison.h"

#include "ui/shared/frame_render.h"
#include "ui/sampling/trajectory_frame.h"

#include <QStringList>

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace ddpm::ui {

namespace {

QString shapeText(const std::vector<std::int64_t>& shape) {
  QStringList parts;
  for (auto d : shape) parts << QString::number(d);
  return QStringLiteral("[") + parts.join(QStringLiteral(", ")) + QStringLiteral("]");
}

}  // namespace

int lockstepFrame(int position, int positions, int steps) {
  if (positions <= 0 || steps <= 0) return 0;
  position = std::clamp(position, 0, positions);
  return static_cast<int>(std::lround(static_cast<double>(position) * steps / positions));
}

QString sampleShapeMismatch(const std::vector<std::int64_t>& a, const std::vector<std::int64_t>& b) {
  if (a == b) return {};
  return QStringLiteral("A makes samples of shape %1 and B of shape %2: two models can only be compared from the "
                        "same noise x_T when their samples have the same shape.")
      .arg(shapeText(a), shapeText(b));
}

QImage renderDifferenceGrid(const std::uint8_t* a, const std::uint8_t* b, const TrajectoryLayout& layout, int columns) {
  if (a == nullptr || b == nullptr) return {};
  const std::size_t perImage = layout.valuesPerSample();
  return renderGrid(layout.count, layout.channels, layout.height, layout.width, columns, 2,
                    [&](int i, std::size_t offset) {
                      const std::size_t k = static_cast<std::size_t>(i) * perImage + offset;
                      return std::abs(static_cast<int>(a[k]) - static_cast<int>(b[k]));
                    });
}

double meanAbsLevelDifference(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b) {
  const std::size_t n = std::min(a.size(), b.size());
  if (n == 0) return 0.0;
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) sum += std::abs(static_cast<int>(a[i]) - static_cast<int>(b[i]));
  return sum / static_cast<double>(n) / 127.5;  // a level step is 1/127.5 of the data's units
}

QRgb runColourA() { return qRgb(0x2f, 0x6f, 0xd0); }
QRgb runColourB() { return qRgb(0xe0, 0x7a, 0x1f); }

QImage renderOverlaidClouds(const float* a, const float* b, int count, QSize pixels, qreal devicePixelRatio) {
  if (a == nullptr || b == nullptr || count <= 0) return {};
  std::vector<float> both(a, a + 2 * static_cast<std::size_t>(count));
  both.insert(both.end(), b, b + 2 * static_cast<std::size_t>(count));
  std::vector<QRgb> colours(static_cast<std::size_t>(count), runColourA());
  colours.resize(2 * static_cast<std::size_t>(count), runColourB());
  return renderPointCloud(both.data(), 2 * count, colours, pixels, devicePixelRatio);
}

}  // namespace ddpm::ui
