#include "ui/sampling/trajectory_render.h"

#include "ui/shared/frame_render.h"
#include "ui/sampling/trajectory_store.h"

#include <QColor>
#include <QCoreApplication>
#include <QFont>
#include <QFontMetrics>
#include <QPainter>

#include <algorithm>

namespace ddpm::ui {

namespace {

const QColor kSheet(0x20, 0x20, 0x20);
const QColor kCaption(0xe8, 0xe8, 0xe8);

}  // namespace

QImage renderLevelGrid(const std::uint8_t* levels, const TrajectoryLayout& layout, int columns, int padding) {
  if (levels == nullptr) return {};
  const std::size_t perImage = static_cast<std::size_t>(layout.channels) * layout.height * layout.width;
  return renderGrid(layout.count, layout.channels, layout.height, layout.width, columns, padding,
                    [&](int i, std::size_t offset) { return static_cast<int>(levels[i * perImage + offset]); });
}

namespace {

QString tr(const char* text) {
  return QCoreApplication::translate("ddpm::ui::TrajectoryPictures", text);
}

}  // namespace

QString sampleTitle(const TrajectoryStore& store, int k) {
  if (k < 0 || k >= store.count()) return {};
  const int K = store.layout().totalSteps();
  if (k == 0) return tr("x_T ~ N(0, I): pure noise");
  if (k == K) return tr("x₀: the sample, after all %1 steps").arg(K);
  return tr("xₜ after step %1 of %2 (t = %3)").arg(k).arg(K).arg(store.frame(k).t);
}

QString predictionTitle(const TrajectoryStore& store, int k) {
  if (k < 0 || k >= store.count() || !store.frame(k).hasPrediction()) return tr("Predicted x̂₀");
  return tr("Predicted x̂₀ at t = %1").arg(store.frame(k).t);
}

QImage renderTrajectoryLayer(const TrajectoryStore& store, int k, TrajectoryLayer layer, QSize pixels,
                             qreal devicePixelRatio, const std::vector<QRgb>& colours) {
  if (k < 0 || k >= store.count()) return {};
  const TrajectoryLayout& layout = store.layout();
  const TrajectoryFrame& frame = store.frame(k);
  const bool sample = layer == TrajectoryLayer::Sample;
  if (layout.isImages()) {
    const auto& levels = sample ? frame.xtBytes : frame.x0Bytes;
    if (levels.empty()) return {};
    return renderLevelGrid(levels.data(), layout, gridColumns(layout.count));
  }
  const auto& points = sample ? frame.xtPoints : frame.x0Points;
  if (points.empty()) return {};
  return renderPointCloud(points.data(), layout.count, colours, pixels, devicePixelRatio);
}

QImage composeTrajectoryFrame(const TrajectoryStore& store, int k, int panelSide, const QString& caption,
                              const std::vector<QRgb>& colours) {
  if (k < 0 || k >= store.count()) return {};
  const bool images = store.layout().isImages();
  const QSize canvas(panelSide, panelSide);
  QImage left = renderTrajectoryLayer(store, k, TrajectoryLayer::Sample, canvas, 1.0, colours);
  QImage right = renderTrajectoryLayer(store, k, TrajectoryLayer::Prediction, canvas, 1.0, colours);
  if (images) {
    // Whole-factor zoom keeps every data pixel a crisp square.
    const int zoom = std::max(1, panelSide / std::max(left.width(), left.height()));
    left = left.scaled(left.size() * zoom, Qt::IgnoreAspectRatio, Qt::FastTransformation);
  }
  const QSize panel = left.size();
  if (right.isNull()) {
    right = QImage(panel, QImage::Format_RGB32);
    right.fill(images ? QColor(gridBackground()) : QColor(Qt::white));
  } else if (right.size() != panel) {
    right = right.scaled(panel, Qt::IgnoreAspectRatio, Qt::FastTransformation);
  }
  // The caption on top, each picture's title (x_t, x̂0, with t) right above it.
  const int margin = 8, gap = 8, textHeight = 22, titleHeight = 20;
  const int top = margin + textHeight + titleHeight;
  QImage frame(2 * margin + 2 * panel.width() + gap, top + margin + panel.height(), QImage::Format_RGB32);
  frame.fill(images ? kSheet : QColor(Qt::white));
  QPainter painter(&frame);
  painter.drawImage(margin, top, left);
  painter.drawImage(margin + panel.width() + gap, top, right);
  QFont font = painter.font();
  font.setPixelSize(14);
  painter.setFont(font);
  painter.setPen(images ? kCaption : QColor(0x30, 0x30, 0x30));
  painter.drawText(QRect(margin, margin, 2 * panel.width() + gap, textHeight - 4), Qt::AlignLeft | Qt::AlignVCenter,
                   caption);
  font.setBold(true);
  painter.setFont(font);
  const QFontMetrics metrics(font);
  const QString titles[] = {sampleTitle(store, k), predictionTitle(store, k)};
  for (int side = 0; side < 2; ++side) {
    const QRect box(margin + side * (panel.width() + gap), margin + textHeight, panel.width(), titleHeight - 2);
    painter.drawText(box, Qt::AlignHCenter | Qt::AlignVCenter, metrics.elidedText(titles[side], Qt::ElideRight, box.width()));
  }
  painter.end();
  if (images && store.layout().channels == 1) {
    // Antialiased text may tint pixels; keep the picture exactly grey.
    for (int y = 0; y < frame.height(); ++y) {
      auto* line = reinterpret_cast<QRgb*>(frame.scanLine(y));
      for (int x = 0; x < frame.width(); ++x) {
        const int g = qGray(line[x]);
        if (qRed(line[x]) != qGreen(line[x]) || qGreen(line[x]) != qBlue(line[x])) line[x] = qRgb(g, g, g);
      }
    }
  }
  return frame;
}

}  // namespace ddpm::ui
