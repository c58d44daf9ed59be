#include "ui/shared/message_line.h"

#include "ui/shared/studio_style.h"

namespace ddpm::ui {

MessageLine::MessageLine(QWidget* parent) : QLabel(parent) {
  setWordWrap(true);
  setVisible(false);
}

void MessageLine::showMessage(const QString& text, bool error) {
  setText(text);
  setMessageKind(this, error ? QStringLiteral("error") : QStringLiteral("warning"));
  setVisible(!text.isEmpty());
}

QString MessageLine::message() const {
  return isHidden() ? QString() : text();
}

}  // namespace ddpm::ui
