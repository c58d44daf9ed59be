#pragma once

#include <QColor>
#include <QString>

#include <vector>

namespace ddpm {
class NoiseSchedule;
}

namespace ddpm::ui {

/// The per-step quantities the Schedule view plots, in the order they are listed.
enum class ScheduleSeries { AlphaBar, SqrtAlphaBar, SqrtOneMinusAlphaBar, Beta, PosteriorVariance, LogSnr };

/// Which chart panel a series lives in: signal/noise scales in [0, 1], variances, log SNR.
enum class SchedulePanel { Scales, Variances, LogSnr };

constexpr int kScheduleSeriesCount = 6;

/// All series in display order.
const std::vector<ScheduleSeries>& allScheduleSeries();

/// Plain Unicode label such as "√(1 − ᾱₜ)".
QString seriesLabel(ScheduleSeries series);
/// A short phrase for tooltips: what the quantity means.
QString seriesMeaning(ScheduleSeries series);
/// Stable key for settings ("alpha_bar", …).
QString seriesKey(ScheduleSeries series);
QColor seriesColour(ScheduleSeries series);
SchedulePanel seriesPanel(ScheduleSeries series);

/// The series' value at code index t. Log SNR is the natural log of ᾱ_t / (1 − ᾱ_t);
/// where ᾱ_t underflows to 0 it is NaN (plotted as a gap), never −∞.
double seriesValue(const NoiseSchedule& schedule, ScheduleSeries series, int t);
/// All T values of a series.
std::vector<double> seriesValues(const NoiseSchedule& schedule, ScheduleSeries series);

}  // namespace ddpm::ui
