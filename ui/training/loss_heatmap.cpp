#include "ui/training/loss_heatmap.h"

#include "ui/shared/studio_style.h"
#include "ui/training/loss_heatmap_data.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace ddpm::ui {

LossHeatmap::LossHeatmap(QWidget* parent)
    : StudioPlot(parent),
      m_binsBox(new QComboBox(this)),
      m_logBox(new QCheckBox(tr("Log colour"), this)) {
  m_binsBox->addItem(tr("20 bins of t"), 20);
  m_binsBox->addItem(tr("50 bins of t"), 50);
  m_binsBox->setCurrentIndex(1);
  m_binsBox->setObjectName(QStringLiteral("heatmapBins"));
  m_logBox->setObjectName(QStringLiteral("heatmapLogColour"));
  m_logBox->setChecked(true);
  m_logBox->setToolTip(tr("Logarithmic colour scale: the loss spans orders of magnitude across t"));
  auto* controls = new QHBoxLayout;
  controls->setContentsMargins(0, 0, 0, 0);
  controls->addStretch(1);
  controls->addWidget(m_binsBox);
  controls->addWidget(m_logBox);
  column()->setSpacing(2);
  column()->insertLayout(0, controls);
  column()->setStretchFactor(plot(), 1);

  addTitle(tr("Loss against t during training"));
  m_map = new QCPColorMap(plot()->xAxis, plot()->yAxis);
  m_map->setName(tr("mean loss per (steps, bin of t)"));
  m_map->setInterpolate(false);
  m_map->setTightBoundary(true);
  m_scale = new QCPColorScale(plot());
  plot()->plotLayout()->addElement(1, 1, m_scale);
  m_scale->setType(QCPAxis::atRight);
  m_scale->axis()->setLabel(tr("mean ‖ε − ε̂‖² / dim"));
  m_scale->setBarWidth(12);
  m_map->setColorScale(m_scale);
  QCPColorGradient gradient(QCPColorGradient::gpThermal);
  gradient.setNanHandling(QCPColorGradient::nhTransparent);
  m_map->setGradient(gradient);
  // The colour bar as tall as the plot.
  auto* margins = new QCPMarginGroup(plot());
  plot()->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
  m_scale->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
  plot()->xAxis->setLabel(tr("training step"));
  plot()->yAxis->setLabel(tr("timestep t"));
  setLogColour(true);

  connect(m_binsBox, &QComboBox::currentIndexChanged, this, [this] {
    m_bins = m_binsBox->currentData().toInt();
    emit settingsChanged();
  });
  connect(m_logBox, &QCheckBox::toggled, this, [this](bool on) {
    setLogColour(on);
    emit settingsChanged();
  });
  clear(1000);
  applyStyle();
}

void LossHeatmap::applyStyle() {
  StudioPlot::applyStyle();
  m_scale->axis()->setLabelFont(plot()->yAxis->labelFont());
  m_scale->axis()->setTickLabelFont(plot()->yAxis->tickLabelFont());
  m_scale->axis()->setLabelColor(plot()->yAxis->labelColor());
  m_scale->axis()->setTickLabelColor(plot()->yAxis->tickLabelColor());
}

void LossHeatmap::setBins(int bins) {
  const int index = m_binsBox->findData(bins);
  if (index >= 0) m_binsBox->setCurrentIndex(index);
}

bool LossHeatmap::logColour() const {
  return m_logBox->isChecked();
}

void LossHeatmap::setLogColour(bool on) {
  if (m_logBox->isChecked() != on) m_logBox->setChecked(on);  // toggled() comes back here
  m_scale->setDataScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
  setLogAxis(m_scale->axis(), on);
  queueReplot();
}

void LossHeatmap::clear(int timesteps) {
  m_map->data()->clear();
  m_map->data()->setSize(1, 1);
  m_map->data()->setCell(0, 0, std::numeric_limits<double>::quiet_NaN());
  plot()->xAxis->setRange(0, 1);
  plot()->yAxis->setRange(-0.5, std::max(1, timesteps) - 0.5);
  queueReplot();
}

void LossHeatmap::refresh(const LossHeatmapData& data) {
  const int columns = data.columns();
  const int bins = data.supportsBins(m_bins) ? m_bins : data.fineBins();
  if (columns == 0) {
    clear(data.timesteps());
    return;
  }
  // Cell (c, b) drawn centred on its step window and its bin of t.
  auto* cells = m_map->data();
  cells->setSize(columns, bins);
  const double width = static_cast<double>(data.stepsPerColumn());
  const double binHeight = static_cast<double>(data.timesteps()) / bins;
  const double x0 = data.origin() + 0.5 + width / 2;
  const double y0 = binHeight / 2 - 0.5;
  cells->setRange(QCPRange(x0, x0 + (columns - 1) * width), QCPRange(y0, y0 + (bins - 1) * binHeight));
  double low = std::numeric_limits<double>::infinity(), high = 0;
  for (int c = 0; c < columns; ++c) {
    for (int b = 0; b < bins; ++b) {
      const double mean = data.mean(c, b, bins);
      cells->setCell(c, b, mean);
      if (std::isfinite(mean) && mean > 0) {
        low = std::min(low, mean);
        high = std::max(high, mean);
      }
    }
  }
  if (high > 0) {
    if (!(high > low)) high = low * 1.01 + 1e-12;
    m_scale->setDataRange(QCPRange(logColour() ? low : 0.0, high));
  }
  plot()->xAxis->setRange(data.origin() + 0.5, data.origin() + 0.5 + columns * width);
  plot()->yAxis->setRange(-0.5, data.timesteps() - 0.5);
  queueReplot();
}

}  // namespace ddpm::ui
