#pragma once

#include <QVector>

#include <cstddef>
#include <vector>

namespace ddpm::ui {

/// The losses of a run as the plots show them: L_simple per step, a smoothed line, and
/// the mean per-sample loss in equal-width bins of t (where the model finds denoising
/// hard). The smoothed line is an exponential moving average with bias correction
/// (s_n = Σ_k (1 − a) aⁿ⁻ᵏ ℓ_k / (1 − aⁿ), as TensorBoard draws it), so it starts at the
/// first loss instead of at 0.
class LossHistory {
 public:
  /// `smoothing` a in [0, 1): the weight of the past in the moving average.
  explicit LossHistory(double smoothing = 0.98, int bins = 20);

  /// The smoothing a in [0, 1); set it before reset() so one run uses one a.
  void setSmoothing(double smoothing);
  double smoothing() const { return m_smoothing; }
  /// Forgets everything; `timesteps` is T, for the bins.
  void reset(int timesteps);
  /// Appends the losses of consecutive steps, the first being `firstStep`.
  void appendSteps(qint64 firstStep, const std::vector<double>& losses);
  /// Adds per-sample (t, loss) pairs to the bins; t outside 0..T−1 and non-finite losses are skipped.
  void addSamples(const std::vector<int>& t, const std::vector<float>& losses);

  const QVector<double>& steps() const { return m_steps; }
  const QVector<double>& raw() const { return m_raw; }
  const QVector<double>& smoothed() const { return m_smoothed; }
  std::size_t size() const { return static_cast<std::size_t>(m_steps.size()); }
  double lastSmoothed() const { return m_smoothed.isEmpty() ? 0.0 : m_smoothed.back(); }

  int binCount() const { return static_cast<int>(m_binSum.size()); }
  int timesteps() const { return m_timesteps; }
  /// Bin of code timestep t: ⌊t · bins / T⌋.
  int binOf(int t) const;
  /// Centre of bin i in t.
  double binCentre(int i) const;
  /// Mean loss of the samples in bin i (0 when it has none) and how many there were.
  double binMean(int i) const;
  qint64 binSamples(int i) const { return m_binCount[static_cast<std::size_t>(i)]; }

 private:
  double m_smoothing;
  int m_timesteps = 1000;
  QVector<double> m_steps, m_raw, m_smoothed;
  double m_average = 0;    // biased EMA
  double m_weight = 0;     // 1 − aⁿ, the weight it carries
  std::vector<double> m_binSum;
  std::vector<qint64> m_binCount;
};

}  // namespace ddpm::ui
