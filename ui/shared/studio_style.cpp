#include "ui/shared/studio_style.h"

#include <qcustomplot.h>

#include <QApplication>
#include <QFrame>
#include <QPalette>
#include <QScrollArea>
#include <QStyle>
#include <QStyleFactory>

namespace ddpm::ui {

QFont scaledFont(const QFont& base, double factor, bool bold) {
  QFont font = base;
  if (base.pointSizeF() > 0) font.setPointSizeF(base.pointSizeF() * factor);
  else font.setPixelSize(static_cast<int>(base.pixelSize() * factor));
  font.setBold(bold);
  return font;
}

void setMessageKind(QWidget* label, const QString& kind) {
  label->setProperty("message", kind);
  label->style()->unpolish(label);
  label->style()->polish(label);
}

void applyStudioStyle(QApplication& app) {
  app.setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
  QPalette p;
  p.setColor(QPalette::Window, QColor(0xf4, 0xf5, 0xf7));
  p.setColor(QPalette::WindowText, colours::kText);
  p.setColor(QPalette::Base, Qt::white);
  p.setColor(QPalette::AlternateBase, QColor(0xf0, 0xf2, 0xf5));
  p.setColor(QPalette::Text, colours::kText);
  p.setColor(QPalette::Button, QColor(0xfa, 0xfb, 0xfc));
  p.setColor(QPalette::ButtonText, colours::kText);
  p.setColor(QPalette::Highlight, colours::kAccent);
  p.setColor(QPalette::HighlightedText, Qt::white);
  p.setColor(QPalette::ToolTipBase, QColor(0xff, 0xff, 0xf4));
  p.setColor(QPalette::ToolTipText, colours::kText);
  p.setColor(QPalette::PlaceholderText, colours::kMutedText);
  p.setColor(QPalette::Link, colours::kAccent);
  p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x9a, 0xa1, 0xad));
  p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x9a, 0xa1, 0xad));
  p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x9a, 0xa1, 0xad));
  app.setPalette(p);

  // DejaVu carries every maths glyph used here (ᾱ, β̃, √, ε, subscripts ₜ₀₋₁).
  QFont font(QStringLiteral("DejaVu Sans"));
  font.setPointSizeF(std::max(10.0, QApplication::font().pointSizeF()));
  app.setFont(font);

  app.setStyleSheet(QStringLiteral(R"(
    QListWidget#viewSidebar { background: %1; color: %2; border: none; outline: none; padding-top: 8px; }
    QListWidget#viewSidebar::item { padding: 10px 12px; border-radius: 6px; margin: 2px 8px; }
    QListWidget#viewSidebar::item:selected { background: %3; color: white; }
    QListWidget#viewSidebar::item:hover:!selected { background: #2c3848; }
    QLabel#formulaLabel { background: white; border: 1px solid #dde1e7; border-radius: 6px; padding: 8px 14px; }
    QLabel[message="error"] { color: %4; background: %5; border-radius: 4px; padding: 6px 8px; }
    QLabel[message="warning"] { color: %6; background: %7; border-radius: 4px; padding: 6px 8px; }
    QLabel[message="ok"] { color: %8; padding: 6px 8px; }
    QLineEdit[invalid="true"] { border: 1px solid %4; background: %5; }
    QGroupBox { font-weight: bold; border: 1px solid #dde1e7; border-radius: 6px; margin-top: 1.2em; padding: 6px; background: #fbfbfc; }
    QGroupBox::title { subcontrol-origin: margin; left: 8px; padding: 0 4px; }
    QLabel#viewTitle { color: %9; }
    QLabel#caption { color: %10; }
  )")
                         .arg(colours::kSidebar.name(), colours::kSidebarText.name(), colours::kAccent.name(),
                              colours::kError.name(), colours::kErrorBackground.name(), colours::kWarning.name(),
                              colours::kWarningBackground.name(), colours::kOk.name(), colours::kText.name())
                         .arg(colours::kMutedText.name()));
}

void styleStudioPlot(QCustomPlot* plot, const QFont& base) {
  plot->setBackground(Qt::white);
  const QFont tickFont = scaledFont(base, 0.9);
  const QFont labelFont = base;
  for (QCPAxisRect* rect : plot->axisRects()) {
    rect->setBackground(Qt::white);
    for (QCPAxis* axis : rect->axes()) {
      axis->setTickLabelFont(tickFont);
      axis->setLabelFont(labelFont);
      axis->setLabelColor(colours::kText);
      axis->setTickLabelColor(colours::kMutedText);
      axis->setBasePen(QPen(QColor(0xb8, 0xbe, 0xc8)));
      axis->setTickPen(QPen(QColor(0xb8, 0xbe, 0xc8)));
      axis->setSubTickPen(QPen(QColor(0xd0, 0xd4, 0xdb)));
      axis->grid()->setPen(QPen(colours::kGrid, 1, Qt::SolidLine));
      axis->grid()->setSubGridVisible(false);
      axis->grid()->setZeroLinePen(QPen(QColor(0xc8, 0xcd, 0xd5)));
    }
  }
  plot->legend->setFont(tickFont);
  plot->legend->setBorderPen(QPen(QColor(0xdd, 0xe1, 0xe7)));
  plot->legend->setBrush(QColor(255, 255, 255, 230));
}

QScrollArea* sideScrollArea(QWidget* side, int maxWidth, QWidget* parent) {
  auto* scroll = new QScrollArea(parent);
  scroll->setWidget(side);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  scroll->setMinimumWidth(side->sizeHint().width() + 24);
  scroll->setMaximumWidth(maxWidth);
  return scroll;
}

}  // namespace ddpm::ui
