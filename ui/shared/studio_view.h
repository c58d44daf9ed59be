#pragma once

#include <QIcon>
#include <QString>
#include <QWidget>

class QSettings;

namespace ddpm::ui {

class ScheduleModel;
class TimestepCursor;

/// One teaching view of the window (Schedule, Forward process; Training and Sampling
/// slot in the same way). It shows the shared schedule at the shared timestep, tells the
/// formula panel what to display, and can export its picture. A hidden view defers work
/// until it is shown again.
class StudioView : public QWidget {
  Q_OBJECT

 public:
  StudioView(ScheduleModel* schedule, TimestepCursor* cursor, QWidget* parent = nullptr);

  /// Stable id used in settings and on the command line ("schedule", "forward").
  virtual QString key() const = 0;
  /// Name in the navigation ("Schedule").
  virtual QString title() const = 0;
  virtual QIcon icon() const = 0;
  /// Rich text for the formula panel: the equation for what is on screen with the
  /// current numbers filled in.
  virtual QString formulaHtml() const = 0;

  /// A file name to suggest when exporting this view's picture.
  virtual QString exportImageName() const = 0;
  /// Writes this view's picture as PNG; false with a reason in `error` on failure.
  virtual bool exportImage(const QString& path, QString* error) = 0;

  virtual void saveState(QSettings& settings) const;
  virtual void restoreState(QSettings& settings);

  ScheduleModel* scheduleModel() const { return m_schedule; }
  TimestepCursor* cursor() const { return m_cursor; }

 signals:
  /// The formula's numbers or form changed (t moved, schedule or data changed).
  void formulaChanged();
  /// A short note for the status bar.
  void statusMessage(const QString& text);

 protected:
  ScheduleModel* m_schedule;
  TimestepCursor* m_cursor;
};

}  // namespace ddpm::ui
