#include "ui/shared/save_dialog.h"

#include "core/io/output_guard.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>

namespace ddpm::ui {

namespace {

struct Kind {
  const char* filter;
  const char* suffix;
};

Kind kindOf(SavedFile kind) {
  switch (kind) {
    case SavedFile::Png: return {QT_TRANSLATE_NOOP("SaveDialog", "PNG image (*.png)"), "png"};
    case SavedFile::Gif: return {QT_TRANSLATE_NOOP("SaveDialog", "Animated GIF (*.gif)"), "gif"};
    case SavedFile::Csv: return {QT_TRANSLATE_NOOP("SaveDialog", "CSV table (*.csv)"), "csv"};
    case SavedFile::Checkpoint:
      return {QT_TRANSLATE_NOOP("SaveDialog", "DDPM Studio checkpoints (*.safetensors)"), "safetensors"};
  }
  return {"", ""};
}

}  // namespace

QString inputOverwrittenBy(const QString& path, const QStringList& inputs) {
  for (const QString& input : inputs)
    if (!input.isEmpty() && same_file(path.toStdString(), input.toStdString())) return input;
  return {};
}

QString askSavePath(QWidget* parent, const QString& title, const QString& suggested, SavedFile kind,
                    const QStringList& inputs) {
  const Kind k = kindOf(kind);
  QString path = QFileDialog::getSaveFileName(parent, title, suggested, QCoreApplication::translate("SaveDialog", k.filter));
  if (path.isEmpty()) return {};
  if (QFileInfo(path).suffix().isEmpty()) path += QLatin1Char('.') + QLatin1String(k.suffix);
  const QString input = inputOverwrittenBy(path, inputs);
  if (!input.isEmpty()) {
    QMessageBox::warning(parent, title,
                         QCoreApplication::translate("SaveDialog",
                                                     "%1 is a file DDPM Studio reads (%2); writing it would destroy "
                                                     "it. Choose another name.")
                             .arg(QFileInfo(path).fileName(), input));
    return {};
  }
  return path;
}

}  // namespace ddpm::ui
