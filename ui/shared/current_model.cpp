#include "core/checkpoint/checkpoint.h"

#include "ui/shared/current_model.h"

#include <QFileInfo>

namespace ddpm::ui {

CurrentModel::CurrentModel(QObject* parent) : QObject(parent) {}

CurrentModel::~CurrentModel() = default;

QString CurrentModel::fileName() const {
  return m_path.isEmpty() ? QString() : QFileInfo(m_path).fileName();
}

void CurrentModel::set(std::unique_ptr<CheckpointData> data, const QString& path) {
  m_data = std::move(data);
  m_path = m_data ? path : QString();
  emit changed();
}

void CurrentModel::setPath(const QString& path) {
  if (!m_data || path == m_path) return;
  m_path = path;
  emit changed();
}

void CurrentModel::clear() {
  if (!m_data) return;
  m_data.reset();
  m_path.clear();
  emit changed();
}

QString CurrentModel::summary() const {
  if (!m_data) return {};
  QString text = tr("%1 on %2, step %3, T = %4")
                     .arg(QString::fromStdString(m_data->model.preset), QString::fromStdString(m_data->data_spec))
                     .arg(m_data->step)
                     .arg(m_data->schedule.steps);
  if (m_data->model.objective != Objective::Eps || m_data->training.loss != "simple")
    text += tr(", predicts %1 (%2 loss)")
                .arg(QString::fromStdString(to_string(m_data->model.objective)), QString::fromStdString(m_data->training.loss));
  return text;
}

}  // namespace ddpm::ui
