// torch first (sampler_options.h includes core): Qt's `slots` macro breaks ATen headers included after Qt.
#include "ui/sampling/sampler_options.h"

#include "ui/evaluate/quality_steps_chart.h"

#include "ui/evaluate/evaluation_types.h"
#include "ui/shared/studio_style.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace ddpm::ui {

namespace {

const QColor kTime{0x5b, 0x64, 0x72};

// One colour per sampler (Okabe–Ito, readable for colour-blind viewers).
QColor samplerColour(const QString& sampler) {
  using S = SamplingSettings::Sampler;
  if (sampler == samplerName(S::DDPM)) return {0xd5, 0x5e, 0x00};
  if (sampler == samplerName(S::DPMSolverPP)) return {0x00, 0x9e, 0x73};
  if (sampler == samplerName(S::Euler)) return {0xcc, 0x79, 0xa7};
  if (sampler == samplerName(S::Heun)) return {0xe6, 0x9f, 0x00};
  return {0x2f, 0x6f, 0xd0};  // DDIM
}

}  // namespace

QualityStepsChart::QualityStepsChart(QWidget* parent) : StudioPlot(parent) {
  addTitle(tr("Quality against network evaluations (lower is better)"));
  setLogAxis(plot()->xAxis, true);
  plot()->xAxis->setLabel(tr("network evaluations (NFE), log scale"));
  plot()->yAxis->setLabel(tr("score"));
  plot()->yAxis2->setVisible(true);
  plot()->yAxis2->setLabel(tr("wall time (s), dashed"));
  placeLegendBelow();
  applyStyle();
  clear();
}

void QualityStepsChart::applyStyle() {
  StudioPlot::applyStyle();
  plot()->legend->setFont(font());
  styleRightAxis(kTime);
}

QualityStepsChart::SamplerGraphs& QualityStepsChart::graphsOf(const QString& sampler) {
  SamplerGraphs& graphs = m_graphs[sampler];
  if (graphs.score) return graphs;
  const QColor colour = samplerColour(sampler);
  const bool ddpm = sampler == samplerName(SamplingSettings::Sampler::DDPM);
  graphs.score = plot()->addGraph();
  graphs.score->setName(ddpm ? tr("DDPM (all T steps)") : sampler);
  graphs.seconds = plot()->addGraph(plot()->xAxis, plot()->yAxis2);
  graphs.seconds->setName(tr("%1: wall time").arg(sampler));
  graphs.seconds->removeFromLegend();  // the axis label says the dashed lines are times
  if (ddpm) {
    graphs.score->setLineStyle(QCPGraph::lsNone);
    graphs.score->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, QPen(colour, 2), colour, 13));
    graphs.seconds->setLineStyle(QCPGraph::lsNone);
    graphs.seconds->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, QPen(colour, 1.5), Qt::NoBrush, 9));
  } else {
    graphs.score->setPen(QPen(colour, 2));
    graphs.score->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, colour, colour, 8));
    graphs.seconds->setPen(QPen(colour, 1, Qt::DashLine));
    graphs.seconds->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssSquare, colour, 5));
  }
  return graphs;
}

QCPGraph* QualityStepsChart::scoreGraph(const QString& sampler) const {
  const auto found = m_graphs.find(sampler);
  return found == m_graphs.end() ? nullptr : found->second.score;
}

QCPGraph* QualityStepsChart::secondsGraph(const QString& sampler) const {
  const auto found = m_graphs.find(sampler);
  return found == m_graphs.end() ? nullptr : found->second.seconds;
}

void QualityStepsChart::clear() {
  plot()->clearGraphs();
  m_graphs.clear();
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
    SamplerGraphs& graphs = graphsOf(row.sampler);
    graphs.score->addData(row.nfe, row.score);
    graphs.seconds->addData(row.nfe, row.seconds);
    if (std::isfinite(row.score)) {
      low = std::min(low, row.score);
      high = std::max(high, row.score);
    }
    slowest = std::max(slowest, row.seconds);
    fewest = std::min(fewest, row.nfe);
    most = std::max(most, row.nfe);
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
