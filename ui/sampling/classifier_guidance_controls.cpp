#include "core/checkpoint/noisy_classifier_checkpoint.h"
#include "core/checkpoint/shipped_checkpoints.h"

#include "ui/sampling/classifier_guidance_controls.h"

#include "ui/shared/maths_format.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>

#include <algorithm>
#include <cmath>

namespace ddpm::ui {

namespace {

const QString kOpen = QStringLiteral("open:");  // the item that opens a file dialog

// The classifier at `path` if it can guide `model`, else why not.
QString fitProblem(const QString& path, const CheckpointData& model, NoisyClassifierInfo* info = nullptr) {
  try {
    NoisyClassifierInfo read = read_noisy_classifier_info(path.toStdString());
    check_classifier_fits(read, model);
    if (info) *info = std::move(read);
    return {};
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
}

}  // namespace

ClassifierGuidanceControls::ClassifierGuidanceControls(QWidget* parent)
    : QWidget(parent),
      m_classifier(new QComboBox(this)),
      m_class(new QComboBox(this)),
      m_scale(new QSlider(Qt::Horizontal, this)),
      m_scaleText(new QLabel(this)),
      m_message(new QLabel(this)) {
  m_classifier->setObjectName(QStringLiteral("classifierGuidanceFile"));
  m_classifier->setToolTip(tr("Classifier guidance (Dhariwal & Nichol 2021): a classifier p(y | xₜ, t) trained on noisy "
                              "samples of this model's schedule steers every step towards its class y "
                              "(ddpm classifier train --noisy makes one)"));
  m_class->setObjectName(QStringLiteral("classifierGuidanceClass"));
  m_class->setToolTip(tr("The class y to steer towards"));
  m_scale->setObjectName(QStringLiteral("classifierGuidanceScale"));
  m_scale->setRange(0, static_cast<int>(std::lround(kMaxScale / kScaleStep)));
  m_scale->setPageStep(2);
  m_scale->setMinimumWidth(90);
  m_scale->setToolTip(tr("Scale s: ε̂ = ε_θ(xₜ) − s √(1 − ᾱₜ) ∇ log p(y | xₜ). 0 leaves the model unguided; larger s "
                         "samples p(x) p(y | x)ˢ: more clearly of the class, less varied"));
  m_scaleText->setMinimumWidth(m_scaleText->fontMetrics().horizontalAdvance(QStringLiteral("s = 10.0")));
  m_message->setObjectName(QStringLiteral("classifierGuidanceMessage"));
  m_message->setStyleSheet(QStringLiteral("color: #b3261e"));
  m_message->setWordWrap(false);
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(0, 0, 0, 0);
  row->setSpacing(6);
  row->addWidget(new QLabel(tr("Classifier"), this));
  row->addWidget(m_classifier);
  row->addWidget(new QLabel(tr("Class"), this));
  row->addWidget(m_class);
  row->addWidget(new QLabel(tr("Scale"), this));
  row->addWidget(m_scale);
  row->addWidget(m_scaleText);
  row->addWidget(m_message, 1);
  connect(m_classifier, qOverload<int>(&QComboBox::activated), this, [this] {
    if (m_classifier->currentData().toString() == kOpen) chooseFile();
  });
  connect(m_classifier, qOverload<int>(&QComboBox::currentIndexChanged), this, &ClassifierGuidanceControls::onClassifierChosen);
  connect(m_class, qOverload<int>(&QComboBox::currentIndexChanged), this, &ClassifierGuidanceControls::changed);
  connect(m_scale, &QSlider::valueChanged, this, [this] {
    updateScaleText();
    emit changed();
  });
  fitModel(nullptr);
}

void ClassifierGuidanceControls::addClassifierItem(const QString& label, const QString& path) {
  m_classifier->insertItem(m_classifier->count() - 1, label, path);  // before "Open file…"
}

void ClassifierGuidanceControls::fitModel(std::shared_ptr<const CheckpointData> model) {
  m_model = std::move(model);
  const QString chosen = classifierPath();
  {
    const QSignalBlocker blocker(m_classifier);
    m_classifier->clear();
    m_classifier->addItem(tr("None"), QString());
    m_classifier->addItem(tr("Open file…"), kOpen);
    if (m_model) {
      try {
        for (const ShippedCheckpoint& shipped : shipped_checkpoints()) {
          const QString path = QString::fromStdString(shipped.path);
          if (is_noisy_classifier_file(shipped.path) && fitProblem(path, *m_model).isEmpty())
            addClassifierItem(QString::fromStdString(shipped.name), path);
        }
      } catch (const std::exception&) {
        // No shipped folder readable: None and Open file… remain.
      }
      if (!chosen.isEmpty() && m_classifier->findData(chosen) < 0 && fitProblem(chosen, *m_model).isEmpty())
        addClassifierItem(QFileInfo(chosen).fileName(), chosen);
    }
    m_classifier->setCurrentIndex(std::max(0, m_classifier->findData(chosen)));
  }
  setVisible(m_model && !m_model->model.conditional());
  m_message->clear();
  onClassifierChosen();
}

QString ClassifierGuidanceControls::openClassifier(const QString& pathOrName) {
  if (!m_model) return tr("Open a model first");
  QString path = pathOrName;
  try {
    path = QString::fromStdString(resolve_checkpoint(pathOrName.toStdString()));
  } catch (const std::exception& e) {
    return QString::fromStdString(e.what());
  }
  if (QString problem = fitProblem(path, *m_model); !problem.isEmpty()) return problem;
  if (m_classifier->findData(path) < 0) addClassifierItem(QFileInfo(path).fileName(), path);
  m_classifier->setCurrentIndex(m_classifier->findData(path));
  m_message->clear();
  return {};
}

void ClassifierGuidanceControls::chooseFile() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Choose a noise-aware classifier"), QFileInfo(m_lastPath).path(),
                                                    tr("Noise-aware classifiers (*.safetensors);;All files (*)"));
  const QString problem = path.isEmpty() ? QString() : openClassifier(path);
  m_message->setText(problem);
  m_message->setToolTip(problem);
  if (path.isEmpty() || !problem.isEmpty()) m_classifier->setCurrentIndex(std::max(0, m_classifier->findData(m_lastPath)));
}

