#include "ui/shared/media_icons.h"

#include <QStyle>
#include <QVariant>
#include <QWidget>

namespace ddpm::ui {

QIcon playPauseIcon(const QWidget* widget, bool pause) {
  // Kept as a property of the style object, so the icons live exactly as long as it does.
  QStyle* style = widget->style();
  const char* name = pause ? "ddpmPauseIcon" : "ddpmPlayIcon";
  const QVariant cached = style->property(name);
  if (cached.canConvert<QIcon>()) return cached.value<QIcon>();
  const QIcon icon = style->standardIcon(pause ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay);
  style->setProperty(name, QVariant::fromValue(icon));
  return icon;
}

}  // namespace ddpm::ui
