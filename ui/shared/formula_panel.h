#pragma once

#include <QWidget>

class QLabel;

namespace ddpm::ui {

/// Shows the equation for what is on screen, with today's numbers filled in, in a large
/// readable font (it is meant to be read from the back of a classroom).
class FormulaPanel : public QWidget {
  Q_OBJECT

 public:
  explicit FormulaPanel(QWidget* parent = nullptr);

  void setHtml(const QString& html);
  QString html() const;
  /// The text as shown, without markup (for tests and accessibility).
  QString plainText() const;

 protected:
  void changeEvent(QEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  void applyFont();
  void fitHeight();

  QLabel* m_label;
};

}  // namespace ddpm::ui
