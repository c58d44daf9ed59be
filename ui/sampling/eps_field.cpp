#include "core/checkpoint/checkpoint.h"
#include "core/jobs/checkpoint_model.h"
#include "core/models/denoiser.h"
#include "core/util/error.h"

#include "ui/sampling/eps_field.h"

#include <c10/core/InferenceMode.h>

#include <QElapsedTimer>
#include <QFont>
#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace ddpm::ui {

struct EpsField::Network {
  Denoiser model;
  torch::Tensor grid;  // [side², 2]
};

EpsField::EpsField(const CheckpointData& checkpoint, int side, double extent)
    : m_network(std::make_unique<Network>()), m_side(std::max(2, side)), m_extent(extent) {
  if (checkpoint.sample_shape != std::vector<std::int64_t>{2})
    throw Error("the ε̂ field is drawn for 2D models; this one makes samples of another shape");
  const CheckpointModel opened = open_checkpoint_model(checkpoint, torch::kCPU);
  m_steps = static_cast<int>(opened.steps());
  m_network->model = opened.model;
  m_network->model->eval();
  std::vector<float> xy;
  for (int index = 0; index < m_side * m_side; ++index) {
    const QPointF p = point(index);
    xy.push_back(static_cast<float>(p.x()));
    xy.push_back(static_cast<float>(p.y()));
  }
  m_network->grid = torch::from_blob(xy.data(), {m_side * m_side, 2}, torch::kFloat32).clone();
}

EpsField::~EpsField() = default;

QPointF EpsField::point(int index) const {
  const int i = index % m_side, j = index / m_side;
  return {-m_extent + (i + 0.5) * spacing(), -m_extent + (j + 0.5) * spacing()};
}

const std::vector<float>& EpsField::at(int t) {
  t = std::clamp(t, 0, std::max(0, m_steps - 1));
  auto it = m_cache.find(t);
  if (it != m_cache.end()) return it->second;
  QElapsedTimer clock;
  clock.start();
  // The MLP on 625 points is fastest on one thread (NOTES: small ops lose from threading,
  // and a 2-thread team on a busy machine waits for its second thread: measured 60–140 ms
  // per t here instead of about 10). The calling thread's count is restored afterwards.
  const int threadsBefore = torch::get_num_threads();
  torch::set_num_threads(recommended_threads(m_network->model->config()));
  struct Restore {
    int threads;
    ~Restore() { torch::set_num_threads(threads); }
  } restore{threadsBefore};
  c10::InferenceMode inference;
  const auto n = m_network->grid.size(0);
  const auto eps = m_network->model->forward(m_network->grid, torch::full({n}, t, torch::kInt64)).contiguous();
  std::vector<float> values(eps.data_ptr<float>(), eps.data_ptr<float>() + eps.numel());
  m_lastMs = clock.nsecsElapsed() / 1e6;
  return m_cache.emplace(t, std::move(values)).first->second;
}

void drawEpsField(QPainter& painter, EpsField& field, int t, const PlaneToCanvas& map, double scale, double dpr) {
  const std::vector<float>& eps = field.at(t);
  const double spacing = field.spacing();
  const QColor ink(0x5a, 0x6b, 0x86, 170);
  painter.setRenderHint(QPainter::Antialiasing, true);
  const double head = 3.2 * dpr;
  auto arrow = [&](QPointF from, QPointF to, const QColor& colour, double width) {
    const QPointF d = to - from;
    const double length = std::hypot(d.x(), d.y());
    painter.setPen(QPen(colour, width, Qt::SolidLine, Qt::RoundCap));
    painter.drawLine(from, to);
    if (length < 1.5 * dpr) return;
    const QPointF u = d / length, n(-u.y(), u.x());
    const double h = std::min(head, 0.5 * length);
    QPainterPath tip;
    tip.moveTo(to);
    tip.lineTo(to - u * h + n * (0.55 * h));
    tip.lineTo(to - u * h - n * (0.55 * h));
    tip.closeSubpath();
    painter.setPen(Qt::NoPen);
    painter.fillPath(tip, colour);
  };
  const int count = field.side() * field.side();
  double largest = 0;
  for (int index = 0; index < count; ++index) {
    const double norm = std::hypot(eps[2 * static_cast<std::size_t>(index)], eps[2 * static_cast<std::size_t>(index) + 1]);
    if (std::isfinite(norm)) largest = std::max(largest, norm);
  }
  if (!(largest > 0)) return;
  const double perUnit = kLongestArrow * spacing / largest;  // plane units per unit of ‖ε̂‖
  for (int index = 0; index < count; ++index) {
    const double ex = eps[2 * static_cast<std::size_t>(index)], ey = eps[2 * static_cast<std::size_t>(index) + 1];
    const double norm = std::hypot(ex, ey);
    if (!(norm > 0) || !std::isfinite(norm)) continue;
    const double length = perUnit * norm;  // plane units
    const QPointF p = field.point(index);
    // Centred on the grid point, along −ε̂.
    const QPointF half(-ex / norm * length / 2, -ey / norm * length / 2);
    arrow(map(p.x() - half.x(), p.y() - half.y()), map(p.x() + half.x(), p.y() + half.y()), ink, 1.1 * dpr);
  }
  // Legend: what the arrows are and how long ‖ε̂‖ = 1 is.
  QFont font = painter.font();
  font.setPixelSize(static_cast<int>(std::round(11 * dpr)));
  painter.setFont(font);
  const QFontMetricsF metrics(font);
  const QString line1 = QStringLiteral("arrows: −ε̂_θ(x, t = %1) of the next step, towards the data").arg(std::max(0, t));
  const QString prefix = QStringLiteral("length ∝ ‖ε̂‖; ");
  const QString suffix = QStringLiteral(" is ‖ε̂‖ = %1").arg(largest, 0, 'g', 3);
  const double unit = kLongestArrow * spacing * scale;  // the longest arrow in device pixels
  const double pad = 4 * dpr;
  const double line2 = metrics.horizontalAdvance(prefix) + unit + metrics.horizontalAdvance(suffix);
  const double w = std::max(metrics.horizontalAdvance(line1), line2) + 2 * pad;
  const double h = 2 * metrics.height() + 2 * pad;
  const QPointF corner = map(-field.extent(), -field.extent());
  const QRectF box(corner.x() + 4 * dpr, corner.y() - h - 4 * dpr, w, h);
  painter.setPen(Qt::NoPen);
  painter.setBrush(QColor(255, 255, 255, 225));
  painter.drawRoundedRect(box, 3 * dpr, 3 * dpr);
  painter.setPen(QColor(0x30, 0x38, 0x48));
  const double baseline2 = box.top() + pad + metrics.height() + metrics.ascent();
  painter.drawText(QPointF(box.left() + pad, box.top() + pad + metrics.ascent()), line1);
  painter.drawText(QPointF(box.left() + pad, baseline2), prefix);
  const double x0 = box.left() + pad + metrics.horizontalAdvance(prefix);
  const double y = baseline2 - metrics.xHeight() / 2;
  arrow(QPointF(x0, y), QPointF(x0 + unit, y), QColor(0x5a, 0x6b, 0x86), 1.4 * dpr);
  painter.setPen(QColor(0x30, 0x38, 0x48));
  painter.drawText(QPointF(x0 + unit, baseline2), suffix);
}

}  // namespace ddpm::ui
