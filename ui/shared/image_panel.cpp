#include "ui/shared/image_panel.h"

#include "ui/shared/studio_style.h"

#include <QPainter>
#include <QResizeEvent>

#include <algorithm>
#include <cmath>

namespace ddpm::ui {

ImagePanel::ImagePanel(const QString& title, QWidget* parent) : ImagePanel(title, Fit::Square, parent) {}

ImagePanel::ImagePanel(const QString& title, Fit fit, QWidget* parent) : QWidget(parent), m_title(title), m_fit(fit) {
  if (fit == Fit::Square) setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
  setAttribute(Qt::WA_OpaquePaintEvent, false);
}

QSize ImagePanel::sizeHint() const {
  return m_fit == Fit::Square ? QSize(260, 280) : QSize(600, 300);
}

QSize ImagePanel::minimumSizeHint() const {
  return m_fit == Fit::Square ? QSize(120, 140) : QSize(200, 120);
}

void ImagePanel::setTitle(const QString& title) {
  m_title = title;
  update();
}

void ImagePanel::setCaption(const QString& caption) {
  if (caption == m_caption) return;
  m_caption = caption;
  update();
}

void ImagePanel::setImage(const QImage& image, bool pixelated) {
  m_image = image;
  m_pixelated = pixelated;
  m_placeholder.clear();
  update();
}

void ImagePanel::setPlaceholder(const QString& text) {
  m_placeholder = text;
  m_image = QImage();
  update();
}

QRect ImagePanel::pictureRect() const {
  const int captionHeight = QFontMetrics(font()).height() + 8;
  if (m_fit == Fit::Wide) return rect().adjusted(6, 6, -6, -captionHeight);
  // The largest square that fits under the title and above the caption.
  const int titleHeight = QFontMetrics(scaledFont(font(), 1.1, true)).height() + 8;
  const QRect area = rect().adjusted(6, titleHeight, -6, -captionHeight);
  const int side = std::max(0, std::min(area.width(), area.height()));
  return QRect(area.center().x() - side / 2 + 1, area.top() + (area.height() - side) / 2, side, side);
}

QRectF ImagePanel::drawnRect() const {
  const QRect target = pictureRect();
  if (m_image.isNull() || target.width() <= 0) return QRectF(target);
  QSizeF size;
  if (m_pixelated) {
    // Whole multiples of the image's pixels keep every pixel square; from 2.5× up, the
    // few-percent unevenness of a fractional factor is invisible and the picture is bigger.
    const qreal dpr = devicePixelRatioF();
    const double fit = std::min(target.width() * dpr / m_image.width(), target.height() * dpr / m_image.height());
    const double factor = fit >= 2.5 || fit < 1.0 ? fit : std::floor(fit);
    size = QSizeF(m_image.width() * factor / dpr, m_image.height() * factor / dpr);
  } else {
    const QSizeF logical = QSizeF(m_image.size()) / m_image.devicePixelRatio();
    const double fit = std::min(target.width() / logical.width(), target.height() / logical.height());
    size = logical * std::min(1.0, fit);
  }
  return QRectF(target.center().x() - size.width() / 2 + 0.5, target.center().y() - size.height() / 2 + 0.5,
                size.width(), size.height());
}

QSize ImagePanel::canvasSize() const {
  const QRect r = pictureRect();
  const qreal dpr = devicePixelRatioF();
  if (m_fit == Fit::Wide) {
    const int side = std::max(16, static_cast<int>(std::min(r.width(), r.height()) * dpr));
    return {side, side};
  }
  return QSize(static_cast<int>(r.width() * dpr), static_cast<int>(r.height() * dpr));
}

void ImagePanel::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  emit canvasResized(canvasSize());
}

void ImagePanel::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  if (m_fit == Fit::Wide) paintWide(painter);
  else paintSquare(painter);
}

void ImagePanel::paintSquare(QPainter& painter) {
  const QFont titleFont = scaledFont(font(), 1.1, true);
  const QFontMetrics titleMetrics(titleFont);
  const QFontMetrics captionMetrics(font());
  const bool hasImage = !m_image.isNull() && pictureRect().width() > 0;
  const QRectF drawn = hasImage ? drawnRect() : QRectF(pictureRect());

  // Title just above the picture, caption just below it: one group, centred.
  painter.setFont(titleFont);
  painter.setPen(colours::kText);
  const int titleTop = std::max(2, static_cast<int>(drawn.top()) - titleMetrics.height() - 6);
  painter.drawText(QRect(0, titleTop, width(), titleMetrics.height()), Qt::AlignHCenter | Qt::AlignTop, m_title);

  if (hasImage) {
    painter.setRenderHint(QPainter::SmoothPixmapTransform, !m_pixelated);
    painter.drawImage(drawn, m_image);
    painter.setPen(QPen(QColor(0xd0, 0xd5, 0xdd), 1));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(drawn.adjusted(-0.5, -0.5, 0.5, 0.5));
  } else if (!m_placeholder.isEmpty()) {
    painter.setPen(colours::kMutedText);
    painter.drawText(pictureRect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
  }

  painter.setFont(font());
  painter.setPen(colours::kMutedText);
  const QString caption = captionMetrics.elidedText(m_caption, Qt::ElideRight, width() - 8);
  const int captionTop = std::min(height() - captionMetrics.height() - 2, static_cast<int>(drawn.bottom()) + 6);
  painter.drawText(QRect(0, captionTop, width(), captionMetrics.height()), Qt::AlignHCenter | Qt::AlignTop, caption);
}

void ImagePanel::paintWide(QPainter& painter) {
  if (m_image.isNull()) {
    painter.setPen(palette().color(QPalette::PlaceholderText));
    painter.drawText(pictureRect(), Qt::AlignCenter | Qt::TextWordWrap, m_placeholder);
    return;
  }
  // The caption follows the picture, in the text colour, without a frame.
  const QRectF target = drawnRect();
  painter.setRenderHint(QPainter::SmoothPixmapTransform, !m_pixelated);
  painter.drawImage(target, m_image);
  painter.setPen(palette().color(QPalette::WindowText));
  painter.drawText(QRectF(0, target.bottom() + 4, width(), QFontMetrics(font()).height() + 4), Qt::AlignHCenter,
                   m_caption);
}

}  // namespace ddpm::ui
