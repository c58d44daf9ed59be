#pragma once

#include <QImage>
#include <QString>
#include <QWidget>

namespace ddpm::ui {

/// Paints one cached picture with a title above it and a caption below, scaled to fit
/// and centred. Pixel images (an image grid) are scaled by whole factors without
/// smoothing, so every data pixel stays a crisp square. Painting never computes: the
/// owner renders the QImage beforehand and hands it over.
class ImagePanel : public QWidget {
  Q_OBJECT

 public:
  explicit ImagePanel(const QString& title, QWidget* parent = nullptr);

  void setTitle(const QString& title);
  void setCaption(const QString& caption);
  /// `pixelated`: nearest-neighbour, whole-factor scaling (image data); otherwise the
  /// image is drawn at its own size (a canvas rendered for this panel, see canvasSize).
  void setImage(const QImage& image, bool pixelated);
  void setPlaceholder(const QString& text);

  const QImage& image() const { return m_image; }
  QString title() const { return m_title; }
  QString caption() const { return m_caption; }
  /// The text shown in place of a picture (empty when a picture is shown).
  QString placeholder() const { return m_placeholder; }
  /// The square area, in device pixels, available for a picture rendered for this panel.
  QSize canvasSize() const;

  QSize sizeHint() const override { return {260, 280}; }
  QSize minimumSizeHint() const override { return {120, 140}; }

 signals:
  /// The picture area changed size (device pixels): canvases should be re-rendered.
  void canvasResized(QSize pixels);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  QRect pictureRect() const;
  /// Where the image is drawn inside pictureRect().
  QRectF drawnRect() const;

  QString m_title;
  QString m_caption;
  QString m_placeholder;
  QImage m_image;
  bool m_pixelated = true;
};

}  // namespace ddpm::ui
