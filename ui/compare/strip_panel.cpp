#include "ui/compare/strip_panel.h"

#include <QFontMetrics>
#include <QPainter>
#include <QResizeEvent>

#include <algorithm>
#include <cmath>

namespace ddpm::ui {

StripPanel::StripPanel(QWidget* parent) : QWidget(parent) {}

void StripPanel::setImage(const QImage& image, bool pixelated) {
  m_image = image;
  m_pixelated = pixelated;
  m_placeholder.clear();
  update();
}

void StripPanel::setCaption(const QString& caption) {
  m_caption = caption;
  update();
}

void StripPanel::setPlaceholder(const QString& text) {
  m_placeholder = text;
  m_image = QImage();
  update();
}

QRect StripPanel::pictureArea() const {
  const int captionHeight = QFontMetrics(font()).height() + 8;
  return rect().adjusted(6, 6, -6, -captionHeight);
}

QSize StripPanel::canvasSize() const {
  const QRect area = pictureArea();
  const int side = std::max(16, static_cast<int>(std::min(area.width(), area.height()) * devicePixelRatioF()));
  return {side, side};
}

void StripPanel::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  emit canvasResized(canvasSize());
}

void StripPanel::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  const QRect area = pictureArea();
  if (m_image.isNull()) {
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(area, Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
    return;
  }
  const qreal dpr = devicePixelRatioF();
  QSizeF size;
  if (m_pixelated) {
    const double fit = std::min(area.width() * dpr / m_image.width(), area.height() * dpr / m_image.height());
    const double factor = fit >= 2.5 || fit < 1.0 ? fit : std::floor(fit);
    size = QSizeF(m_image.width() * factor / dpr, m_image.height() * factor / dpr);
  } else {
    const QSizeF logical = QSizeF(m_image.size()) / m_image.devicePixelRatio();
    size = logical * std::min(1.0, std::min(area.width() / logical.width(), area.height() / logical.height()));
  }
  const QRectF target(area.center().x() - size.width() / 2 + 0.5, area.center().y() - size.height() / 2 + 0.5,
                      size.width(), size.height());
  painter.setRenderHint(QPainter::SmoothPixmapTransform, !m_pixelated);
  painter.drawImage(target, m_image);
  painter.setPen(palette().color(QPalette::WindowText));
  painter.drawText(QRectF(0, target.bottom() + 4, width(), QFontMetrics(font()).height() + 4), Qt::AlignHCenter,
                   m_caption);
}

}  // namespace ddpm::ui
