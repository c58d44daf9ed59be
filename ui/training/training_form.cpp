// torch first: Qt's `slots` macro breaks ATen headers included after Qt.
#include "core/checkpoint/checkpoint.h"

#include "ui/training/training_form.h"

#include "ui/shared/save_dialog.h"
#include "ui/shared/maths_format.h"
#include "ui/shared/schedule_model.h"
#include "ui/shared/combo_items.h"
#include "ui/shared/compute_devices.h"
#include "core/training/train_options.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace ddpm::ui {

namespace {

const QString kCsv = QStringLiteral("csv");
const QString kImages = QStringLiteral("images");

QString numberText(double value) {
  return QString::number(value, 'g', 6);
}

}  // namespace

TrainingForm::TrainingForm(ScheduleModel* schedule, QWidget* parent)
    : QWidget(parent),
      m_schedule(schedule),
      m_data(new QComboBox(this)),
      m_dataPath(new QLineEdit(this)),
      m_dataBrowse(new QPushButton(tr("Browse…"), this)),
      m_dataPathRow(new QWidget(this)),
      m_model(new QComboBox(this)),
      m_objective(new QComboBox(this)),
      m_loss(new QComboBox(this)),
      m_scheduleText(new QLabel(this)),
      m_editSchedule(new QToolButton(this)),
      m_steps(new QSpinBox(this)),
      m_batch(new QSpinBox(this)),
      m_lr(new QLineEdit(this)),
      m_ema(new QLineEdit(this)),
      m_seed(new QLineEdit(this)),
      m_autosave(new QSpinBox(this)),
      m_device(new QComboBox(this)),
      m_deviceNote(new QLabel(this)),
      m_precision(new QComboBox(this)),
      m_threads(new QSpinBox(this)),
      m_preview(new QDoubleSpinBox(this)),
      m_output(new QLabel(this)),
      m_outputBrowse(new QPushButton(tr("Change…"), this)),
      m_resumeText(new QLabel(this)) {
  setUpDataChoices();
  setUpRunChoices();
  setUpDeviceChoices();
  setUpOutputChoices();
  layOut();
  connectSignals();
  m_data->setCurrentIndex(m_data->findData(QStringLiteral("moons")));
  applyDataDefaults(false);
  onDataChosen();
  updateScheduleText();
}

void TrainingForm::setUpDataChoices() {
  m_data->setObjectName(QStringLiteral("trainingData"));
  m_data->addItem(tr("Fashion-MNIST (28 × 28 images)"), QStringLiteral("fashion-mnist"));
  m_data->addItem(tr("2D: Two moons"), QStringLiteral("moons"));
  m_data->addItem(tr("2D: Swiss roll"), QStringLiteral("swissroll"));
  m_data->addItem(tr("2D: 8 Gaussians"), QStringLiteral("gaussians8"));
  m_data->addItem(tr("2D: Circles"), QStringLiteral("circles"));
  m_data->addItem(tr("2D: points from a CSV file…"), kCsv);
  m_data->addItem(tr("Images from a folder…"), kImages);
  m_data->setToolTip(tr("What the model learns to generate. A CSV file holds two numeric columns x, y; a folder's "
                        "pictures are read as 32 × 32 RGB, as `ddpm train` does."));
  m_dataPath->setPlaceholderText(tr("file or folder"));
  auto* pathRow = new QHBoxLayout(m_dataPathRow);
  pathRow->setContentsMargins(0, 0, 0, 0);
  pathRow->addWidget(m_dataPath, 1);
  pathRow->addWidget(m_dataBrowse);

  m_model->setObjectName(QStringLiteral("trainingModel"));
  m_model->addItem(tr("MLP (2D points)"), QStringLiteral("mlp"));
  m_model->addItem(tr("UNet tiny"), QStringLiteral("unet-tiny"));
  m_model->addItem(tr("UNet small"), QStringLiteral("unet-small"));
  m_model->addItem(tr("UNet (paper, 35.7M)"), QStringLiteral("unet-paper"));
  m_model->setToolTip(tr("The network ε_θ(x_t, t) that predicts the noise"));
  m_objective->setObjectName(QStringLiteral("trainingObjective"));
  m_objective->addItem(tr("predicts ε (the paper)"), QStringLiteral("eps"));
  m_objective->addItem(tr("predicts μ̃ (the baseline)"), QStringLiteral("mu"));
  m_objective->addItem(tr("predicts x₀"), QStringLiteral("x0"));
  m_objective->setToolTip(tr("What the network outputs (the paper's Table 2): the noise ε, the posterior mean μ̃ₜ, or the "
                             "data x₀. Sampling and the bound convert it to ε exactly, so every view works with any."));
  m_loss->setObjectName(QStringLiteral("trainingLoss"));
  m_loss->addItem(tr("L_simple"), QStringLiteral("simple"));
  m_loss->addItem(tr("true bound L"), QStringLiteral("bound"));
  m_loss->setToolTip(tr("L_simple: the unweighted squared error of the output (eq. 14 for ε). True bound: the variational "
                        "bound's term at the drawn t (eq. 5, 8, 13), t uniform as in the paper: much noisier"));

  m_scheduleText->setWordWrap(true);
  m_scheduleText->setObjectName(QStringLiteral("caption"));
  m_editSchedule->setText(tr("Edit…"));
  m_editSchedule->setToolTip(tr("The schedule is the window's: change it in the Schedule view"));
}

