#pragma once

#include "ui/schedule/schedule_series.h"

#include <QWidget>

#include <array>

class QCheckBox;
class QLabel;

namespace ddpm {
class NoiseSchedule;
}

namespace ddpm::ui {

/// The chart's legend and read-out in one: a check box per series (shows or hides it)
/// with the series' colour, and its value at the cursor's t for the schedule and, in
/// compare mode, for the second one.
class ScheduleReadout : public QWidget {
  Q_OBJECT

 public:
  explicit ScheduleReadout(QWidget* parent = nullptr);

  /// Values at t; `compare` may be null. Values beyond a schedule's T show "—".
  void setValues(const NoiseSchedule& schedule, const NoiseSchedule* compare, int t);
  void setSeriesChecked(ScheduleSeries series, bool checked);
  bool isSeriesChecked(ScheduleSeries series) const;
  QCheckBox* toggle(ScheduleSeries series) const { return m_toggles[static_cast<std::size_t>(series)]; }
  QString valueText(ScheduleSeries series, bool compare = false) const;

 signals:
  void seriesToggled(ScheduleSeries series, bool visible);

 private:
  std::array<QCheckBox*, kScheduleSeriesCount> m_toggles{};
  std::array<QLabel*, kScheduleSeriesCount> m_values{};
  std::array<QLabel*, kScheduleSeriesCount> m_compareValues{};
  QLabel* m_header;
  QLabel* m_compareHeader;
};

}  // namespace ddpm::ui
