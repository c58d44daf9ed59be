#pragma once

#include <QColor>
#include <QFont>

class QApplication;
class QCustomPlot;
class QScrollArea;
class QString;
class QWidget;

namespace ddpm::ui {

/// The one palette of DDPM Studio, so every view and plot agrees.
namespace colours {
inline const QColor kAccent{0x2f, 0x6f, 0xd0};
inline const QColor kSidebar{0x1f, 0x29, 0x37};
inline const QColor kSidebarText{0xe5, 0xe9, 0xf0};
inline const QColor kCursor{0x22, 0x28, 0x33};
inline const QColor kHover{0x8a, 0x93, 0xa3};
inline const QColor kError{0xb4, 0x23, 0x18};
inline const QColor kErrorBackground{0xfd, 0xec, 0xea};
inline const QColor kWarning{0x9a, 0x5b, 0x00};
inline const QColor kWarningBackground{0xff, 0xf4, 0xdc};
inline const QColor kOk{0x1d, 0x6b, 0x3c};
inline const QColor kGaussian{0xd6, 0x3d, 0x3d};
inline const QColor kHistogram{0x2f, 0x6f, 0xd0};
inline const QColor kGrid{0xe3, 0xe6, 0xeb};
inline const QColor kText{0x1f, 0x25, 0x2e};
inline const QColor kMutedText{0x5b, 0x64, 0x72};
}  // namespace colours

/// Fusion style, the studio palette and a style sheet for the few custom-looking parts
/// (sidebar, formula panel, inline messages).
void applyStudioStyle(QApplication& app);

/// Fonts, pens and backgrounds of a QCustomPlot in the studio look, from `base` (the
/// widget's font), so plots follow the app's text size.
void styleStudioPlot(QCustomPlot* plot, const QFont& base);

/// The scroll area a view's settings column sits in: no frame, no horizontal scroll bar,
/// at least as wide as `side` asks for and at most `maxWidth`, so the plots get the rest.
QScrollArea* sideScrollArea(QWidget* side, int maxWidth, QWidget* parent);

/// `base` scaled by `factor` (point size), for headings and the formula panel.
QFont scaledFont(const QFont& base, double factor, bool bold = false);

/// Sets the "message" property the style sheet colours inline messages by ("error",
/// "warning", "ok", …) and re-polishes `label`, so the new colour shows at once.
void setMessageKind(QWidget* label, const QString& kind);

}  // namespace ddpm::ui
