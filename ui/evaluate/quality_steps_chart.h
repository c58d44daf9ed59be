#pragma once

#include "ui/shared/studio_plot.h"

#include <vector>

class QCPGraph;

namespace ddpm::ui {

struct QualityRow;

/// Sample quality against the number of network calls: DDIM (η = 0) at each K as a line,
/// DDPM with all T steps as one marked point, on a logarithmic step axis; the wall time of
/// each run on the right axis. Lower scores are better.
class QualityStepsChart : public StudioPlot {
  Q_OBJECT

 public:
  explicit QualityStepsChart(QWidget* parent = nullptr);

  /// `scoreName`: the left axis' label ("energy distance", "Fréchet distance").
  void setRows(const std::vector<QualityRow>& rows, const QString& scoreName);
  void clear();

  QCPGraph* ddimScore() const { return m_ddimScore; }
  QCPGraph* ddpmScore() const { return m_ddpmScore; }
  QCPGraph* ddimSeconds() const { return m_ddimSeconds; }
  QCPGraph* ddpmSeconds() const { return m_ddpmSeconds; }

 private:
  void applyStyle() override;

  QCPGraph* m_ddimScore;
  QCPGraph* m_ddpmScore;
  QCPGraph* m_ddimSeconds;
  QCPGraph* m_ddpmSeconds;
};

}  // namespace ddpm::ui