void TrainingForm::setUpRunChoices() {
  m_steps->setRange(1, 10'000'000);
  m_steps->setGroupSeparatorShown(true);
  m_steps->setToolTip(tr("Train until this many steps in all (also when continuing a checkpoint)"));
  m_batch->setRange(1, 65536);
  m_lr->setToolTip(tr("Adam's learning rate, e.g. 2e-4 (the paper's) or 1e-3 for the small 2D MLP"));
  m_ema->setToolTip(tr("Decay of the exponential moving average of the weights the checkpoint keeps (0: none)"));
  m_seed->setText(QStringLiteral("0"));
  m_seed->setToolTip(tr("One seed gives one run: the initial weights, every batch, t and ε"));
  m_autosave->setRange(0, 10'000'000);
  m_autosave->setSpecialValueText(tr("every tenth of the run"));
  m_autosave->setSuffix(tr(" steps"));
  m_autosave->setToolTip(tr("Save the checkpoint every N steps, atomically (0: a tenth of the run, as `ddpm train`)"));
}

void TrainingForm::setUpDeviceChoices() {
  m_device->setObjectName(QStringLiteral("trainingDevice"));
  m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
  m_device->addItem(tr("CUDA GPU"), QStringLiteral("cuda"));
  m_deviceNote->setObjectName(QStringLiteral("caption"));
  m_deviceNote->setWordWrap(true);
  const QString cudaReason = cudaUnavailableReason();
  if (cudaReason.isEmpty()) {
    m_device->setCurrentIndex(1);
    m_deviceNote->setVisible(false);
  } else {
    setItemEnabled(m_device, 1, false, cudaReason);
    // Says what happens, not what the CLI would say to a --device cuda.
    m_deviceNote->setText(tr("CUDA unavailable: %1, so training runs on the CPU.").arg(cudaReason));
    m_deviceNote->setToolTip(cudaReason);
  }
  m_precision->setObjectName(QStringLiteral("trainingPrecision"));
  m_precision->addItem(tr("float32 (TF32 on a GPU)"), QStringLiteral("fp32"));
  m_precision->addItem(tr("bf16 mixed precision"), QStringLiteral("bf16"));
  m_precision->setToolTip(tr("bf16: the network's forward pass in bfloat16 under autocast (12 % faster for the "
                             "paper's UNet on an H200); weights, gradients and Adam stay float32. Trains on the "
                             "GPU only; the Sampling view samples in bf16 on a CPU with AVX512_BF16 too."));
  // bf16 trains with the GPU only: on the CPU it falls back to float32 and is greyed out.
  const auto updatePrecision = [this] {
    const bool gpu = m_device->currentData().toString() == QLatin1String("cuda");
    if (!gpu) m_precision->setCurrentIndex(0);
    setItemEnabled(m_precision, 1, gpu, gpu ? QString() : tr("bf16 trains on the CUDA GPU device only (sampling in bf16 runs on "
                                                                  "a CPU with AVX512_BF16: the Sampling view's Precision)"));
  };
  connect(m_device, qOverload<int>(&QComboBox::currentIndexChanged), this, updatePrecision);
  updatePrecision();
}

