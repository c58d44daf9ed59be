#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/shipped_checkpoints.h"

#include "ui/compare/checkpoint_picker.h"

#include "ui/shared/current_model.h"

#include <QApplication>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QPushButton>

#include <exception>

namespace ddpm::ui {

namespace {

// Item data: what the item stands for.
const QString kCurrent = QStringLiteral("current");
const QString kFilePrefix = QStringLiteral("file:");
const QString kShippedPrefix = QStringLiteral("shipped:");

}  // namespace

CheckpointPicker::CheckpointPicker(CurrentModel* model, QWidget* parent)
    : QWidget(parent), m_model(model), m_combo(new QComboBox(this)), m_browse(new QPushButton(tr("Browse…"), this)) {
  m_combo->setObjectName(QStringLiteral("compareCheckpoint"));
  m_combo->setToolTip(tr("The model this side samples from: the current model, a shipped one, or a file"));
  m_combo->addItem(tr("Current model"), kCurrent);
  try {
    for (const ShippedCheckpoint& shipped : shipped_checkpoints()) {
      const QString name = QString::fromStdString(shipped.name);
      if (name.contains(QStringLiteral("classifier"))) continue;  // not a diffusion model
      m_combo->addItem(tr("Shipped: %1").arg(name), kShippedPrefix + QString::fromStdString(shipped.path));
    }
  } catch (const std::exception&) {
    // No shipped folder readable: the current model and Browse… remain.
  }
  m_browse->setToolTip(tr("Choose a checkpoint file (.safetensors)"));
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_combo, 1);
  layout->addWidget(m_browse);

  connect(m_combo, qOverload<int>(&QComboBox::currentIndexChanged), this, &CheckpointPicker::onChoice);
  connect(m_browse, &QPushButton::clicked, this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose a checkpoint"), QFileInfo(m_filePath).path(),
                                                      tr("DDPM Studio checkpoints (*.safetensors);;All files (*)"));
    if (!path.isEmpty()) openFile(path);
  });
  if (m_model) {
    connect(m_model, &CurrentModel::changed, this, [this] {
      if (m_combo->currentData().toString() == kCurrent) reloadCurrent();
    });
  }
  reloadCurrent();
}

CheckpointPicker::~CheckpointPicker() = default;

std::vector<std::int64_t> CheckpointPicker::sampleShape() const {
  return m_checkpoint ? m_checkpoint->sample_shape : std::vector<std::int64_t>{};
}

bool CheckpointPicker::selectShipped(const QString& name) {
  for (int i = 0; i < m_combo->count(); ++i) {
    if (m_combo->itemData(i).toString().startsWith(kShippedPrefix) &&
        m_combo->itemText(i) == tr("Shipped: %1").arg(name)) {
      if (m_combo->currentIndex() == i) onChoice(i);
      else m_combo->setCurrentIndex(i);
      return m_checkpoint != nullptr;
    }
  }
  return false;
}

void CheckpointPicker::selectCurrent() {
  if (m_combo->currentIndex() == 0) reloadCurrent();
  else m_combo->setCurrentIndex(0);
}

bool CheckpointPicker::openFile(const QString& path) {
  m_filePath = path;
  const QString data = kFilePrefix + path;
  int index = m_combo->findData(data);
  if (index < 0) {
    m_combo->addItem(QFileInfo(path).fileName(), data);
    index = m_combo->count() - 1;
  }
  if (m_combo->currentIndex() == index) onChoice(index);
  else m_combo->setCurrentIndex(index);
  return m_checkpoint != nullptr;
}

void CheckpointPicker::onChoice(int index) {
  const QString data = m_combo->itemData(index).toString();
  if (data == kCurrent) {
    reloadCurrent();
    return;
  }
  const QString path = data.mid(data.indexOf(QLatin1Char(':')) + 1);
  QApplication::setOverrideCursor(Qt::WaitCursor);  // a few MB: fast enough for the GUI thread
  try {
    auto loaded = std::make_shared<const CheckpointData>(load_checkpoint(path.toStdString()));
    QApplication::restoreOverrideCursor();
    setLoaded(std::move(loaded), QFileInfo(path).completeBaseName());
  } catch (const std::exception& e) {  // ddpm::Error, or anything torch throws on a hostile file
    QApplication::restoreOverrideCursor();
    setFailed(tr("Could not open %1: %2").arg(QFileInfo(path).fileName(), QString::fromUtf8(e.what())));
  }
}

void CheckpointPicker::reloadCurrent() {
  if (m_model && m_model->isLoaded()) {
    // A shallow copy (tensors are shared): the window may replace its model mid-run.
    setLoaded(std::make_shared<const CheckpointData>(m_model->data()),
              m_model->fileName().isEmpty() ? tr("current model") : QFileInfo(m_model->fileName()).completeBaseName());
  } else {
    setFailed(tr("There is no current model: open a checkpoint (File ▸ Open checkpoint…) or choose a shipped one."));
  }
}

void CheckpointPicker::setLoaded(std::shared_ptr<const CheckpointData> data, const QString& name) {
  m_checkpoint = std::move(data);
  m_name = name;
  m_error.clear();
  emit changed();
}

void CheckpointPicker::setFailed(const QString& error) {
  m_checkpoint.reset();
  m_name.clear();
  m_error = error;
  emit changed();
}

}  // namespace ddpm::ui
