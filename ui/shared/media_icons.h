#pragma once

#include <QIcon>

class QWidget;

namespace ddpm::ui {

/// The play (or, with `pause`, the pause) icon of `widget`'s style, made once per style.
/// QStyle::standardIcon() returns a new QIcon on every call, and each new QIcon's
/// rendered pixmaps go into QPixmapCache under keys of their own, so a button that took
/// a fresh icon on every play/pause toggle kept more memory with every toggle (found by
/// the GUI soak with heaptrack). Copies of the icon returned here share one cache entry.
QIcon playPauseIcon(const QWidget* widget, bool pause);

}  // namespace ddpm::ui
