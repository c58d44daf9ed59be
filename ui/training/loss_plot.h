#pragma once

#include "ui/shared/studio_plot.h"

class QCPGraph;

namespace ddpm::ui {

class LossHistory;

/// L_simple against the training step: every step's batch loss (light) and its smoothed
/// line (dark), on a linear or logarithmic axis. refresh() adds only the steps not yet
/// drawn and asks for one queued replot, so the owner can call it on a timer while a run
/// goes on without the cost growing with the run.
class LossPlot : public StudioPlot {
  Q_OBJECT

 public:
  explicit LossPlot(QWidget* parent = nullptr);

  /// Draws what `history` holds (appending the new steps; a shorter history restarts).
  void refresh(const LossHistory& history);
  void clear();
  void setLogScale(bool on);
  bool logScale() const { return m_log; }

  QCPGraph* rawGraph() const { return m_raw; }
  QCPGraph* smoothedGraph() const { return m_smoothed; }

 private:
  void applyStyle() override;
  void rescale();

  QCPGraph* m_raw;
  QCPGraph* m_smoothed;
  int m_drawn = 0;
  bool m_log = false;
};

}  // namespace ddpm::ui
