#include "ui/training/training_config.h"

#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <cmath>

namespace ddpm::ui {

QStringList builtInTrainingData() {
  return {QStringLiteral("fashion-mnist"), QStringLiteral("moons"), QStringLiteral("swissroll"),
          QStringLiteral("gaussians8"), QStringLiteral("circles")};
}

bool isPointData(const QString& spec) {
  return spec != QLatin1String("fashion-mnist") && !spec.startsWith(QLatin1String("images:"));
}

qint64 TrainingConfig::autosaveInterval(qint64 firstStep) const {
  if (autosaveEvery > 0) return autosaveEvery;
  return std::max<qint64>(1, (totalSteps - firstStep) / 10);
}

QStringList TrainingConfig::problems() const {
  QStringList out;
  if (data.isEmpty() && !isContinuation()) out << QObject::tr("Choose the data to train on.");
  const auto checkPath = [&](const QString& prefix, bool folder) {
    if (!data.startsWith(prefix)) return;
    const QString path = data.mid(prefix.size());
    const QFileInfo info(path);
    if (path.isEmpty())
      out << QObject::tr("Choose the %1 to train on.").arg(folder ? QObject::tr("image folder") : QObject::tr("CSV file"));
    else if (folder ? !info.isDir() : !info.isFile())
      out << QObject::tr("The %1 '%2' does not exist.").arg(folder ? QObject::tr("image folder") : QObject::tr("CSV file"), path);
  };
  checkPath(QStringLiteral("csv:"), false);
  checkPath(QStringLiteral("images:"), true);
  if (totalSteps < 1) out << QObject::tr("Steps must be at least 1.");
  if (batchSize < 1 || batchSize > 65536) out << QObject::tr("Batch size must be between 1 and 65536.");
  if (!std::isfinite(learningRate) || learningRate <= 0)
    out << QObject::tr("The learning rate must be a positive number, e.g. 2e-4.");
  if (!std::isfinite(emaDecay) || emaDecay < 0 || emaDecay >= 1)
    out << QObject::tr("The EMA decay must be at least 0 and below 1, e.g. 0.999 (0: no EMA).");
  if (autosaveEvery < 0) out << QObject::tr("The autosave interval cannot be negative.");
  if (device != QLatin1String("auto") && device != QLatin1String("cpu") && device != QLatin1String("cuda"))
    out << QObject::tr("The device must be auto, cpu or cuda.");
  if (precision != QLatin1String("fp32") && precision != QLatin1String("bf16"))
    out << QObject::tr("The precision must be fp32 or bf16.");
  else if (precision == QLatin1String("bf16") && device == QLatin1String("cpu"))
    out << QObject::tr("bf16 mixed precision runs on a CUDA GPU only; choose float32 for the CPU.");
  if (outputPath.isEmpty()) {
    out << QObject::tr("Choose a checkpoint file to save to.");
  } else {
    const QFileInfo info(outputPath);
    if (info.suffix().compare(QLatin1String("safetensors"), Qt::CaseInsensitive) != 0)
      out << QObject::tr("The checkpoint file must end in .safetensors.");
    if (info.isDir()) out << QObject::tr("'%1' is a folder, not a checkpoint file.").arg(outputPath);
    // The folder is created when the run starts; a path under a file cannot be.
    for (QFileInfo up(info.absolutePath()); !up.isRoot(); up = QFileInfo(up.absolutePath())) {
      if (up.exists()) {
        if (!up.isDir()) out << QObject::tr("'%1' is a file, so no checkpoint can be saved under it.").arg(up.filePath());
        break;
      }
    }
  }
  if (previewSeconds < 0 || !std::isfinite(previewSeconds)) out << QObject::tr("The preview interval cannot be negative.");
  if (previewImages < 1 || previewImages > 256 || previewPoints < 1 || previewPoints > 100000)
    out << QObject::tr("The preview size is out of range.");
  return out;
}

}  // namespace ddpm::ui
