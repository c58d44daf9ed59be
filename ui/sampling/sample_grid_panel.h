#pragma once

#include "ui/sampling/sample_grid.h"

#include <QImage>
#include <QRgb>
#include <QString>
#include <QWidget>

#include <vector>

namespace ddpm::ui {

/// Shows one SampleGrid (branches, reconstructions) as large as its area allows, or a
/// line of text while there is none. The grid is rendered for the widget's size when it
/// changes; painting only draws the cached picture.
class SampleGridPanel : public QWidget {
  Q_OBJECT

 public:
  explicit SampleGridPanel(QWidget* parent = nullptr);

  void setGrid(const SampleGrid& grid, const std::vector<QRgb>& colours = {});
  void setPlaceholder(const QString& text);
  const SampleGrid& grid() const { return m_grid; }
  QString placeholder() const { return m_placeholder; }
  /// The picture drawn now (null while a placeholder shows).
  const QImage& picture() const { return m_picture; }

  QSize sizeHint() const override { return {420, 320}; }
  QSize minimumSizeHint() const override { return {160, 140}; }

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  void rerender();

  SampleGrid m_grid;
  std::vector<QRgb> m_colours;
  QString m_placeholder;
  QImage m_picture;
};

}  // namespace ddpm::ui
