#include "ui/training/loss_plot.h"

#include "ui/shared/studio_style.h"
#include "ui/training/loss_history.h"

#include <qcustomplot.h>

#include <QEvent>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ddpm::ui {

LossPlot::LossPlot(QWidget* parent) : QWidget(parent), m_plot(new QCustomPlot(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_plot);
  m_plot->setNotAntialiasedElements(QCP::aeNone);
  m_plot->setAntialiasedElements(QCP::aePlottables);

  m_title = new QCPTextElement(m_plot, tr("Loss (L simple, eq. 14)"));
  m_plot->plotLayout()->insertRow(0);
  m_plot->plotLayout()->addElement(0, 0, m_title);

  m_raw = m_plot->addGraph();
  m_raw->setName(tr("batch loss"));
  QColor light = colours::kAccent;
  light.setAlpha(70);
  m_raw->setPen(QPen(light, 1));
  m_raw->setAntialiased(false);  // thousands of thin segments: aliasing does not show, the cost would
  m_smoothed = m_plot->addGraph();
  m_smoothed->setName(tr("smoothed"));
  m_smoothed->setPen(QPen(colours::kAccent.darker(130), 2.2));

  m_plot->xAxis->setLabel(tr("training step"));
  m_plot->yAxis->setLabel(tr("loss"));
  m_plot->xAxis->setRange(0, 100);
  m_plot->yAxis->setRange(0, 1.2);
  m_plot->legend->setVisible(true);
  m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
  applyStyle();
}

void LossPlot::applyStyle() {
  styleStudioPlot(m_plot, font());
  m_title->setFont(scaledFont(font(), 1.0, true));
  m_title->setTextColor(colours::kText);
}

void LossPlot::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if (event->type() == QEvent::FontChange) {
    applyStyle();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
  }
}

void LossPlot::clear() {
  m_raw->data()->clear();
  m_smoothed->data()->clear();
  m_drawn = 0;
  m_plot->xAxis->setRange(0, 100);
  m_plot->yAxis->setRange(m_log ? 0.01 : 0, 1.2);
  m_plot->replot(QCustomPlot::rpQueuedReplot);
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
  m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void LossPlot::rescale() {
  if (m_drawn == 0) return;
  bool found = false;
  const QCPRange keys = m_raw->data()->keyRange(found);
  if (found) m_plot->xAxis->setRange(keys.lower, std::max(keys.upper, keys.lower + 10));
  // The batch losses' range, but with the early, large losses left out once the run is
  // long enough, so the part that matters is not squashed against the bottom.
  const auto& data = *m_raw->data();
  const int skip = m_drawn > 200 ? m_drawn / 20 : 0;
  double low = INFINITY, high = 0;
  for (auto it = data.constBegin() + skip; it != data.constEnd(); ++it) {
    if (!(it->value > 0) || !std::isfinite(it->value)) continue;
    low = std::min(low, it->value);
    high = std::max(high, it->value);
  }
  if (!(high > 0)) return;
  if (m_log) m_plot->yAxis->setRange(low / 1.3, high * 1.3);
  else m_plot->yAxis->setRange(0, high * 1.08);
}

void LossPlot::setLogScale(bool on) {
  m_log = on;
  if (on) {
    m_plot->yAxis->setScaleType(QCPAxis::stLogarithmic);
    m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
  } else {
    m_plot->yAxis->setScaleType(QCPAxis::stLinear);
    m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
  }
  if (m_drawn == 0) m_plot->yAxis->setRange(on ? 0.01 : 0, 1.2);
  rescale();
  m_plot->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace ddpm::ui
