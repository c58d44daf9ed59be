#include "ui/forward/histogram_plot.h"

#include "ui/shared/studio_style.h"

#include <qcustomplot.h>

#include <cmath>

namespace ddpm::ui {

HistogramPlot::HistogramPlot(QWidget* parent) : StudioPlot(parent) {
  plot()->setNotAntialiasedElements(QCP::aeNone);
  plot()->setAntialiasedElements(QCP::aePlottables | QCP::aeItems);

  addTitle(QString());

  m_bars = new QCPBars(plot()->xAxis, plot()->yAxis);
  m_bars->setName(tr("xₜ values"));
  m_bars->setPen(QPen(colours::kHistogram.darker(115), 1));
  QColor fill = colours::kHistogram;
  fill.setAlpha(110);
  m_bars->setBrush(fill);
  m_bars->setWidthType(QCPBars::wtPlotCoords);

  m_x0 = plot()->addGraph();
  m_x0->setName(tr("x₀ values"));
  m_x0->setLineStyle(QCPGraph::lsStepCenter);
  m_x0->setPen(QPen(QColor(0x6b, 0x72, 0x80), 1.4, Qt::SolidLine));

  m_gaussian = plot()->addGraph();
  m_gaussian->setName(tr("N(0, 1) density"));
  m_gaussian->setPen(QPen(colours::kGaussian, 2.4));
  QVector<double> gx, gy;
  for (int i = 0; i <= 400; ++i) {
    const double x = -4.0 + 8.0 * i / 400.0;
    gx << x;
    gy << std::exp(-0.5 * x * x) / std::sqrt(2 * M_PI);
  }
  m_gaussian->setData(gx, gy, true);

  m_peak = new QCPItemText(plot());
  m_peak->setPositionAlignment(Qt::AlignHCenter | Qt::AlignTop);
  m_peak->setColor(colours::kHistogram.darker(140));
  m_peak->setVisible(false);

  plot()->xAxis->setRange(-4, 4);
  plot()->yAxis->setRange(0, kDensityMax);
  plot()->xAxis->setLabel(tr("value"));
  plot()->yAxis->setLabel(tr("density"));
  plot()->legend->setVisible(true);
  plot()->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
  applyStyle();
}

void HistogramPlot::applyStyle() {
  StudioPlot::applyStyle();
  m_peak->setFont(scaledFont(font(), 0.9));
}

void HistogramPlot::setTitle(const QString& text) {
  title()->setText(text);
}

void HistogramPlot::setDensities(const std::vector<double>& xt, const std::vector<double>& x0, double low, double high) {
  const int bins = static_cast<int>(xt.size());
  const double width = bins > 0 ? (high - low) / bins : 1.0;
  QVector<double> centres(bins), values(bins);
  int peakBin = -1;
  for (int i = 0; i < bins; ++i) {
    centres[i] = low + (i + 0.5) * width;
    values[i] = xt[static_cast<std::size_t>(i)];
    if (values[i] > kDensityMax && (peakBin < 0 || values[i] > values[peakBin])) peakBin = i;
  }
  m_bars->setWidth(width);
  m_bars->setData(centres, values, true);
  if (peakBin >= 0) {
    m_peak->position->setCoords(centres[peakBin], kDensityMax * 0.985);
    m_peak->setText(QStringLiteral("↑ %1").arg(values[peakBin], 0, 'f', 2));
    m_peak->setVisible(true);
  } else {
    m_peak->setVisible(false);
  }
  QVector<double> x0Centres, x0Values;
  for (std::size_t i = 0; i < x0.size(); ++i) {
    x0Centres << low + (static_cast<double>(i) + 0.5) * (high - low) / static_cast<double>(x0.size());
    x0Values << x0[i];
  }
  m_x0->setData(x0Centres, x0Values, true);
  queueReplot();
}

}  // namespace ddpm::ui
