#pragma once

#include <QtGlobal>

#include <cstddef>
#include <vector>

namespace ddpm::ui {

/// Per-sample training losses ‖ε − ε_θ‖² / dim summed into cells of (step window, t bin),
/// so a heatmap can show how the loss at each t falls as training goes on. Memory is
/// fixed: at most maxColumns() step windows of fineBins() bins. Windows start one step
/// wide; when a step falls past the last column, neighbouring columns are merged in pairs
/// (their sums and counts added, so every mean stays exact) and the window doubles.
/// Bins are ⌊t · fineBins / T⌋; a coarser view with `bins` dividing fineBins() sums whole
/// fine bins, which is the same as binning with ⌊t · bins / T⌋ directly
/// (⌊⌊x⌋ / n⌋ = ⌊x / n⌋), so 20 or 50 bins are both exact from the default 100.
class LossHeatmapData {
 public:
  /// `maxColumns` is rounded up to an even number ≥ 2.
  explicit LossHeatmapData(int fineBins = 100, int maxColumns = 128);

  /// Forgets everything: `timesteps` is T; the run's steps are origin + 1, origin + 2, ….
  void reset(int timesteps, qint64 origin = 0);
  /// Samples of consecutive steps firstStep … firstStep + stepCount − 1, in step order with
  /// the same number per step (TrainingProgress's layout): sample i belongs to step
  /// firstStep + ⌊i · stepCount / n⌋. t outside 0..T−1, non-finite losses and steps
  /// ≤ origin are skipped.
  void addReport(qint64 firstStep, qint64 stepCount, const std::vector<int>& t, const std::vector<float>& losses);
  /// One sample at `step`.
  void add(qint64 step, int t, double loss);

  int fineBins() const { return m_fineBins; }
  int maxColumns() const { return m_maxColumns; }
  int timesteps() const { return m_timesteps; }
  qint64 origin() const { return m_origin; }
  /// Columns holding steps so far (≤ maxColumns()).
  int columns() const { return m_columns; }
  /// Steps per column (a power of two).
  qint64 stepsPerColumn() const { return m_width; }
  /// First and last step of column c.
  qint64 columnFirstStep(int c) const { return m_origin + 1 + c * m_width; }
  qint64 columnLastStep(int c) const { return m_origin + (c + 1) * m_width; }
  /// Whether `bins` can be shown exactly: it divides fineBins().
  bool supportsBins(int bins) const { return bins > 0 && m_fineBins % bins == 0; }
  /// Code timesteps covered by coarse bin b of `bins`: those with ⌊t · bins / T⌋ = b.
  double binLow(int b, int bins) const;
  double binHigh(int b, int bins) const;
  /// Mean loss of cell (column, coarse bin b of `bins`), NaN when it holds no sample.
  double mean(int column, int b, int bins) const;
  /// Samples in that cell.
  qint64 count(int column, int b, int bins) const;
  /// Samples taken in so far (skipped ones not counted).
  qint64 samples() const { return m_samples; }
  /// Bytes held by the cells: constant for the object's life, whatever the run's length.
  std::size_t cellBytes() const { return m_sum.capacity() * sizeof(double) + m_count.capacity() * sizeof(qint64); }

 private:
  void mergePairs();
  std::size_t at(int column, int fineBin) const {
    return static_cast<std::size_t>(column) * static_cast<std::size_t>(m_fineBins) + static_cast<std::size_t>(fineBin);
  }

  int m_fineBins;
  int m_maxColumns;
  int m_timesteps = 1000;
  qint64 m_origin = 0;
  int m_columns = 0;
  qint64 m_width = 1;
  qint64 m_samples = 0;
  std::vector<double> m_sum;
  std::vector<qint64> m_count;
};

}  // namespace ddpm::ui
