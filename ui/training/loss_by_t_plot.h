#pragma once

#include "ui/shared/studio_plot.h"

class QCPBars;

namespace ddpm::ui {

class LossHistory;

/// The mean per-sample loss ‖ε − ε_θ‖² / dim in equal bins of t (LossHistory's): where
/// along the forward process the network still finds the noise hard to predict (for
/// DDPM, small t, where x_t is nearly clean and the noise is a faint residue).
class LossByTPlot : public StudioPlot {
  Q_OBJECT

 public:
  explicit LossByTPlot(QWidget* parent = nullptr);

  void refresh(const LossHistory& history);
  void clear(int timesteps);

  QCPBars* bars() const { return m_bars; }

 private:
  void applyStyle() override;

  QCPBars* m_bars;
};

}  // namespace ddpm::ui