void TrainingForm::setUpOutputChoices() {
  m_threads->setRange(0, 256);
  m_threads->setSpecialValueText(tr("auto"));
  m_threads->setToolTip(tr("LibTorch threads: auto is 1 for the MLP (small operations lose from threading) and one "
                           "per core for the UNets"));
  m_preview->setRange(0, 3600);
  m_preview->setDecimals(0);
  m_preview->setValue(5);
  m_preview->setSuffix(tr(" s"));
  m_preview->setSpecialValueText(tr("off"));
  m_preview->setToolTip(tr("Draw a few samples (DDIM, 20 steps) from the EMA weights this often; the worker keeps "
                           "previews under 2% of the training time"));
  m_output->setObjectName(QStringLiteral("trainingOutput"));
  m_output->setWordWrap(true);  // the whole path, on as many lines as it takes
  m_output->setTextFormat(Qt::PlainText);
  m_outputBrowse->setToolTip(tr("Choose the checkpoint (.safetensors) that autosaves and the final save write"));
  m_resumeText->setWordWrap(true);
  m_resumeText->setVisible(false);
  m_resumeText->setProperty("message", QStringLiteral("warning"));
}

void TrainingForm::layOut() {
  auto* scheduleRow = new QHBoxLayout;
  scheduleRow->addWidget(m_scheduleText, 1);
  scheduleRow->addWidget(m_editSchedule, 0, Qt::AlignTop);
  auto* outputRow = new QHBoxLayout;
  outputRow->addWidget(m_output, 1);
  outputRow->addWidget(m_outputBrowse, 0, Qt::AlignTop);
  auto* form = new QFormLayout;
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  form->addRow(tr("Data"), m_data);
  form->addRow(QString(), m_dataPathRow);
  form->addRow(tr("Model"), m_model);
  auto* objectiveRow = new QHBoxLayout;
  objectiveRow->setContentsMargins(0, 0, 0, 0);
  objectiveRow->addWidget(m_objective, 1);
  objectiveRow->addWidget(m_loss, 1);
  form->addRow(tr("Objective"), objectiveRow);
  form->addRow(tr("Schedule"), scheduleRow);
  form->addRow(tr("Steps"), m_steps);
  form->addRow(tr("Batch size"), m_batch);
  form->addRow(tr("Learning rate"), m_lr);
  form->addRow(tr("EMA decay"), m_ema);
  form->addRow(tr("Seed"), m_seed);
  form->addRow(tr("Device"), m_device);
  form->addRow(QString(), m_deviceNote);
  form->addRow(tr("Precision"), m_precision);
  form->addRow(tr("Threads"), m_threads);
  form->addRow(tr("Preview every"), m_preview);
  form->addRow(tr("Autosave"), m_autosave);
  form->addRow(tr("Checkpoint"), outputRow);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_resumeText);
  layout->addLayout(form);
}

void TrainingForm::connectSignals() {
  connect(m_data, qOverload<int>(&QComboBox::activated), this, &TrainingForm::onDataChosen);
  connect(m_dataPath, &QLineEdit::textChanged, this, [this] {
    updateAutoOutput();
    emit changed();
  });
  connect(m_dataBrowse, &QPushButton::clicked, this, &TrainingForm::browseData);
  connect(m_model, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] {
    updateAutoOutput();
    emit changed();
  });
  for (QComboBox* box : {m_objective, m_loss})
    connect(box, qOverload<int>(&QComboBox::currentIndexChanged), this, &TrainingForm::changed);
  connect(m_outputBrowse, &QPushButton::clicked, this, &TrainingForm::browseOutput);
  connect(m_editSchedule, &QToolButton::clicked, this, &TrainingForm::editScheduleRequested);
  connect(m_schedule, &ScheduleModel::scheduleChanged, this, &TrainingForm::updateScheduleText);
}

