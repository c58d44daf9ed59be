#pragma once

#include "ui/shared/studio_plot.h"

class QCPGraph;
class QCPItemText;

namespace ddpm::ui {

struct BoundResult;

/// "Where do the bits go?": each term of the variational bound (eq. 5) in bits/dim
/// against t — L_0, the decoder, at t = 0, the KL terms L_t, and L_T, the prior, drawn
/// just past the end of the chain — with the cumulative share of the total on the right
/// axis. Linear or logarithmic y (terms span orders of magnitude). Stratified runs show
/// their evaluated terms as points.
class BitsPerTChart : public StudioPlot {
  Q_OBJECT

 public:
  explicit BitsPerTChart(QWidget* parent = nullptr);

  void setResult(const BoundResult& result);
  void clear();
  void setLogScale(bool on);
  bool logScale() const { return m_log; }

  /// L_t for t ≥ 1 (key t, value bits/dim).
  QCPGraph* termsGraph() const { return m_terms; }
  /// L_0 at key 0.
  QCPGraph* decoderGraph() const { return m_decoder; }
  /// L_T at key T.
  QCPGraph* priorGraph() const { return m_prior; }
  /// Cumulative share of L in percent (right axis).
  QCPGraph* shareGraph() const { return m_share; }
  /// The "L₀ (decoder) = …" label.
  QCPItemText* decoderLabel() const { return m_decoderLabel; }

 private:
  void applyStyle() override;
  void rescale();
  /// The right axis and its legend entry, shown only while the shares mean something.
  void showShareAxis(bool on);

  QCPGraph* m_terms;
  QCPGraph* m_decoder;
  QCPGraph* m_prior;
  QCPGraph* m_share;
  QCPItemText* m_decoderLabel;
  QCPItemText* m_priorLabel;
  bool m_log = true;
  int m_T = 1000;
};

}  // namespace ddpm::ui
