#pragma once

#include <QWidget>

class QColor;
class QCPAxis;
class QCPTextElement;
class QCustomPlot;
class QVBoxLayout;

namespace ddpm::ui {

/// The skeleton every QCustomPlot chart of the studio shares: the plot filling the
/// widget, an optional bold title row above the axes, the studio's styling (applied
/// again when the widget's font changes), queued replots (many changes in one
/// event-loop pass draw once) and a PNG export. A chart derives from it, builds its own
/// series in its constructor, calls applyStyle() last, and overrides applyStyle() for
/// what it styles beyond the axes and the title.
class StudioPlot : public QWidget {
  Q_OBJECT

 public:
  QCustomPlot* plot() const { return m_plot; }

  /// Replaces the title row's text (charts made with addTitle).
  void setTitleText(const QString& text);
  /// Writes the chart as PNG at twice its on-screen resolution (at least 640 × 480).
  bool savePng(const QString& path, QString* error) const;

 protected:
  explicit StudioPlot(QWidget* parent);

  /// Adds the bold title row above the axes.
  void addTitle(const QString& text);
  /// Shows the legend in a row of its own under the axes, two entries a line, so it
  /// never covers a curve (call it after addTitle).
  void placeLegendBelow();
  QCPTextElement* title() const { return m_title; }
  /// The column that holds the plot (a chart may put controls above it).
  QVBoxLayout* column() const { return m_column; }

  /// The studio's axes, fonts and title style; an override calls this first.
  virtual void applyStyle();
  /// The right axis drawn like the left one, in `colour`.
  void styleRightAxis(const QColor& colour);
  /// One replot at the next event-loop pass.
  void queueReplot();
  /// Log or linear scale with the matching ticker.
  static void setLogAxis(QCPAxis* axis, bool log);

  void changeEvent(QEvent* event) override;

 private:
  QCustomPlot* m_plot;
  QVBoxLayout* m_column;
  QCPTextElement* m_title = nullptr;
};

}  // namespace ddpm::ui
