#pragma once

#include <QWidget>

#include <memory>

class QCustomPlot;

namespace ddpm {
class NoiseSchedule;
struct ScheduleSpec;
}

namespace ddpm::ui {

/// Plots a noise schedule: β_t and ᾱ_t against the timestep t.
class ScheduleView : public QWidget {
  Q_OBJECT

 public:
  explicit ScheduleView(QWidget* parent = nullptr);
  ~ScheduleView() override;

  /// Replaces the schedule shown; invalid specs throw ddpm::Error and keep the old one.
  void setSchedule(const ScheduleSpec& spec);
  const NoiseSchedule& schedule() const;
  QCustomPlot* plot() const { return m_plot; }

 private:
  void replot();

  QCustomPlot* m_plot = nullptr;
  std::unique_ptr<NoiseSchedule> m_schedule;
};

}  // namespace ddpm::ui
