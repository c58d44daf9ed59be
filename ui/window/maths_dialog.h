#pragma once

#include <QDialog>

namespace ddpm::ui {

/// Help ▸ The maths: the equations the app computes (Ho et al. 2020 and the schedules),
/// in the app's notation, with the code-index convention spelled out.
class MathsDialog : public QDialog {
  Q_OBJECT

 public:
  explicit MathsDialog(QWidget* parent = nullptr);

  /// The page shown, as rich text.
  static QString html();
};

}  // namespace ddpm::ui
