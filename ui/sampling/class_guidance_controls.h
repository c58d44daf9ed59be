#pragma once

#include <QWidget>

#include <string>
#include <vector>

class QComboBox;
class QLabel;
class QSlider;

namespace ddpm::ui {

/// The class picker and the guidance slider of a class-conditional model (classifier-free
/// guidance, Ho & Salimans 2022): "Class" lists "Any (unconditional)" then the model's
/// classes by name; the slider sets w from 0 to kMaxWeight in steps of 0.5, enabled once a
/// class is chosen. Hidden for a model without classes (fitClasses with no names).
class ClassGuidanceControls : public QWidget {
  Q_OBJECT

 public:
  static constexpr double kMaxWeight = 10.0;
  static constexpr double kWeightStep = 0.5;

  explicit ClassGuidanceControls(QWidget* parent = nullptr);

  /// The model's class names (none: an unconditional model, and the controls hide). The
  /// chosen class stays when the new model has it.
  void fitClasses(const std::vector<std::string>& names);
  /// The chosen class, −1 for none.
  int classLabel() const;
  /// The guidance weight w (0 without a class).
  double weight() const;
  /// Puts a choice in the controls: a class the model lacks becomes none; w is rounded to
  /// the slider's step and clamped to 0 … kMaxWeight.
  void setChoice(int classLabel, double weight);

  QComboBox* classBox() const { return m_class; }
  QSlider* weightSlider() const { return m_weight; }

 signals:
  void changed();

 private:
  void updateWeightText();

  QComboBox* m_class;
  QSlider* m_weight;
  QLabel* m_weightText;
};

}  // namespace ddpm::ui
