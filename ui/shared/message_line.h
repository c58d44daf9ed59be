#pragma once

#include <QLabel>

namespace ddpm::ui {

/// A view's inline message (an error or a warning) under its controls: wraps, is hidden
/// while empty, and is coloured by the style sheet according to its kind.
class MessageLine : public QLabel {
  Q_OBJECT

 public:
  explicit MessageLine(QWidget* parent = nullptr);

  /// Shows `text` as an error or a warning; an empty text hides the line.
  void showMessage(const QString& text, bool error);
  /// The message shown, or empty (also while the view it sits in is hidden).
  QString message() const;
};

}  // namespace ddpm::ui
