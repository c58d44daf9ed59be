#pragma once

#include <QObject>
#include <QString>

#include <memory>

namespace ddpm {
struct CheckpointData;
}

namespace ddpm::ui {

/// The model the window works with: a checkpoint opened with File ▸ Open checkpoint…,
/// kept whole (weights, schedule, data spec, training state) with the file it came from.
/// Holds core's CheckpointData behind a pointer so this header stays free of torch.
class CurrentModel : public QObject {
  Q_OBJECT

 public:
  explicit CurrentModel(QObject* parent = nullptr);
  ~CurrentModel() override;

  bool isLoaded() const { return m_data != nullptr; }
  /// The checkpoint; only valid while isLoaded().
  const CheckpointData& data() const { return *m_data; }
  /// The file the checkpoint was opened from or last saved to (empty when none).
  QString path() const { return m_path; }
  QString fileName() const;

  /// Makes `data`, read from or saved to `path`, the current model; emits changed().
  void set(std::unique_ptr<CheckpointData> data, const QString& path);
  /// Records that the same model now lives in `path` (after Save as); emits changed().
  void setPath(const QString& path);
  void clear();

  /// One line such as "unet-tiny on fashion-mnist, step 3000, T = 1000" (empty when none).
  QString summary() const;

 signals:
  void changed();

 private:
  std::unique_ptr<CheckpointData> m_data;
  QString m_path;
};

}  // namespace ddpm::ui
