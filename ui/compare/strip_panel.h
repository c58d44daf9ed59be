#pragma once

#include <QImage>
#include <QString>
#include <QWidget>

namespace ddpm::ui {

/// A wide picture (a strip of images side by side) drawn as large as the widget allows,
/// with a caption below. ImagePanel fits pictures into a square, which leaves a strip
/// of nine images small; this fills the width. Pixel images are scaled by whole factors
/// (every data pixel a crisp square) until they are large, as ImagePanel does.
class StripPanel : public QWidget {
  Q_OBJECT

 public:
  explicit StripPanel(QWidget* parent = nullptr);

  void setImage(const QImage& image, bool pixelated);
  void setCaption(const QString& caption);
  void setPlaceholder(const QString& text);

  const QImage& image() const { return m_image; }
  QString caption() const { return m_caption; }
  QString placeholder() const { return m_placeholder; }
  /// The largest square, in device pixels, for a canvas rendered for this panel (points).
  QSize canvasSize() const;

  QSize sizeHint() const override { return {600, 300}; }
  QSize minimumSizeHint() const override { return {200, 120}; }

 signals:
  void canvasResized(QSize pixels);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  QRect pictureArea() const;

  QImage m_image;
  bool m_pixelated = true;
  QString m_caption;
  QString m_placeholder;
};

}  // namespace ddpm::ui
