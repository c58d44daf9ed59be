#include "ui/evaluate/quality_steps_chart.h"

#include "ui/evaluate/evaluation_types.h"
#include "ui/shared/studio_style.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace ddpm::ui {

namespace {
const QColor kDdim{0x2f, 0x6f, 0xd0};
const QColor kDdpm{0xd5, 0x5e, 0x00};
const QColor kTime{0x5b, 0x64, 0x72};
}  // namespace

QualityStepsChart::QualityStepsChart(QWidget* parent) : StudioPlot(parent) {
  addTitle(tr("Quality against the number of steps (lower is better)"));

  m_ddimScore = plot()->addGraph();
  m_ddimScore->setName(tr("DDIM (η = 0): score"));
  m_ddimScore->setPen(QPen(kDdim, 2));
  m_ddimScore->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, kDdim, kDdim, 8));
  m_ddpmScore = plot()->addGraph();
  m_ddpmScore->setName(tr("DDPM (T steps): score"));
  m_ddpmScore->setLineStyle(QCPGraph::lsNone);
  m_ddpmScore->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(kDdpm, 2), kDdpm, 13));
  m_ddimSeconds = plot()->addGraph(plot()->xAxis, plot()->yAxis2);
  m_ddimSeconds->setName(tr("DDIM: wall time (right axis)"));
  m_ddimSeconds->setPen(QPen(kTime, 1.5, Qt::DashLine));
  m_ddimSeconds->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, kTime, 6));
  m_ddpmSeconds = plot()->addGraph(plot()->xAxis, plot()->yAxis2);
  m_ddpmSeconds->setName(tr("DDPM: wall time (right axis)"));
  m_ddpmSeconds->setLineStyle(QCPGraph::lsNone);
  m_ddpmSeconds->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, QPen(kDdpm, 1.5), Qt::NoBrush, 9));

  setLogAxis(plot()->xAxis, true);
  plot()->xAxis->setLabel(tr("network calls (sampling steps), log scale"));
  plot()->yAxis->setLabel(tr("score"));
  plot()->yAxis2->setVisible(true);
  plot()->yAxis2->setLabel(tr("wall time (s)"));
  placeLegendBelow();
  applyStyle();
  clear();
}

void QualityStepsChart::applyStyle() {
  StudioPlot::applyStyle();
  plot()->legend->setFont(font());
  styleRightAxis(kTime);
}

void QualityStepsChart::clear() {
  for (QCPGraph* graph : {m_ddimScore, m_ddpmScore, m_ddimSeconds, m_ddpmSeconds}) graph->data()->clear();
  plot()->xAxis->setRange(5, 2000);
  plot()->yAxis->setRange(0, 1);
  plot()->yAxis2->setRange(0, 1);
  queueReplot();
}

void QualityStepsChart::setRows(const std::vector<QualityRow>& rows, const QString& scoreName) {
  clear();
  plot()->yAxis->setLabel(scoreName);
  double low = INFINITY, high = -INFINITY, slowest = 0;
  int fewest = 1 << 30, most = 0;
  for (const QualityRow& row : rows) {
    const bool ddpm = row.sampler == QLatin1String("DDPM");
    (ddpm ? m_ddpmScore : m_ddimScore)->addData(row.steps, row.score);
    (ddpm ? m_ddpmSeconds : m_ddimSeconds)->addData(row.steps, row.seconds);
    if (std::isfinite(row.score)) {
      low = std::min(low, row.score);
      high = std::max(high, row.score);
    }
    slowest = std::max(slowest, row.seconds);
    fewest = std::min(fewest, row.steps);
    most = std::max(most, row.steps);
  }
  if (!rows.empty()) {
    plot()->xAxis->setRange(std::max(0.5, fewest / 1.6), most * 1.6);
    const double span = std::max(high - low, std::abs(high) * 0.05 + 1e-12);
    plot()->yAxis->setRange(std::min(0.0, low - 0.05 * span), high + 0.12 * span);
    plot()->yAxis2->setRange(0, std::max(slowest, 1e-3) * 1.15);
  }
  queueReplot();
}

}  // namespace ddpm::ui
