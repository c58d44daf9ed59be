#pragma once

#include <QWidget>

class QCustomPlot;
class QCPBars;
class QCPTextElement;

namespace ddpm::ui {

class LossHistory;

/// The mean per-sample loss ‖ε − ε_θ‖² / dim in equal bins of t (LossHistory's): where
/// along the forward process the network still finds the noise hard to predict (for
/// DDPM, small t, where x_t is nearly clean and the noise is a faint residue).
class LossByTPlot : public QWidget {
  Q_OBJECT

 public:
  explicit LossByTPlot(QWidget* parent = nullptr);

  void refresh(const LossHistory& history);
  void clear(int timesteps);

  QCustomPlot* plot() const { return m_plot; }
  QCPBars* bars() const { return m_bars; }

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void applyStyle();

  QCustomPlot* m_plot;
  QCPTextElement* m_title;
  QCPBars* m_bars;
};

}  // namespace ddpm::ui
