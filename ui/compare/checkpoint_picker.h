#pragma once

#include <QString>
#include <QWidget>

#include <cstdint>
#include <memory>
#include <vector>

class QComboBox;
class QPushButton;

namespace ddpm {
struct CheckpointData;
}

namespace ddpm::ui {

class CurrentModel;

/// Chooses the model one side of a comparison samples from: the window's current model
/// (the default, followed when it changes), one of the shipped checkpoints by name, or a
/// file (Browse…). The checkpoint is read when chosen (a few MB, as File ▸ Open
/// checkpoint reads it) and shared read-only with workers; a file that will not load
/// leaves no model and a sentence in error().
class CheckpointPicker : public QWidget {
  Q_OBJECT

 public:
  explicit CheckpointPicker(CurrentModel* model, QWidget* parent = nullptr);
  ~CheckpointPicker() override;

  /// The chosen model, or null (none loaded, or it failed to load: see error()).
  std::shared_ptr<const CheckpointData> checkpoint() const { return m_checkpoint; }
  /// A short name for titles: the checkpoint file's name without ".safetensors" ("moons").
  QString name() const { return m_name; }
  /// Why there is no model (empty when there is one).
  QString error() const { return m_error; }
  /// The chosen model's sample shape (empty when none).
  std::vector<std::int64_t> sampleShape() const;

  /// Chooses a shipped checkpoint by name; false when there is no such name.
  bool selectShipped(const QString& name);
  /// Chooses the window's current model.
  void selectCurrent();
  /// Chooses the checkpoint file at `path` (what Browse… does); false with error() set.
  bool openFile(const QString& path);

  QComboBox* combo() const { return m_combo; }

 signals:
  /// The chosen model (or its absence) changed.
  void changed();

 private:
  void onChoice(int index);
  void reloadCurrent();
  void setLoaded(std::shared_ptr<const CheckpointData> data, const QString& name);
  void setFailed(const QString& error);

  CurrentModel* m_model;
  QComboBox* m_combo;
  QPushButton* m_browse;
  std::shared_ptr<const CheckpointData> m_checkpoint;
  QString m_name;
  QString m_error;
  QString m_filePath;  // the Browse… choice, shown as the last combo item
};

}  // namespace ddpm::ui