void TrainingForm::onDataChosen() {
  const QString key = m_data->currentData().toString();
  m_dataPathRow->setVisible(key == kCsv || key == kImages);
  const bool images = key == QLatin1String("fashion-mnist") || key == kImages;
  updateModelChoices();
  if (images != m_lastWasImages) applyDataDefaults(images);
  m_lastWasImages = images;
  updateAutoOutput();
  emit changed();
}

void TrainingForm::updateModelChoices() {
  const bool images = !isPointData(dataSpec());
  for (int i = 0; i < m_model->count(); ++i) {
    const bool mlp = m_model->itemData(i).toString() == QLatin1String("mlp");
    setItemEnabled(m_model, i, mlp != images,
                   mlp != images ? QString()
                                 : (images ? tr("The MLP takes 2D points; use a UNet for images")
                                           : tr("The UNets take images; use the MLP for 2D points")));
  }
  if (!itemEnabled(m_model, m_model->currentIndex()))
    m_model->setCurrentIndex(m_model->findData(images ? QStringLiteral("unet-tiny") : QStringLiteral("mlp")));
}

void TrainingForm::applyDataDefaults(bool images) {
  // The CLI's defaults too (core's run_defaults_for): numbers that train each kind in
  // minutes on a CPU.
  const ddpm::RunDefaults defaults = ddpm::run_defaults_for(images ? "unet-tiny" : "mlp");
  m_steps->setValue(static_cast<int>(defaults.steps));
  m_batch->setValue(static_cast<int>(defaults.batch_size));
  m_lr->setText(QString::number(defaults.learning_rate));
  m_ema->setText(QString::number(defaults.ema_decay));
}

void TrainingForm::updateScheduleText() {
  if (!m_resumePath.isEmpty()) {
    m_scheduleText->setText(tr("%1 (the checkpoint's)").arg(ScheduleModel::describe(m_resumeSchedule)));
    return;
  }
  QString text = m_schedule->describe();
  const QStringList warnings = m_schedule->warnings();
  if (!warnings.isEmpty()) text += QStringLiteral("\n⚠ ") + warnings.join(QStringLiteral("\n⚠ "));
  m_scheduleText->setText(text);
}

QString TrainingForm::dataSpec() const {
  const QString key = m_data->currentData().toString();
  if (key == kCsv || key == kImages) return key + QLatin1Char(':') + m_dataPath->text().trimmed();
  return key;
}

void TrainingForm::setDataSpec(const QString& spec) {
  QString key = spec;
  QString path;
  const int colon = spec.indexOf(QLatin1Char(':'));
  if (colon > 0) {
    key = spec.left(colon);
    path = spec.mid(colon + 1);
  }
  const int index = m_data->findData(key);
  if (index < 0) return;
  m_data->setCurrentIndex(index);
  if (!path.isEmpty()) m_dataPath->setText(path);
  onDataChosen();
}

void TrainingForm::setModel(const QString& preset) {
  const int index = m_model->findData(preset);
  if (index >= 0 && itemEnabled(m_model, index)) m_model->setCurrentIndex(index);
}

QString TrainingForm::model() const {
  return m_model->currentData().toString();
}

