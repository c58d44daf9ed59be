#include "ui/shared/maths_format.h"

#include <cmath>

namespace ddpm::ui {

QString superscript(int exponent) {
  static const QChar digits[] = {u'⁰', u'¹', u'²', u'³', u'⁴', u'⁵', u'⁶', u'⁷', u'⁸', u'⁹'};
  const QString plain = QString::number(exponent);
  QString out;
  for (QChar c : plain) out += c == u'-' ? QChar(u'⁻') : digits[c.digitValue()];
  return out;
}

namespace {

QString trimmed(QString digits, bool trim) {
  if (!trim || !digits.contains(u'.')) return digits;
  while (digits.endsWith(u'0')) digits.chop(1);
  if (digits.endsWith(u'.')) digits.chop(1);
  return digits;
}

}  // namespace

QString addedTermHtml(double value, int significant) {
  const QString sign = std::signbit(value) ? QStringLiteral("−") : QStringLiteral("+");
  return QStringLiteral("%1 <b>%2</b>").arg(sign, formatNumber(std::abs(value), significant));
}

QString formatNumber(double value, int significant, bool trimZeros) {
  if (std::isnan(value)) return QStringLiteral("—");
  if (std::isinf(value)) return value > 0 ? QStringLiteral("∞") : QStringLiteral("−∞");
  if (value == 0.0) return QStringLiteral("0");
  significant = std::max(1, significant);
  const QString minus = value < 0 ? QStringLiteral("−") : QString();
  const double magnitude = std::abs(value);
  int exponent = static_cast<int>(std::floor(std::log10(magnitude)));
  // Rounding can carry into the next power of ten (9.9996 → 10.00).
  const double rounded = std::round(magnitude / std::pow(10.0, exponent - significant + 1)) *
                         std::pow(10.0, exponent - significant + 1);
  if (rounded >= std::pow(10.0, exponent + 1)) ++exponent;
  if (exponent >= -3 && exponent < 5) {
    const int decimals = std::max(0, significant - 1 - exponent);
    return minus + trimmed(QString::number(magnitude, 'f', decimals), trimZeros);
  }
  const double mantissa = magnitude / std::pow(10.0, exponent);
  return minus + trimmed(QString::number(mantissa, 'f', significant - 1), trimZeros) + QStringLiteral("×10") + superscript(exponent);
}

}  // namespace ddpm::ui
