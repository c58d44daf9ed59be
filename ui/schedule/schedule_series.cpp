#include "ui/schedule/schedule_series.h"

#include "core/schedule/noise_schedule.h"

#include <QObject>

#include <cmath>
#include <limits>

namespace ddpm::ui {

const std::vector<ScheduleSeries>& allScheduleSeries() {
  static const std::vector<ScheduleSeries> all = {
      ScheduleSeries::AlphaBar, ScheduleSeries::SqrtAlphaBar, ScheduleSeries::SqrtOneMinusAlphaBar,
      ScheduleSeries::Beta,     ScheduleSeries::PosteriorVariance, ScheduleSeries::LogSnr};
  return all;
}

QString seriesLabel(ScheduleSeries series) {
  switch (series) {
    case ScheduleSeries::Beta: return QStringLiteral("βₜ");
    case ScheduleSeries::AlphaBar: return QStringLiteral("ᾱₜ");
    case ScheduleSeries::SqrtAlphaBar: return QStringLiteral("√ᾱₜ");
    case ScheduleSeries::SqrtOneMinusAlphaBar: return QStringLiteral("√(1 − ᾱₜ)");
    case ScheduleSeries::PosteriorVariance: return QStringLiteral("β̃ₜ");
    case ScheduleSeries::LogSnr: return QStringLiteral("log SNRₜ");
  }
  return {};
}

QString seriesMeaning(ScheduleSeries series) {
  switch (series) {
    case ScheduleSeries::Beta: return QObject::tr("noise variance added at step t");
    case ScheduleSeries::AlphaBar: return QObject::tr("ᾱₜ = ∏ (1 − βₛ): the share of the data's variance left at t");
    case ScheduleSeries::SqrtAlphaBar: return QObject::tr("scale of x₀ in xₜ (eq. 4)");
    case ScheduleSeries::SqrtOneMinusAlphaBar: return QObject::tr("scale of ε in xₜ (eq. 4)");
    case ScheduleSeries::PosteriorVariance:
      return QObject::tr("β̃ₜ = (1 − ᾱₜ₋₁)/(1 − ᾱₜ) βₜ: variance of q(xₜ₋₁ | xₜ, x₀) (eq. 7)");
    case ScheduleSeries::LogSnr: return QObject::tr("natural log of the signal-to-noise ratio ᾱₜ/(1 − ᾱₜ)");
  }
  return {};
}

QString seriesKey(ScheduleSeries series) {
  switch (series) {
    case ScheduleSeries::Beta: return QStringLiteral("beta");
    case ScheduleSeries::AlphaBar: return QStringLiteral("alpha_bar");
    case ScheduleSeries::SqrtAlphaBar: return QStringLiteral("sqrt_alpha_bar");
    case ScheduleSeries::SqrtOneMinusAlphaBar: return QStringLiteral("sqrt_one_minus_alpha_bar");
    case ScheduleSeries::PosteriorVariance: return QStringLiteral("posterior_variance");
    case ScheduleSeries::LogSnr: return QStringLiteral("log_snr");
  }
  return {};
}

QColor seriesColour(ScheduleSeries series) {
  // Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
  switch (series) {
    case ScheduleSeries::AlphaBar: return QColor(0x00, 0x72, 0xb2);
    case ScheduleSeries::SqrtAlphaBar: return QColor(0x56, 0xb4, 0xe9);
    case ScheduleSeries::SqrtOneMinusAlphaBar: return QColor(0x00, 0x9e, 0x73);
    case ScheduleSeries::Beta: return QColor(0xd5, 0x5e, 0x00);
    case ScheduleSeries::PosteriorVariance: return QColor(0xe6, 0x9f, 0x00);
    case ScheduleSeries::LogSnr: return QColor(0xcc, 0x79, 0xa7);
  }
  return Qt::black;
}

SchedulePanel seriesPanel(ScheduleSeries series) {
  switch (series) {
    case ScheduleSeries::Beta:
    case ScheduleSeries::PosteriorVariance: return SchedulePanel::Variances;
    case ScheduleSeries::LogSnr: return SchedulePanel::LogSnr;
    default: return SchedulePanel::Scales;
  }
}

double seriesValue(const NoiseSchedule& s, ScheduleSeries series, int t) {
  const auto i = static_cast<std::size_t>(t);
  switch (series) {
    case ScheduleSeries::Beta: return s.beta[i];
    case ScheduleSeries::AlphaBar: return s.alpha_bar[i];
    case ScheduleSeries::SqrtAlphaBar: return s.sqrt_alpha_bar[i];
    case ScheduleSeries::SqrtOneMinusAlphaBar: return s.sqrt_one_minus_alpha_bar[i];
    case ScheduleSeries::PosteriorVariance: return s.posterior_variance[i];
    case ScheduleSeries::LogSnr: return s.log_snr[i];
  }
  return std::numeric_limits<double>::quiet_NaN();
}

std::vector<double> seriesValues(const NoiseSchedule& schedule, ScheduleSeries series) {
  std::vector<double> values(static_cast<std::size_t>(schedule.steps()));
  for (std::size_t t = 0; t < values.size(); ++t) values[t] = seriesValue(schedule, series, static_cast<int>(t));
  return values;
}

}  // namespace ddpm::ui
