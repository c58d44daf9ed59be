#pragma once

#include "core/sampling/rate_distortion.h"

#include <QWidget>

#include <vector>

class QLabel;
class QPushButton;

namespace ddpm::ui {

class CurveChart;

/// Progressive lossy compression (Ho et al. 2020, section 4.3, Fig. 5, Table 4), from the
/// bound the "Bits per t" page computed: distortion against reverse steps, rate against
/// steps, and distortion against rate, with this model's rows beside the paper's CIFAR-10
/// Table 4 and a CSV export (`steps,t,rate_bits_per_dim,distortion_rmse`, as `ddpm figure
/// rate-distortion` writes). Empty, with a hint, until a bound with all T terms on images.
class RateDistortionPage : public QWidget {
  Q_OBJECT

 public:
  explicit RateDistortionPage(QWidget* parent = nullptr);

  /// Shows a curve (k = 0..T) measured on `examples` images of `dataSpec`; an empty curve
  /// clears the page and shows `hint`.
  void setCurve(const std::vector<RateDistortionPoint>& curve, const QString& dataSpec, int examples);
  void clear(const QString& hint);
  const std::vector<RateDistortionPoint>& curve() const { return m_curve; }
  /// Writes the curve as CSV (atomically); false with a sentence when there is none or it fails.
  bool exportCsv(const QString& path, QString* error) const;

  CurveChart* distortionChart() const { return m_distortion; }
  CurveChart* rateChart() const { return m_rate; }
  CurveChart* tradeOffChart() const { return m_tradeOff; }
  QPushButton* exportButton() const { return m_export; }
  QString summaryText() const;

 signals:
  /// The Export button was pressed (the view asks where and calls exportCsv).
  void exportRequested();

 private:
  std::vector<RateDistortionPoint> m_curve;
  CurveChart* m_distortion;
  CurveChart* m_rate;
  CurveChart* m_tradeOff;
  QLabel* m_summary;
  QPushButton* m_export;
};

}  // namespace ddpm::ui
