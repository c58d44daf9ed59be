#pragma once

#include "ui/shared/studio_plot.h"

#include <vector>

class QCPGraph;

namespace ddpm::ui {

/// One titled curve y(x) with named axes: the building block of the rate–distortion page
/// (distortion against steps, rate against steps, distortion against rate). The axes fit
/// the data; an empty chart shows the unit square.
class CurveChart : public StudioPlot {
  Q_OBJECT

 public:
  CurveChart(const QString& title, const QString& xLabel, const QString& yLabel, QWidget* parent = nullptr);

  /// Replaces the curve; the points are joined in order of x (non-finite pairs skipped).
  void setCurve(const std::vector<double>& x, const std::vector<double>& y);
  void clear();
  QCPGraph* curveGraph() const { return m_curve; }

 private:
  QCPGraph* m_curve;
};

}  // namespace ddpm::ui
