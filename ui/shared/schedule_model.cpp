#include "ui/shared/schedule_model.h"

#include "ui/shared/maths_format.h"
#include "core/schedule/betas_file.h"
#include "core/util/error.h"

#include <QFileInfo>
#include <QSettings>

namespace ddpm::ui {

ScheduleModel::ScheduleModel(QObject* parent)
    : QObject(parent), m_schedule(std::make_shared<const NoiseSchedule>(ScheduleSpec{})) {}

QStringList ScheduleModel::warnings() const {
  QStringList list;
  for (const auto& w : m_schedule->warnings()) list << QString::fromStdString(w);
  return list;
}

QString ScheduleModel::trySetSpec(const ScheduleSpec& spec) {
  std::shared_ptr<const NoiseSchedule> next;
  try {
    next = std::make_shared<const NoiseSchedule>(spec);
  } catch (const Error& error) {
    return QString::fromStdString(error.what());
  } catch (const std::exception& error) {
    return QString::fromStdString(error.what());
  }
  const bool same = next->spec() == m_schedule->spec() && next->spec().custom_source == m_schedule->spec().custom_source;
  m_schedule = std::move(next);
  if (!same) emit scheduleChanged();
  return {};
}

QString ScheduleModel::describe(const ScheduleSpec& spec) {
  const QString kind = QString::fromStdString(to_string(spec.kind));
  switch (spec.kind) {
    case ScheduleKind::Cosine:
      return QStringLiteral("cosine, T = %1, s = %2").arg(spec.steps).arg(formatNumber(spec.cosine_s, 4, true));
    case ScheduleKind::Custom: {
      const QString source = QFileInfo(QString::fromStdString(spec.custom_source)).fileName();
      return QStringLiteral("custom, T = %1%2")
          .arg(spec.custom_betas.size())
          .arg(source.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(source));
    }
    default:
      return QStringLiteral("%1, T = %2, β %3 → %4")
          .arg(kind)
          .arg(spec.steps)
          .arg(formatNumber(spec.beta_start, 4, true), formatNumber(spec.beta_end, 4, true));
  }
}

void ScheduleModel::saveSpec(QSettings& settings, const QString& group, const ScheduleSpec& spec) {
  settings.beginGroup(group);
  settings.setValue(QStringLiteral("kind"), QString::fromStdString(to_string(spec.kind)));
  settings.setValue(QStringLiteral("steps"), static_cast<qlonglong>(spec.steps));
  settings.setValue(QStringLiteral("betaStart"), spec.beta_start);
  settings.setValue(QStringLiteral("betaEnd"), spec.beta_end);
  settings.setValue(QStringLiteral("cosineS"), spec.cosine_s);
  settings.setValue(QStringLiteral("betasFile"), QString::fromStdString(spec.custom_source));
  settings.endGroup();
}

bool ScheduleModel::loadSpec(QSettings& settings, const QString& group, ScheduleSpec* spec, QString* error) {
  settings.beginGroup(group);
  const QString kind = settings.value(QStringLiteral("kind")).toString();
  ScheduleSpec loaded;
  bool ok = !kind.isEmpty();
  try {
    if (ok) {
      loaded.kind = schedule_kind_from_string(kind.toStdString());
      loaded.steps = settings.value(QStringLiteral("steps"), 1000).toLongLong();
      loaded.beta_start = settings.value(QStringLiteral("betaStart"), loaded.beta_start).toDouble();
      loaded.beta_end = settings.value(QStringLiteral("betaEnd"), loaded.beta_end).toDouble();
      loaded.cosine_s = settings.value(QStringLiteral("cosineS"), loaded.cosine_s).toDouble();
      if (loaded.kind == ScheduleKind::Custom) {
        loaded.custom_source = settings.value(QStringLiteral("betasFile")).toString().toStdString();
        loaded.custom_betas = read_betas_file(loaded.custom_source);
        loaded.steps = static_cast<std::int64_t>(loaded.custom_betas.size());
      }
      NoiseSchedule check(loaded);  // refuse a stored spec that is no longer valid
    } else if (error) {
      *error = QObject::tr("no schedule stored");
    }
  } catch (const std::exception& e) {
    ok = false;
    if (error) *error = QString::fromStdString(e.what());
  }
  settings.endGroup();
  if (ok) *spec = loaded;
  return ok;
}

}  // namespace ddpm::ui
