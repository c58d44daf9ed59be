#pragma once

#include <QString>
#include <QStringList>

class QWidget;

namespace ddpm::ui {

/// What a save dialog writes: chooses the file filter and the suffix added to a name
/// typed without one.
enum class SavedFile { Png, Gif, Csv, Checkpoint };

/// Asks where to save (a file dialog titled `title`, starting at `suggested`). A name
/// without a suffix gets the kind's. A choice that is one of `inputs` (a file the app
/// reads, e.g. the open checkpoint) is refused with a message, as the CLI refuses an
/// output that is its own input: writing it would destroy it. Empty when cancelled.
QString askSavePath(QWidget* parent, const QString& title, const QString& suggested, SavedFile kind,
                    const QStringList& inputs = {});

/// The input among `inputs` that `path` would overwrite, or empty.
QString inputOverwrittenBy(const QString& path, const QStringList& inputs);

}  // namespace ddpm::ui
