#pragma once

#include <QImage>
#include <QRgb>
#include <QSize>

#include <vector>

namespace ddpm::ui {

struct SlerpStrip;

/// The colour of λ in [0, 1] along the strip: A's blue at 0 through grey to B's orange at 1.
QRgb lambdaColour(double lambda);

/// Images: one column per λ (left to right, λ = 0 … 1) and one row per pair, one pixel
/// per data pixel on the grids' dark background. Points: every sample of every λ on one
/// canvas of `pixels`, coloured by λ (lambdaColour). A null image for an empty strip.
QImage renderSlerpStrip(const SlerpStrip& strip, QSize pixels, qreal devicePixelRatio);

/// The strip for export: zoomed by a whole factor to about `cellSide` pixels per image
/// (points: a square of 4 × cellSide), with λ written under each column and `caption`
/// above.
QImage composeSlerpStrip(const SlerpStrip& strip, int cellSide, const QString& caption);

}  // namespace ddpm::ui
