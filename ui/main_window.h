#pragma once

#include <QMainWindow>

namespace ddpm::ui {

class ScheduleView;

/// The DDPM Studio window: one view per teaching task, menus, status bar.
class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);

  ScheduleView* scheduleView() const { return m_scheduleView; }

 private:
  ScheduleView* m_scheduleView = nullptr;
};

}  // namespace ddpm::ui