void TrainingForm::setTotalSteps(qint64 steps) {
  m_steps->setValue(static_cast<int>(std::clamp<qint64>(steps, 1, m_steps->maximum())));
}
void TrainingForm::setBatchSize(int batch) {
  m_batch->setValue(batch);
}
void TrainingForm::setLearningRate(double lr) {
  m_lr->setText(numberText(lr));
}
void TrainingForm::setEmaDecay(double decay) {
  m_ema->setText(numberText(decay));
}
void TrainingForm::setSeed(quint64 seed) {
  m_seed->setText(QString::number(seed));
}
void TrainingForm::setAutosaveEvery(qint64 steps) {
  m_autosave->setValue(static_cast<int>(std::clamp<qint64>(steps, 0, m_autosave->maximum())));
}
void TrainingForm::setThreads(int threads) {
  m_threads->setValue(threads);
}
void TrainingForm::setPreviewSeconds(double seconds) {
  m_preview->setValue(seconds);
}

void TrainingForm::setDevice(const QString& device) {
  const int index = m_device->findData(device);
  if (index >= 0 && itemEnabled(m_device, index)) m_device->setCurrentIndex(index);
}

void TrainingForm::setOutputPath(const QString& path) {
  showOutput(path);
  m_outputAuto = m_outputPath.isEmpty();
  if (m_outputAuto) updateAutoOutput();
}

QString TrainingForm::outputPath() const {
  return m_outputPath;
}

void TrainingForm::showOutput(const QString& path) {
  m_outputPath = path.trimmed();
  // The home folder as ~, and a zero-width space after each / so the label may wrap
  // there: a long path is shown whole, not clipped.
  QString shown = QDir::toNativeSeparators(m_outputPath);
  const QString home = QDir::toNativeSeparators(QDir::homePath());
  if (home.size() > 1 && shown.startsWith(home + QDir::separator())) shown = QLatin1Char('~') + shown.mid(home.size());
  shown.replace(QDir::separator(), QString(QDir::separator()) + QChar(0x200B));
  m_output->setText(shown);
  m_output->setToolTip(m_outputPath);
}

QString TrainingForm::defaultCheckpointFolder() {
  // ~/.local/share/ddpm-studio/checkpoints: AppDataLocation would repeat the name, as
  // organisation and application are both "DDPM Studio" (which keeps the settings where
  // they have always been).
  return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation) +
         QStringLiteral("/ddpm-studio/checkpoints");
}

void TrainingForm::setRunsFolder(const QString& folder) {
  m_runsFolder = folder;
  updateAutoOutput();
}

QString TrainingForm::autoOutputPath() const {
  const QString key = m_data->currentData().toString();
  QString name = key;
  if (key == kCsv || key == kImages) {
    const QFileInfo info(m_dataPath->text().trimmed());
    name = key == kCsv ? info.completeBaseName() : info.fileName();
    if (name.isEmpty()) name = key;
  }
  return QDir(m_runsFolder).filePath(QStringLiteral("%1-%2.safetensors").arg(name, model()));
}

void TrainingForm::updateAutoOutput() {
  if (!m_outputAuto || !m_resumePath.isEmpty()) return;
  showOutput(autoOutputPath());
}

void TrainingForm::claimOutputPath() {
  if (!m_outputAuto || !m_resumePath.isEmpty()) return;
  const QString base = autoOutputPath();
  QString path = base;
  const QFileInfo info(base);
  for (int n = 2; QFileInfo::exists(path); ++n)
    path = info.dir().filePath(QStringLiteral("%1-%2.safetensors").arg(info.completeBaseName()).arg(n));
  showOutput(path);
}

