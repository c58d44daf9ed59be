#include "ui/evaluate/curve_chart.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace ddpm::ui {

namespace {
const QColor kCurve{0x2f, 0x6f, 0xd0};
}  // namespace

CurveChart::CurveChart(const QString& title, const QString& xLabel, const QString& yLabel, QWidget* parent)
    : StudioPlot(parent) {
  addTitle(title);
  m_curve = plot()->addGraph();
  m_curve->setPen(QPen(kCurve, 2));
  plot()->xAxis->setLabel(xLabel);
  plot()->yAxis->setLabel(yLabel);
  applyStyle();
  clear();
}

void CurveChart::setCurve(const std::vector<double>& x, const std::vector<double>& y) {
  clear();
  double x_low = INFINITY, x_high = -INFINITY, y_low = INFINITY, y_high = -INFINITY;
  const std::size_t n = std::min(x.size(), y.size());
  QVector<double> keys, values;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) continue;
    keys.push_back(x[i]), values.push_back(y[i]);
    x_low = std::min(x_low, x[i]), x_high = std::max(x_high, x[i]);
    y_low = std::min(y_low, y[i]), y_high = std::max(y_high, y[i]);
  }
  if (keys.isEmpty()) return;
  m_curve->setData(keys, values);  // sorted by x: steps, or the rate, which never falls
  const auto pad = [](double low, double high) { return std::max((high - low) * 0.04, 1e-9 + std::abs(high) * 1e-3); };
  plot()->xAxis->setRange(x_low - pad(x_low, x_high), x_high + pad(x_low, x_high));
  plot()->yAxis->setRange(y_low - pad(y_low, y_high), y_high + pad(y_low, y_high));
  queueReplot();
}

void CurveChart::clear() {
  m_curve->data()->clear();
  plot()->xAxis->setRange(0, 1);
  plot()->yAxis->setRange(0, 1);
  queueReplot();
}

}  // namespace ddpm::ui
