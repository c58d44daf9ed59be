#include "ui/sampling/sample_grid_panel.h"

#include "ui/shared/studio_style.h"

#include <QPainter>
#include <QResizeEvent>

#include <algorithm>

namespace ddpm::ui {

SampleGridPanel::SampleGridPanel(QWidget* parent) : QWidget(parent) {
  setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void SampleGridPanel::setGrid(const SampleGrid& grid, const std::vector<QRgb>& colours) {
  m_grid = grid;
  m_colours = colours;
  m_placeholder.clear();
  rerender();
}

void SampleGridPanel::setPlaceholder(const QString& text) {
  m_placeholder = text;
  m_picture = QImage();
  update();
}

void SampleGridPanel::rerender() {
  m_picture = m_placeholder.isEmpty() ? renderSampleGrid(m_grid, size() * devicePixelRatioF(), devicePixelRatioF(), m_colours)
                                      : QImage();
  update();
}

void SampleGridPanel::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  if (m_placeholder.isEmpty() && !m_grid.isEmpty()) rerender();
}

void SampleGridPanel::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  if (m_picture.isNull()) {
    painter.setPen(colours::kMutedText);
    painter.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
    return;
  }
  const QSizeF logical = QSizeF(m_picture.size()) / m_picture.devicePixelRatio();
  const double fit = std::min({1.0, width() / logical.width(), height() / logical.height()});
  const QSizeF drawn = logical * fit;
  painter.setRenderHint(QPainter::SmoothPixmapTransform, fit < 1.0);
  painter.drawImage(QRectF(QPointF((width() - drawn.width()) / 2, (height() - drawn.height()) / 2), drawn), m_picture);
}

}  // namespace ddpm::ui
