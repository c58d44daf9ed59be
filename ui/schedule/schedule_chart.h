#pragma once

#include "ui/schedule/schedule_series.h"
#include "ui/shared/studio_plot.h"

#include <array>
#include <memory>

class QCPAxisRect;
class QCPGraph;
class QCPItemStraightLine;
class QCPItemText;
class QCPItemTracer;
class QCPLegend;

namespace ddpm {
class NoiseSchedule;
}

namespace ddpm::ui {

/// The schedule's per-step quantities against t in three aligned panels: the scales of
/// eq. 4 (ᾱₜ, √ᾱₜ, √(1 − ᾱₜ)), the variances (βₜ, β̃ₜ; optional log axis) and log SNR.
/// A solid cursor line marks the shared t with a dot on every curve; hovering shows a
/// dashed line and a box with the values under the mouse; pressing or dragging on the
/// chart asks to move t there. A second schedule can be overlaid dashed (compare mode).
/// Replots are queued, so many changes in one event-loop pass draw once.
class ScheduleChart : public StudioPlot {
  Q_OBJECT

 public:
  explicit ScheduleChart(QWidget* parent = nullptr);
  ~ScheduleChart() override;

  void setSchedule(std::shared_ptr<const NoiseSchedule> schedule);
  /// Overlay (dashed) or nullptr for none.
  void setCompare(std::shared_ptr<const NoiseSchedule> schedule);
  void setCursorT(int t);
  void setSeriesVisible(ScheduleSeries series, bool visible);
  bool isSeriesVisible(ScheduleSeries series) const;
  void setLogVariances(bool log);
  bool logVariances() const { return m_logVariances; }

  QCPGraph* graph(ScheduleSeries series, bool compare = false) const;
  QCPAxisRect* panel(SchedulePanel panel) const { return m_rects[static_cast<int>(panel)]; }
  int cursorT() const { return m_cursorT; }
  /// The t under the mouse, or −1.
  int hoverT() const { return m_hoverT; }
  QString hoverText() const;

 signals:
  /// The user pressed or dragged on the chart at timestep t.
  void tRequested(int t);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void setGraphData(QCPGraph* graph, const NoiseSchedule* schedule, ScheduleSeries series) const;
  void refreshData();
  void rescale();
  void placeCursor();
  void updateHover(const QPoint& pixel);
  int tAtPixel(double x) const;
  void buildPanels();
  void buildSeries();
  void buildLabels();
  void applyStyle() override;
  void replotOverlay();

  std::array<QCPAxisRect*, 3> m_rects{};
  std::array<QCPLegend*, 3> m_legends{};
  std::array<class QCPLayoutGrid*, 3> m_legendCells{};  ///< legend on top, empty space below
  std::array<QCPItemStraightLine*, 3> m_cursorLines{};
  std::array<QCPItemStraightLine*, 3> m_hoverLines{};
  std::array<QCPGraph*, kScheduleSeriesCount> m_graphs{};
  std::array<QCPGraph*, kScheduleSeriesCount> m_compareGraphs{};
  std::array<QCPItemTracer*, kScheduleSeriesCount> m_tracers{};
  std::array<bool, kScheduleSeriesCount> m_visible{};
  QCPItemText* m_cursorLabel = nullptr;
  QCPItemText* m_hoverBox = nullptr;
  std::shared_ptr<const NoiseSchedule> m_schedule;
  std::shared_ptr<const NoiseSchedule> m_compare;
  int m_cursorT = 0;
  int m_hoverT = -1;
  bool m_logVariances = false;
  bool m_dragging = false;
  bool m_drawn = false;
};

}  // namespace ddpm::ui
