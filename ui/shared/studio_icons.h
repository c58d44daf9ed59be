#pragma once

#include <QIcon>

namespace ddpm::ui {

/// The application's icon (resources/icons, several sizes).
QIcon appIcon();
/// Navigation icons, drawn in code so they stay sharp at any scale: a falling ᾱ curve
/// over a rising β curve, and points dissolving into noise.
QIcon scheduleViewIcon();
QIcon forwardViewIcon();
/// Noise (scattered dots) turning into a shape (a ring); two overlapping discs, A and B.
QIcon samplingViewIcon();
QIcon compareViewIcon();

}  // namespace ddpm::ui
