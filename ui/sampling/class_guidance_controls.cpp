#include "ui/sampling/class_guidance_controls.h"

#include "ui/shared/maths_format.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>

#include <algorithm>
#include <cmath>

namespace ddpm::ui {

ClassGuidanceControls::ClassGuidanceControls(QWidget* parent)
    : QWidget(parent), m_class(new QComboBox(this)), m_weight(new QSlider(Qt::Horizontal, this)), m_weightText(new QLabel(this)) {
  m_class->setObjectName(QStringLiteral("guidanceClass"));
  m_class->setToolTip(tr("Draw every sample from this class: the model was trained with its labels (and, one time in "
                         "ten, with none), so it predicts ε(xₜ, c) for a class c and ε(xₜ, ∅) without one"));
  m_weight->setObjectName(QStringLiteral("guidanceWeight"));
  m_weight->setRange(0, static_cast<int>(std::lround(kMaxWeight / kWeightStep)));
  m_weight->setPageStep(2);
  m_weight->setMinimumWidth(90);
  m_weight->setToolTip(tr("Classifier-free guidance w: ε̃ = (1 + w) ε(xₜ, c) − w ε(xₜ, ∅). 0 samples the class as "
                          "trained; larger w pushes away from the unconditional prediction: more typical of the class, "
                          "less varied"));
  m_weightText->setMinimumWidth(m_weightText->fontMetrics().horizontalAdvance(QStringLiteral("w = 10.0")));
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(0, 0, 0, 0);
  row->setSpacing(6);
  row->addWidget(new QLabel(tr("Class"), this));
  row->addWidget(m_class);
  row->addWidget(new QLabel(tr("Guidance"), this));
  row->addWidget(m_weight);
  row->addWidget(m_weightText);
  connect(m_class, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
    updateWeightText();
    emit changed();
  });
  connect(m_weight, &QSlider::valueChanged, this, [this] {
    updateWeightText();
    emit changed();
  });
  fitClasses({});
}

void ClassGuidanceControls::fitClasses(const std::vector<std::string>& names) {
  const int chosen = classLabel();
  {
    const QSignalBlocker blocker(m_class);
    m_class->clear();
    m_class->addItem(tr("Any (unconditional)"), -1);
    for (std::size_t k = 0; k < names.size(); ++k)
      m_class->addItem(tr("%1 · %2").arg(k).arg(QString::fromStdString(names[k])), static_cast<int>(k));
    m_class->setCurrentIndex(std::max(0, m_class->findData(chosen)));
  }
  setVisible(!names.empty());
  updateWeightText();
}

int ClassGuidanceControls::classLabel() const {
  return m_class->count() > 0 ? m_class->currentData().toInt() : -1;
}

double ClassGuidanceControls::weight() const {
  return classLabel() >= 0 ? m_weight->value() * kWeightStep : 0.0;
}

void ClassGuidanceControls::setChoice(int classLabel, double weight) {
  m_class->setCurrentIndex(std::max(0, m_class->findData(classLabel)));
  const double w = std::isfinite(weight) ? std::clamp(weight, 0.0, kMaxWeight) : 0.0;
  m_weight->setValue(static_cast<int>(std::lround(w / kWeightStep)));
  updateWeightText();
}

void ClassGuidanceControls::updateWeightText() {
  const bool hasClass = classLabel() >= 0;
  m_weight->setEnabled(hasClass);
  m_weightText->setEnabled(hasClass);
  m_weightText->setText(tr("w = %1").arg(formatNumber(m_weight->value() * kWeightStep, 3, true)));
}

}  // namespace ddpm::ui
