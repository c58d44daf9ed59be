#include "ui/evaluate/bound_summary.h"

#include "ui/shared/maths_format.h"

#include <QCoreApplication>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace ddpm::ui {

BoundShares boundShares(const BoundResult& result) {
  BoundShares shares;
  const double total = result.total;
  if (!(std::isfinite(total) && total != 0.0)) {
    shares.meaningful = false;
    return shares;
  }
  double running = 0;
  for (std::size_t i = 0; i < result.evaluated.size(); ++i) {
    const double term = result.terms[static_cast<std::size_t>(result.evaluated[i])];
    const double weight = i < result.weights.size() ? result.weights[i] : 1.0;
    if (term < 0) shares.meaningful = false;
    running += weight * term;
    shares.cumulative.push_back(running / total);
    if (shares.halfWithin < 0 && running / total >= 0.5) shares.halfWithin = result.evaluated[i];
  }
  if (result.prior < 0 || total < 0) shares.meaningful = false;
  shares.priorShare = result.prior / total;
  if (!result.terms.empty() && std::isfinite(result.terms[0])) shares.decoderShare = result.terms[0] / total;
  return shares;
}

QString boundSummaryText(const BoundResult& result) {
  const auto tr = [](const char* text) { return QCoreApplication::translate("BoundSummary", text); };
  const BoundShares shares = boundShares(result);
  const int T = static_cast<int>(result.terms.size());
  const bool all = static_cast<int>(result.evaluated.size()) == T;
  QString text = tr("L = %1 bits/dim over %2 %3 (%4). L_T (prior) = %5, L_0 (decoder) = %6.")
                     .arg(formatNumber(result.total, 4))
                     .arg(result.examples)
                     .arg(result.discretised ? tr("images") : tr("points"))
                     .arg(all ? tr("all %1 terms").arg(T)
                              : tr("L_0 + %1 stratified terms, an unbiased estimate").arg(result.evaluated.size() - 1))
                     .arg(formatNumber(result.prior, 3), formatNumber(result.terms.empty() ? NAN : result.terms[0], 3));
  if (!shares.meaningful) {
    text += QLatin1Char(' ') + tr("2D points have a density, so these bits are differential and a term can be "
                                  "negative: shares are not shown.");
    return text;
  }
  const QLocale locale;
  int ninetyWithin = -1;  // smallest evaluated t whose cumulative share reaches 90%
  for (std::size_t i = 0; i < shares.cumulative.size() && ninetyWithin < 0; ++i)
    if (shares.cumulative[i] >= 0.9) ninetyWithin = result.evaluated[i];
  text += QLatin1Char(' ') + tr("L_0 alone is %1 of the bits; half of all bits are in t ≤ %2 (the first %3% of the "
                                "chain), 90% in t ≤ %5; L_T holds %4.")
                                 .arg(locale.toString(100.0 * shares.decoderShare, 'f', 1) + QLatin1Char('%'))
                                 .arg(shares.halfWithin)
                                 .arg(locale.toString(100.0 * (shares.halfWithin + 1) / std::max(1, T), 'f', 1))
                                 .arg(locale.toString(100.0 * shares.priorShare, 'g', 2) + QLatin1Char('%'))
                                 .arg(ninetyWithin);
  return text;
}

}  // namespace ddpm::ui