bool TrainingForm::setResumeCheckpoint(const QString& path, QString* error) {
  CheckpointData meta;
  try {
    meta = read_checkpoint_metadata(path.toStdString());
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
  if (!meta.resumable) {
    if (error) *error = tr("'%1' holds no resume data (it was saved for sampling only); start a new run instead.").arg(path);
    return false;
  }
  m_resumePath = QFileInfo(path).absoluteFilePath();
  m_resumeStep = meta.step;
  m_resumeData = QString::fromStdString(meta.data_spec);
  m_resumeSchedule = meta.schedule;
  setDataSpec(m_resumeData);
  setModel(QString::fromStdString(meta.model.preset));
  m_objective->setCurrentIndex(std::max(0, m_objective->findData(QString::fromStdString(to_string(meta.model.objective)))));
  m_loss->setCurrentIndex(std::max(0, m_loss->findData(QString::fromStdString(meta.training.loss))));
  setTotalSteps(std::max<qint64>(m_steps->value(), meta.step + 1000));
  setBatchSize(static_cast<int>(meta.training.batch_size));
  setLearningRate(meta.training.learning_rate);
  setEmaDecay(meta.training.ema_decay);
  setSeed(meta.training.seed);
  showOutput(m_resumePath);
  m_outputAuto = true;  // back to automatic names once the continuation is cleared
  m_resumeText->setText(tr("Continuing %1 from step %2 (%3 on %4). Data, model, schedule and seed are the "
                           "checkpoint's.")
                            .arg(QFileInfo(path).fileName())
                            .arg(meta.step)
                            .arg(QString::fromStdString(meta.model.preset), m_resumeData));
  m_resumeText->setVisible(true);
  setEditable(true);
  updateScheduleText();
  emit changed();
  return true;
}

void TrainingForm::clearResume() {
  if (m_resumePath.isEmpty()) return;
  m_resumePath.clear();
  m_resumeStep = 0;
  m_resumeText->setVisible(false);
  m_outputAuto = true;
  updateAutoOutput();
  setEditable(true);
  updateScheduleText();
  emit changed();
}

void TrainingForm::setEditable(bool editable) {
  const bool fresh = m_resumePath.isEmpty();
  for (QWidget* w : std::initializer_list<QWidget*>{m_data, m_dataPath, m_dataBrowse, m_model, m_objective, m_loss, m_seed,
                                                     m_editSchedule})
    w->setEnabled(editable && fresh);
  for (QWidget* w : std::initializer_list<QWidget*>{m_steps, m_batch, m_lr, m_ema, m_autosave, m_device, m_precision, m_threads,
                                                     m_preview, m_output, m_outputBrowse})
    w->setEnabled(editable);
}

bool TrainingForm::readConfig(TrainingConfig* config, QStringList* problems) const {
  QStringList found;
  TrainingConfig c;
  c.data = dataSpec();
  c.model = model();
  c.objective = m_objective->currentData().toString();
  c.loss = m_loss->currentData().toString();
  c.schedule = m_resumePath.isEmpty() ? m_schedule->spec() : m_resumeSchedule;
  c.totalSteps = m_steps->value();
  c.batchSize = m_batch->value();
  // A field that is not a number gets its own message; a stand-in value keeps
  // TrainingConfig::problems() from repeating it.
  bool ok = false;
  c.learningRate = m_lr->text().trimmed().toDouble(&ok);
  if (!ok) {
    found << tr("The learning rate '%1' is not a number; write it like 2e-4.").arg(m_lr->text());
    c.learningRate = 1;
  }
  c.emaDecay = m_ema->text().trimmed().toDouble(&ok);
  if (!ok) {
    found << tr("The EMA decay '%1' is not a number; write it like 0.999.").arg(m_ema->text());
    c.emaDecay = 0;
  }
  c.seed = m_seed->text().trimmed().toULongLong(&ok);
  if (!ok) found << tr("The seed '%1' must be a whole number ≥ 0.").arg(m_seed->text());
  c.autosaveEvery = m_autosave->value();
  c.device = m_device->currentData().toString();
  c.precision = m_precision->currentData().toString();
  c.threads = m_threads->value();
  c.previewSeconds = m_preview->value();
  c.outputPath = outputPath();
  c.resumePath = m_resumePath;
  found << c.problems();
  if (!m_resumePath.isEmpty() && c.totalSteps <= m_resumeStep)
    found << tr("The checkpoint is already at step %1: set the steps above that to train on.").arg(m_resumeStep);
  if (problems) *problems = found;
  if (found.isEmpty() && config) *config = c;
  return found.isEmpty();
}

void TrainingForm::browseData() {
  const bool csv = m_data->currentData().toString() == kCsv;
  const QString path = csv ? QFileDialog::getOpenFileName(this, tr("Points to train on"), m_dataPath->text(),
                                                          tr("CSV points (*.csv *.txt);;All files (*)"))
                           : QFileDialog::getExistingDirectory(this, tr("Folder of pictures"), m_dataPath->text());
  if (!path.isEmpty()) m_dataPath->setText(path);
}

void TrainingForm::browseOutput() {
  const QString path = askSavePath(this, tr("Checkpoint file"), outputPath(), SavedFile::Checkpoint);
  if (path.isEmpty()) return;
  setOutputPath(path);
}

void TrainingForm::saveState(QSettings& settings) const {
  settings.beginGroup(QStringLiteral("trainingView"));
  settings.setValue(QStringLiteral("data"), m_data->currentData().toString());
  settings.setValue(QStringLiteral("dataPath"), m_dataPath->text());
  settings.setValue(QStringLiteral("model"), model());
  settings.setValue(QStringLiteral("objective"), m_objective->currentData().toString());
  settings.setValue(QStringLiteral("loss"), m_loss->currentData().toString());
  settings.setValue(QStringLiteral("steps"), m_steps->value());
  settings.setValue(QStringLiteral("batch"), m_batch->value());
  settings.setValue(QStringLiteral("lr"), m_lr->text());
  settings.setValue(QStringLiteral("ema"), m_ema->text());
  settings.setValue(QStringLiteral("seed"), m_seed->text());
  settings.setValue(QStringLiteral("autosave"), m_autosave->value());
  settings.setValue(QStringLiteral("device"), m_device->currentData().toString());
  settings.setValue(QStringLiteral("precision"), m_precision->currentData().toString());
  settings.setValue(QStringLiteral("threads"), m_threads->value());
  settings.setValue(QStringLiteral("preview"), m_preview->value());
  if (m_outputAuto) settings.remove(QStringLiteral("output"));
  else settings.setValue(QStringLiteral("output"), outputPath());
  settings.endGroup();
}

void TrainingForm::restoreState(QSettings& settings) {
  settings.beginGroup(QStringLiteral("trainingView"));
  if (settings.contains(QStringLiteral("data"))) {
    const QString key = settings.value(QStringLiteral("data")).toString();
    const QString path = settings.value(QStringLiteral("dataPath")).toString();
    setDataSpec(path.isEmpty() || (key != kCsv && key != kImages) ? key : key + QLatin1Char(':') + path);
    setModel(settings.value(QStringLiteral("model")).toString());
    m_objective->setCurrentIndex(std::max(0, m_objective->findData(settings.value(QStringLiteral("objective")).toString())));
    m_loss->setCurrentIndex(std::max(0, m_loss->findData(settings.value(QStringLiteral("loss")).toString())));
    m_steps->setValue(settings.value(QStringLiteral("steps"), m_steps->value()).toInt());
    m_batch->setValue(settings.value(QStringLiteral("batch"), m_batch->value()).toInt());
    m_lr->setText(settings.value(QStringLiteral("lr"), m_lr->text()).toString());
    m_ema->setText(settings.value(QStringLiteral("ema"), m_ema->text()).toString());
    m_seed->setText(settings.value(QStringLiteral("seed"), m_seed->text()).toString());
    m_autosave->setValue(settings.value(QStringLiteral("autosave"), 0).toInt());
    setDevice(settings.value(QStringLiteral("device")).toString());
    const int precision = m_precision->findData(settings.value(QStringLiteral("precision")).toString());
    if (precision >= 0 && itemEnabled(m_precision, precision)) m_precision->setCurrentIndex(precision);
    m_threads->setValue(settings.value(QStringLiteral("threads"), 0).toInt());
    m_preview->setValue(settings.value(QStringLiteral("preview"), m_preview->value()).toDouble());
    if (settings.contains(QStringLiteral("output"))) setOutputPath(settings.value(QStringLiteral("output")).toString());
  }
  settings.endGroup();
}

}  // namespace ddpm::ui
