#include "ui/training/loss_by_t_plot.h"

#include "ui/shared/studio_style.h"
#include "ui/training/loss_history.h"

#include <qcustomplot.h>

#include <QEvent>
#include <QVBoxLayout>

#include <algorithm>

namespace ddpm::ui {

LossByTPlot::LossByTPlot(QWidget* parent) : QWidget(parent), m_plot(new QCustomPlot(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_plot);
  m_title = new QCPTextElement(m_plot, tr("Loss against t"));
  m_plot->plotLayout()->insertRow(0);
  m_plot->plotLayout()->addElement(0, 0, m_title);
  m_bars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
  m_bars->setName(tr("mean loss per bin of t"));
  m_bars->setPen(QPen(colours::kHistogram.darker(115), 1));
  QColor fill = colours::kHistogram;
  fill.setAlpha(110);
  m_bars->setBrush(fill);
  m_bars->setWidthType(QCPBars::wtPlotCoords);
  m_plot->xAxis->setLabel(tr("timestep t"));
  m_plot->yAxis->setLabel(tr("mean ‖ε − ε̂‖² / dim"));
  clear(1000);
  applyStyle();
}

void LossByTPlot::applyStyle() {
  styleStudioPlot(m_plot, font());
  m_title->setFont(scaledFont(font(), 1.0, true));
  m_title->setTextColor(colours::kText);
}

void LossByTPlot::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if (event->type() == QEvent::FontChange) {
    applyStyle();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
  }
}

void LossByTPlot::clear(int timesteps) {
  m_bars->data()->clear();
  m_plot->xAxis->setRange(-0.5, std::max(1, timesteps) - 0.5);
  m_plot->yAxis->setRange(0, 1.2);
  m_plot->replot(QCustomPlot::rpQueuedReplot);
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
  m_plot->xAxis->setRange(-0.5, history.timesteps() - 0.5);
  if (high > 0) m_plot->yAxis->setRange(0, high * 1.08);
  m_plot->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace ddpm::ui
