#pragma once

#include <QString>

namespace ddpm::ui {

/// A number for people: `significant` digits, a true minus sign (−), and powers of ten
/// written with superscripts ("1.00×10⁻⁴") outside 10⁻³ … 10⁵. Plain Unicode, so it reads
/// the same in labels and rich text. NaN prints "—". `trimZeros` drops trailing zeros
/// (0.02000 → 0.02) for settings a person typed.
QString formatNumber(double value, int significant = 4, bool trimZeros = false);

/// A coefficient that follows another term in rich text: "+ <b>0.5</b>" or "− <b>0.5</b>",
/// so a sum reads x + y and x − y, never x + −y.
QString addedTermHtml(double value, int significant = 4);

/// An integer exponent as Unicode superscripts: −4 → "⁻⁴".
QString superscript(int exponent);

}  // namespace ddpm::ui
