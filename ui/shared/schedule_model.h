#pragma once

#include "core/schedule/noise_schedule.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>

class QSettings;

namespace ddpm::ui {

/// Owns the noise schedule the whole window shows. A new spec is validated by core's
/// NoiseSchedule before anything changes: a bad one is refused with core's reason and
/// the previous schedule stays in force, so a view never sees an invalid schedule.
class ScheduleModel : public QObject {
  Q_OBJECT

 public:
  /// Starts with the paper's schedule: linear, T = 1000, β from 10⁻⁴ to 0.02.
  explicit ScheduleModel(QObject* parent = nullptr);

  const NoiseSchedule& schedule() const { return *m_schedule; }
  /// The same schedule, shareable with objects that outlive a change.
  std::shared_ptr<const NoiseSchedule> sharedSchedule() const { return m_schedule; }
  const ScheduleSpec& spec() const { return m_schedule->spec(); }
  int steps() const { return static_cast<int>(m_schedule->steps()); }
  QStringList warnings() const;

  /// Builds the schedule for `spec`. On success it replaces the current one and emits
  /// scheduleChanged (unless nothing changed) and returns an empty string; on failure it
  /// returns the reason and keeps the current schedule.
  QString trySetSpec(const ScheduleSpec& spec);

  /// One line such as "linear, T = 1000, β 1×10⁻⁴ → 0.02".
  static QString describe(const ScheduleSpec& spec);
  QString describe() const { return describe(spec()); }

  /// Stores a spec under `group` (a custom schedule is stored as its file's path).
  static void saveSpec(QSettings& settings, const QString& group, const ScheduleSpec& spec);
  /// Reads a spec stored by saveSpec; a custom schedule's file is read again. Returns
  /// false with a reason in `error` when nothing usable is stored or the file is gone.
  static bool loadSpec(QSettings& settings, const QString& group, ScheduleSpec* spec, QString* error);

 signals:
  void scheduleChanged();

 private:
  std::shared_ptr<const NoiseSchedule> m_schedule;
};

}  // namespace ddpm::ui
