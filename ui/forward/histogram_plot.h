#pragma once

#include "ui/shared/studio_plot.h"

#include <QString>

#include <vector>

class QCPBars;
class QCPGraph;
class QCPItemText;

namespace ddpm::ui {

/// The histogram of x_t's values drawn as a density against the N(0, 1) density and
/// against x₀'s histogram, so one sees the data distribution turn Gaussian. Axes are
/// fixed (values −4…4, density 0…0.75) so frames compare at a glance while t moves; a
/// taller bar is clipped and its height written above it.
class HistogramPlot : public StudioPlot {
  Q_OBJECT

 public:
  explicit HistogramPlot(QWidget* parent = nullptr);

  /// Densities over equal bins spanning [low, high].
  void setDensities(const std::vector<double>& xt, const std::vector<double>& x0, double low, double high);
  void setTitle(const QString& text);

  QCPBars* bars() const { return m_bars; }
  /// Top of the density axis.
  static constexpr double kDensityMax = 0.75;

 private:
  void applyStyle() override;

  QCPBars* m_bars;
  QCPGraph* m_x0;
  QCPGraph* m_gaussian;
  QCPItemText* m_peak;
};

}  // namespace ddpm::ui
