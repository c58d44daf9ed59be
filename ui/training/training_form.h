#pragma once

#include "ui/training/training_config.h"

#include <QString>
#include <QStringList>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSettings;
class QSpinBox;
class QDoubleSpinBox;
class QToolButton;

namespace ddpm::ui {

class ScheduleModel;

/// The settings of a training run: data, model preset, the window's schedule, steps,
/// batch, learning rate, EMA, seed, autosave, device, output file, and optionally a
/// checkpoint to continue. Choosing data picks sensible defaults (the MLP for 2D points,
/// unet-tiny for images). readConfig() turns the form into a TrainingConfig and lists
/// what is wrong in words instead of accepting bad input.
class TrainingForm : public QWidget {
  Q_OBJECT

 public:
  explicit TrainingForm(ScheduleModel* schedule, QWidget* parent = nullptr);

  /// Where runs go unless the person chooses a file: ~/.local/share/ddpm-studio/checkpoints.
  static QString defaultCheckpointFolder();
  /// Where this form names new runs (defaultCheckpointFolder() unless set, e.g. a
  /// temporary folder for a window started with --fresh).
  void setRunsFolder(const QString& folder);
  QString runsFolder() const { return m_runsFolder; }

  /// The run the form describes; false (with one sentence per problem) when it is invalid.
  bool readConfig(TrainingConfig* config, QStringList* problems) const;

  /// A built-in SPEC ("moons", "fashion-mnist"), "csv:PATH" or "images:DIR".
  void setDataSpec(const QString& spec);
  QString dataSpec() const;
  void setModel(const QString& preset);
  QString model() const;
  void setTotalSteps(qint64 steps);
  void setBatchSize(int batch);
  void setLearningRate(double lr);
  void setEmaDecay(double decay);
  void setSeed(quint64 seed);
  void setAutosaveEvery(qint64 steps);
  void setDevice(const QString& device);
  void setThreads(int threads);
  void setPreviewSeconds(double seconds);
  /// Sets the checkpoint file; an explicit path stops the automatic naming.
  void setOutputPath(const QString& path);
  QString outputPath() const;

  /// Continue the run saved in `path`: data, model, schedule and numbers are taken from
  /// its metadata and the output defaults to the same file. False with the reason.
  bool setResumeCheckpoint(const QString& path, QString* error);
  void clearResume();
  QString resumePath() const { return m_resumePath; }
  qint64 resumeStep() const { return m_resumeStep; }

  /// Before a run starts: an automatic output name that already exists (from an earlier
  /// run) moves on to the next free one, so no run overwrites another's checkpoint.
  void claimOutputPath();
  /// Whether inputs can be changed (not while a run goes on).
  void setEditable(bool editable);

  void saveState(QSettings& settings) const;
  void restoreState(QSettings& settings);

  QComboBox* dataBox() const { return m_data; }
  QComboBox* modelBox() const { return m_model; }
  QComboBox* deviceBox() const { return m_device; }
  QLineEdit* learningRateEdit() const { return m_lr; }
  QLineEdit* emaEdit() const { return m_ema; }
  QLineEdit* seedEdit() const { return m_seed; }
  QSpinBox* stepsBox() const { return m_steps; }
  QSpinBox* batchBox() const { return m_batch; }
  QLabel* deviceNote() const { return m_deviceNote; }
  QComboBox* precisionBox() const { return m_precision; }
  /// What the network predicts (eps, mu, x0) and what it is trained on (simple, bound).
  QComboBox* objectiveBox() const { return m_objective; }
  QComboBox* lossBox() const { return m_loss; }

 signals:
  /// Something the Start button's text or the view's notes depend on changed.
  void changed();
  /// The person asked to edit the schedule (it lives in the Schedule view).
  void editScheduleRequested();

 private:
  void setUpDataChoices();
  void setUpRunChoices();
  void setUpDeviceChoices();
  void setUpOutputChoices();
  void layOut();
  void connectSignals();
  void onDataChosen();
  void updateModelChoices();
  void applyDataDefaults(bool images);
  void updateScheduleText();
  void updateAutoOutput();
  void showOutput(const QString& path);
  void browseData();
  void browseOutput();
  QString autoOutputPath() const;

  ScheduleModel* m_schedule;
  QComboBox* m_data;
  QLineEdit* m_dataPath;
  QPushButton* m_dataBrowse;
  QWidget* m_dataPathRow;
  QComboBox* m_model;
  QComboBox* m_objective;
  QComboBox* m_loss;
  QLabel* m_scheduleText;
  QToolButton* m_editSchedule;
  QSpinBox* m_steps;
  QSpinBox* m_batch;
  QLineEdit* m_lr;
  QLineEdit* m_ema;
  QLineEdit* m_seed;
  QSpinBox* m_autosave;
  QComboBox* m_device;
  QLabel* m_deviceNote;
  QComboBox* m_precision;
  QSpinBox* m_threads;
  QDoubleSpinBox* m_preview;
  QLabel* m_output;  ///< m_outputPath, shown whole
  QString m_outputPath;
  QString m_runsFolder = defaultCheckpointFolder();
  QPushButton* m_outputBrowse;
  QLabel* m_resumeText;
  QString m_resumePath;
  qint64 m_resumeStep = 0;
  QString m_resumeData;
  ScheduleSpec m_resumeSchedule;
  bool m_outputAuto = true;
  bool m_lastWasImages = false;
  bool m_settingOutput = false;
};

}  // namespace ddpm::ui
