#include "ui/shared/formula_panel.h"

#include "ui/shared/studio_style.h"

#include <QEvent>
#include <QLabel>
#include <QResizeEvent>
#include <QTextDocument>
#include <QVBoxLayout>

namespace ddpm::ui {

FormulaPanel::FormulaPanel(QWidget* parent) : QWidget(parent), m_label(new QLabel(this)) {
  m_label->setObjectName(QStringLiteral("formulaLabel"));
  m_label->setTextFormat(Qt::RichText);
  m_label->setWordWrap(true);
  m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
  m_label->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(8, 4, 8, 8);
  layout->addWidget(m_label);
  applyFont();
}

void FormulaPanel::applyFont() {
  m_label->setFont(scaledFont(font(), 1.0));
}

void FormulaPanel::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if (event->type() == QEvent::FontChange) {
    applyFont();
    fitHeight();
  }
}

void FormulaPanel::setHtml(const QString& html) {
  if (html == m_label->text()) return;
  m_label->setText(html);
  fitHeight();
}

void FormulaPanel::fitHeight() {
  // As tall as the text needs and no taller: the views keep the rest of the window.
  // The panel's own width, not the label's: before the first layout pass the label is
  // still narrow, and a height fitted to it leaves the text clipped below the window.
  const QMargins margins = layout()->contentsMargins();
  const int width = std::max(400, this->width() - margins.left() - margins.right());
  const int height = m_label->heightForWidth(width) + margins.top() + margins.bottom() + 2;
  if (height != maximumHeight()) setFixedHeight(height);
}

void FormulaPanel::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  fitHeight();
}

QString FormulaPanel::html() const {
  return m_label->text();
}

QString FormulaPanel::plainText() const {
  QTextDocument document;
  document.setHtml(m_label->text());
  return document.toPlainText();
}

}  // namespace ddpm::ui
