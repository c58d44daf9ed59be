#include "ui/training/loss_plot.h"

#include "ui/shared/studio_style.h"
#include "ui/training/loss_history.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace ddpm::ui {

LossPlot::LossPlot(QWidget* parent) : StudioPlot(parent) {
  plot()->setNotAntialiasedElements(QCP::aeNone);
  plot()->setAntialiasedElements(QCP::aePlottables);

  addTitle(tr("Loss (L simple, eq. 14)"));

  m_raw = plot()->addGraph();
  m_raw->setName(tr("batch loss"));
  QColor light = colours::kAccent;
  light.setAlpha(70);
  m_raw->setPen(QPen(light, 1));
  m_raw->setAntialiased(false);  // thousands of thin segments: aliasing does not show, the cost would
  m_smoothed = plot()->addGraph();
  m_smoothed->setName(tr("smoothed"));
  m_smoothed->setPen(QPen(colours::kAccent.darker(130), 2.2));

  plot()->xAxis->setLabel(tr("training step"));
  plot()->yAxis->setLabel(tr("loss"));
  plot()->xAxis->setRange(0, 100);
  plot()->yAxis->setRange(0, 1.2);
  plot()->legend->setVisible(true);
  plot()->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
  applyStyle();
}

void LossPlot::applyStyle() {
  StudioPlot::applyStyle();
}

void LossPlot::clear() {
  m_raw->data()->clear();
  m_smoothed->data()->clear();
  m_drawn = 0;
  plot()->xAxis->setRange(0, 100);
  plot()->yAxis->setRange(m_log ? 0.01 : 0, 1.2);
  queueReplot();
}

void LossPlot::refresh(const LossHistory& history) {
  const int size = static_cast<int>(history.size());
  if (size < m_drawn) {
    m_raw->data()->clear();
    m_smoothed->data()->clear();
    m_drawn = 0;
  }
  if (size > m_drawn) {
    const auto from = history.steps().begin() + m_drawn;
    QVector<double> keys(from, history.steps().end());
    QVector<double> raw(history.raw().begin() + m_drawn, history.raw().end());
    QVector<double> smooth(history.smoothed().begin() + m_drawn, history.smoothed().end());
    m_raw->addData(keys, raw, true);
    m_smoothed->addData(keys, smooth, true);
    m_drawn = size;
  }
  rescale();
  queueReplot();
}

void LossPlot::rescale() {
  if (m_drawn == 0) return;
  // On a linear axis a long run's first steps (losses several times the rest) would squash
  // the part that matters against the bottom, so the view starts after the first 5 % of a
  // run of more than 200 steps; the log axis shows the whole run. Whatever is in view,
  // batch losses and the smoothed line alike, fits inside the chart.
  const int skip = !m_log && m_drawn > 200 ? m_drawn / 20 : 0;
  const auto& raw = *m_raw->data();
  const auto& smoothed = *m_smoothed->data();
  const double first = (raw.constBegin() + skip)->key;
  const double last = (raw.constEnd() - 1)->key;
  plot()->xAxis->setRange(first, std::max(last, first + 10));
  double low = INFINITY, high = 0;
  for (const auto* data : {&raw, &smoothed})
    for (auto it = data->constBegin() + skip; it != data->constEnd(); ++it) {
      if (!(it->value > 0) || !std::isfinite(it->value)) continue;
      low = std::min(low, it->value);
      high = std::max(high, it->value);
    }
  if (!(high > 0)) return;
  if (m_log) plot()->yAxis->setRange(low / 1.3, high * 1.3);
  else plot()->yAxis->setRange(0, high * 1.08);
}

void LossPlot::setLogScale(bool on) {
  m_log = on;
  setLogAxis(plot()->yAxis, on);
  if (m_drawn == 0) plot()->yAxis->setRange(on ? 0.01 : 0, 1.2);
  rescale();
  queueReplot();
}

}  // namespace ddpm::ui
