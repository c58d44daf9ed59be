#pragma once

#include <QImage>
#include <QString>
#include <QWidget>

class QPainter;

namespace ddpm::ui {

/// Paints one cached picture with a caption below, scaled to fit and centred. Fit::Square
/// puts a title above and fits the picture into the largest square (one image, an image
/// grid); Fit::Wide has no title and lets the picture take the whole width (a strip of
/// images side by side, which a square would leave small). Pixel images are scaled by
/// whole factors without smoothing, so every data pixel stays a crisp square, until they
/// are large. Painting never computes: the owner renders the QImage beforehand.
class ImagePanel : public QWidget {
  Q_OBJECT

 public:
  enum class Fit { Square, Wide };

  explicit ImagePanel(const QString& title, QWidget* parent = nullptr);
  ImagePanel(const QString& title, Fit fit, QWidget* parent = nullptr);

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
  Fit fit() const { return m_fit; }
  /// The area, in device pixels, available for a picture rendered for this panel: the
  /// picture square (Fit::Square) or the largest square of the picture area (Fit::Wide).
  QSize canvasSize() const;

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

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
  void paintSquare(QPainter& painter);
  void paintWide(QPainter& painter);

  QString m_title;
  QString m_caption;
  QString m_placeholder;
  QImage m_image;
  bool m_pixelated = true;
  Fit m_fit = Fit::Square;
};

}  // namespace ddpm::ui
