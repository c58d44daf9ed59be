#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace ddpm::ui {

class CurrentModel;

/// The line at the top of the Sampling view: which model is sampled (its file, network,
/// weights, training steps, data and schedule) and an "Open checkpoint…" button. When the
/// trajectory shown came from another model, it says so.
class ModelLine : public QWidget {
  Q_OBJECT

 public:
  explicit ModelLine(QWidget* parent = nullptr);

  /// Describes `model`, or says there is none yet. `trajectoryModel` identifies the model
  /// the recorded trajectory came from (CurrentModel::summary() + path(); empty: none).
  void describe(const CurrentModel& model, const QString& trajectoryModel);
  /// The line as plain text.
  QString plainText() const;

 signals:
  /// The person asked to open a checkpoint.
  void openRequested();

 private:
  QLabel* m_label;
  QPushButton* m_open;
};

}  // namespace ddpm::ui
