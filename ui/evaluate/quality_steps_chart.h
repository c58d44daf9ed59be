#pragma once

#include "ui/shared/studio_plot.h"

#include <map>
#include <vector>

class QCPGraph;

namespace ddpm::ui {

struct QualityRow;

/// Sample quality against the number of network evaluations (NFE, log axis): each
/// sampler's runs at its K values as a line of its colour (DDIM, DPM-Solver++, Euler, Heun;
/// Heun takes 2K − 1 evaluations for K steps), DDPM with all T steps as one marked point;
/// the wall time of each run as a thin dashed line of the same colour on the right axis.
/// Lower scores are better.
class QualityStepsChart : public StudioPlot {
  Q_OBJECT

 public:
  explicit QualityStepsChart(QWidget* parent = nullptr);

  /// `scoreName`: the left axis' label ("energy distance", "Fréchet distance").
  void setRows(const std::vector<QualityRow>& rows, const QString& scoreName);
  void clear();

  /// The graphs of one sampler (its samplerName()); nullptr before a row of it arrived.
  QCPGraph* scoreGraph(const QString& sampler) const;
  QCPGraph* secondsGraph(const QString& sampler) const;

 private:
  struct SamplerGraphs {
    QCPGraph* score = nullptr;
    QCPGraph* seconds = nullptr;
  };
  SamplerGraphs& graphsOf(const QString& sampler);
  void applyStyle() override;

  std::map<QString, SamplerGraphs> m_graphs;
};

}  // namespace ddpm::ui
