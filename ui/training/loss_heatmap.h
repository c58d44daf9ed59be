#pragma once

#include "ui/shared/studio_plot.h"

class QCheckBox;
class QComboBox;
class QCPColorMap;
class QCPColorScale;

namespace ddpm::ui {

class LossHeatmapData;

/// The per-sample loss as a heatmap: training step across, timestep t up, colour the
/// mean ‖ε − ε_θ‖² / dim of the samples in each (step window, t bin) cell (LossHeatmapData).
/// It shows what the loss-against-t bars cannot: how each t's loss falls during the run
/// (large t learn first, the faint residue at small t keeps a floor). Cells without samples
/// are left blank. 20 or 50 bins of t; a linear or logarithmic colour scale.
class LossHeatmap : public StudioPlot {
  Q_OBJECT

 public:
  explicit LossHeatmap(QWidget* parent = nullptr);

  /// Redraws from `data` (queued replot).
  void refresh(const LossHeatmapData& data);
  void clear(int timesteps);

  void setBins(int bins);
  int bins() const { return m_bins; }
  void setLogColour(bool on);
  bool logColour() const;

  QCPColorMap* colorMap() const { return m_map; }
  QCPColorScale* colorScale() const { return m_scale; }
  QComboBox* binsBox() const { return m_binsBox; }
  QCheckBox* logBox() const { return m_logBox; }

 signals:
  /// Bins or colour scale changed (the owner redraws from its data).
  void settingsChanged();

 private:
  void applyStyle() override;

  QCPColorMap* m_map;
  QCPColorScale* m_scale;
  QComboBox* m_binsBox;
  QCheckBox* m_logBox;
  int m_bins = 50;
};

}  // namespace ddpm::ui