void ClassifierGuidanceControls::onClassifierChosen() {
  const QString path = classifierPath();
  if (m_classifier->currentData().toString() == kOpen) return;  // chooseFile decides
  m_lastPath = path;
  NoisyClassifierInfo info;
  const bool usable = !path.isEmpty() && m_model && fitProblem(path, *m_model, &info).isEmpty();
  {
    const QSignalBlocker blocker(m_class);
    const int chosen = m_class->currentIndex();
    m_class->clear();
    if (usable)
      for (std::size_t k = 0; k < info.class_names.size(); ++k)
        m_class->addItem(tr("%1 · %2").arg(k).arg(QString::fromStdString(info.class_names[k])), static_cast<int>(k));
    m_class->setCurrentIndex(std::clamp(chosen, 0, std::max(0, m_class->count() - 1)));
  }
  m_class->setEnabled(usable);
  updateScaleText();
  emit changed();
}

QString ClassifierGuidanceControls::classifierPath() const {
  const QString data = m_classifier->currentData().toString();
  return data == kOpen ? m_lastPath : data;
}

int ClassifierGuidanceControls::classLabel() const {
  return !classifierPath().isEmpty() && m_class->count() > 0 ? m_class->currentData().toInt() : -1;
}

double ClassifierGuidanceControls::scale() const {
  return classLabel() >= 0 ? m_scale->value() * kScaleStep : 0.0;
}

void ClassifierGuidanceControls::setChoice(int classLabel, double scale) {
  m_class->setCurrentIndex(std::max(0, m_class->findData(classLabel)));
  const double s = std::isfinite(scale) ? std::clamp(scale, 0.0, kMaxScale) : 0.0;
  m_scale->setValue(static_cast<int>(std::lround(s / kScaleStep)));
  updateScaleText();
}

void ClassifierGuidanceControls::updateScaleText() {
  const bool active = classLabel() >= 0;
  m_scale->setEnabled(active);
  m_scaleText->setEnabled(active);
  m_scaleText->setText(tr("s = %1").arg(formatNumber(m_scale->value() * kScaleStep, 3, true)));
}

}  // namespace ddpm::ui
