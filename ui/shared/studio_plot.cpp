#include "ui/shared/studio_plot.h"

#include "ui/shared/studio_style.h"

#include <qcustomplot.h>

#include <QEvent>
#include <QResizeEvent>
#include <QVBoxLayout>

#include <algorithm>

namespace ddpm::ui {

namespace {

// QCustomPlot redraws into layer buffers of its new size on every resize. A chart in a
// view or tab not shown yet is first resized to an empty size, and drawing into empty
// buffers only warns "paint buffer returned inactive painter" (under xcb); the plot
// redraws when it gets a real size.
class SizedPlot : public QCustomPlot {
 public:
  using QCustomPlot::QCustomPlot;

 protected:
  void resizeEvent(QResizeEvent* event) override {
    if (event->size().isEmpty()) return;
    QCustomPlot::resizeEvent(event);
  }
};

}  // namespace


StudioPlot::StudioPlot(QWidget* parent)
    : QWidget(parent), m_plot(new SizedPlot(this)), m_column(new QVBoxLayout(this)) {
  m_column->setContentsMargins(0, 0, 0, 0);
  m_column->addWidget(m_plot);
}

void StudioPlot::addTitle(const QString& text) {
  m_title = new QCPTextElement(m_plot, text);
  m_plot->plotLayout()->insertRow(0);
  m_plot->plotLayout()->addElement(0, 0, m_title);
}

void StudioPlot::setTitleText(const QString& text) {
  if (!m_title) return;
  m_title->setText(text);
  queueReplot();
}

void StudioPlot::placeLegendBelow() {
  QCPLegend* legend = m_plot->legend;
  m_plot->axisRect()->insetLayout()->take(legend);
  QCPLayoutGrid* layout = m_plot->plotLayout();
  const int row = layout->rowCount();
  layout->addElement(row, 0, legend);
  layout->setRowStretchFactor(row, 0.001);  // as tall as its entries, the axes take the rest
  legend->setWrap(2);  // two entries a row (before the fill order, which re-arranges them)
  legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
  legend->setVisible(true);
}

void StudioPlot::applyStyle() {
  styleStudioPlot(m_plot, font());
  if (!m_title) return;
  m_title->setFont(scaledFont(font(), 1.0, true));
  m_title->setTextColor(colours::kText);
}

void StudioPlot::styleRightAxis(const QColor& colour) {
  m_plot->yAxis2->setLabelFont(m_plot->yAxis->labelFont());
  m_plot->yAxis2->setTickLabelFont(m_plot->yAxis->tickLabelFont());
  m_plot->yAxis2->setLabelColor(colour);
  m_plot->yAxis2->setTickLabelColor(colour);
}

void StudioPlot::queueReplot() {
  m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void StudioPlot::setLogAxis(QCPAxis* axis, bool log) {
  axis->setScaleType(log ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
  if (log) axis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
  else axis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
}

void StudioPlot::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if (event->type() == QEvent::FontChange) {
    applyStyle();
    queueReplot();
  }
}

bool StudioPlot::savePng(const QString& path, QString* error) const {
  const int w = std::max(640, m_plot->width());
  const int h = std::max(480, m_plot->height());
  if (!m_plot->savePng(path, w, h, 2.0)) {
    if (error) *error = tr("could not write '%1'").arg(path);
    return false;
  }
  return true;
}

}  // namespace ddpm::ui
