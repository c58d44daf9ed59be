#include "ui/training/loss_by_t_plot.h"

#include "ui/shared/studio_style.h"
#include "ui/training/loss_history.h"

#include <qcustomplot.h>

#include <algorithm>

namespace ddpm::ui {

LossByTPlot::LossByTPlot(QWidget* parent) : StudioPlot(parent) {
  addTitle(tr("Loss against t"));
  m_bars = new QCPBars(plot()->xAxis, plot()->yAxis);
  m_bars->setName(tr("mean loss per bin of t"));
  m_bars->setPen(QPen(colours::kHistogram.darker(115), 1));
  QColor fill = colours::kHistogram;
  fill.setAlpha(110);
  m_bars->setBrush(fill);
  m_bars->setWidthType(QCPBars::wtPlotCoords);
  plot()->xAxis->setLabel(tr("timestep t"));
  plot()->yAxis->setLabel(tr("mean ‖ε − ε̂‖² / dim"));
  clear(1000);
  applyStyle();
}

void LossByTPlot::applyStyle() {
  StudioPlot::applyStyle();
}

void LossByTPlot::clear(int timesteps) {
  m_bars->data()->clear();
  plot()->xAxis->setRange(-0.5, std::max(1, timesteps) - 0.5);
  plot()->yAxis->setRange(0, 1.2);
  queueReplot();
}

void LossByTPlot::refresh(const LossHistory& history) {
  const int bins = history.binCount();
  QVector<double> centres, means;
  double high = 0;
  for (int i = 0; i < bins; ++i) {
    if (history.binSamples(i) == 0) continue;
    centres << history.binCentre(i);
    means << history.binMean(i);
    high = std::max(high, means.back());
  }
  m_bars->setWidth(0.9 * history.timesteps() / std::max(1, bins));
  m_bars->setData(centres, means, true);
  plot()->xAxis->setRange(-0.5, history.timesteps() - 0.5);
  if (high > 0) plot()->yAxis->setRange(0, high * 1.08);
  queueReplot();
}

}  // namespace ddpm::ui
