#pragma once

#include "core/checkpoint/checkpoint.h"

#include <QString>
#include <QWidget>

#include <memory>
#include <string>
#include <vector>

class QComboBox;
class QLabel;
class QSlider;

namespace ddpm::ui {

/// Classifier guidance of an unconditional model (Dhariwal & Nichol 2021): "Classifier"
/// lists None, the shipped noise-aware classifiers that fit the model (same sample shape,
/// schedule and coordinates), the files opened before, and "Open file…"; once one is
/// chosen, "Class" lists its classes and the slider sets the scale s from 0 to kMaxScale in
/// steps of kScaleStep. A file that does not fit the model is refused in the message label,
/// and the choice stays. Hidden for a class-conditional model (it has classifier-free
/// guidance) and without a model.
class ClassifierGuidanceControls : public QWidget {
  Q_OBJECT

 public:
  static constexpr double kMaxScale = 20.0;
  static constexpr double kScaleStep = 0.5;

  explicit ClassifierGuidanceControls(QWidget* parent = nullptr);

  /// The model to guide (null: none). Lists the classifiers that fit it; the chosen one
  /// stays when it still fits.
  void fitModel(std::shared_ptr<const CheckpointData> model);
  /// Chooses the classifier file at `path` when it fits the model; else an error message
  /// (and the choice is unchanged). The shipped name of a classifier works too.
  QString openClassifier(const QString& path);
  /// The chosen classifier file; empty for none.
  QString classifierPath() const;
  /// The chosen class, −1 without a classifier.
  int classLabel() const;
  /// The scale s (0 without a classifier).
  double scale() const;
  /// Puts a choice in the controls (a class the classifier lacks becomes its first; s is
  /// rounded to the slider's step and clamped to 0 … kMaxScale).
  void setChoice(int classLabel, double scale);

  QComboBox* classifierBox() const { return m_classifier; }
  QComboBox* classBox() const { return m_class; }
  QSlider* scaleSlider() const { return m_scale; }
  QLabel* messageLabel() const { return m_message; }

 signals:
  void changed();

 private:
  void chooseFile();
  void onClassifierChosen();
  void updateScaleText();
  void addClassifierItem(const QString& label, const QString& path);

  std::shared_ptr<const CheckpointData> m_model;
  QComboBox* m_classifier;
  QComboBox* m_class;
  QSlider* m_scale;
  QLabel* m_scaleText;
  QLabel* m_message;
  QString m_lastPath;  // the classifier chosen before "Open file…", to return to on cancel
};

}  // namespace ddpm::ui
