#pragma once

#include <QImage>
#include <QString>
#include <QWidget>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace ddpm::ui {

class CheckpointPicker;
class CurrentModel;
class ImagePanel;
class SlerpSession;
struct SlerpSettings;
struct SlerpStrip;

/// Noise-space interpolation: the x_T of two seeds joined along a great circle (slerp,
/// core/sampling/slerp.h) at k evenly spaced λ, each x_T(λ) sampled with DDIM η = 0
/// (deterministic, so neighbouring λ give neighbouring pictures) or DDPM with the same z
/// for every λ; shown as a strip of images (columns λ = 0 … 1) or points coloured by λ.
class SlerpPanel : public QWidget {
  Q_OBJECT

 public:
  explicit SlerpPanel(CurrentModel* model, QWidget* parent = nullptr);
  ~SlerpPanel() override;

  CheckpointPicker* picker() const { return m_picker; }
  SlerpSession* session() const { return m_session; }
  /// The strip of pictures (an ImagePanel fitted wide).
  ImagePanel* stripPanel() const { return m_strip; }
  QPushButton* runButton() const { return m_run; }

  SlerpSettings settings() const;
  void setSettings(const SlerpSettings& settings);
  /// Starts the interpolation; false (and a message) without a model.
  bool startRun();
  QString message() const;
  /// The strip with λ labels, for PNG export (null before a run finished).
  QImage composeImage() const;
  /// "θ = 89.6° between the two x_T …" once a strip is there.
  QString summary() const;

 signals:
  void runEnded(bool ok);
  void exportRequested();

 private:
  void setUpControls();
  void layOut();
  void connectSignals();
  void render();
  void updateState();
  void showMessage(const QString& text);

  CheckpointPicker* m_picker;
  SlerpSession* m_session;
  QSpinBox* m_seedA;
  QSpinBox* m_seedB;
  QSpinBox* m_count;
  QSpinBox* m_samples;
  QComboBox* m_sampler;
  QSpinBox* m_steps;
  QPushButton* m_run;
  QPushButton* m_stop;
  QPushButton* m_export;
  QProgressBar* m_progress;
  QLabel* m_message;
  QLabel* m_summary;
  QLabel* m_stripTitle;
  ImagePanel* m_strip;
};

}  // namespace ddpm::ui
