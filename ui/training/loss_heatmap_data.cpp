#include "ui/training/loss_heatmap_data.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ddpm::ui {

LossHeatmapData::LossHeatmapData(int fineBins, int maxColumns)
    : m_fineBins(std::max(1, fineBins)), m_maxColumns(std::max(2, maxColumns + (maxColumns % 2))) {
  m_sum.assign(static_cast<std::size_t>(m_fineBins) * static_cast<std::size_t>(m_maxColumns), 0.0);
  m_count.assign(m_sum.size(), 0);
}

void LossHeatmapData::reset(int timesteps, qint64 origin) {
  m_timesteps = std::max(1, timesteps);
  m_origin = origin;
  m_columns = 0;
  m_width = 1;
  m_samples = 0;
  std::fill(m_sum.begin(), m_sum.end(), 0.0);
  std::fill(m_count.begin(), m_count.end(), 0);
}

void LossHeatmapData::addReport(qint64 firstStep, qint64 stepCount, const std::vector<int>& t,
                                const std::vector<float>& losses) {
  const std::size_t n = std::min(t.size(), losses.size());
  if (n == 0 || stepCount <= 0) return;
  for (std::size_t i = 0; i < n; ++i)
    add(firstStep + static_cast<qint64>(i) * stepCount / static_cast<qint64>(n), t[i], losses[i]);
}

void LossHeatmapData::add(qint64 step, int t, double loss) {
  if (step <= m_origin || t < 0 || t >= m_timesteps || !std::isfinite(loss)) return;
  qint64 column = (step - m_origin - 1) / m_width;
  while (column >= m_maxColumns) {
    mergePairs();
    column = (step - m_origin - 1) / m_width;
  }
  const int bin = static_cast<int>(static_cast<qint64>(t) * m_fineBins / m_timesteps);
  m_sum[at(static_cast<int>(column), bin)] += loss;
  m_count[at(static_cast<int>(column), bin)] += 1;
  m_columns = std::max(m_columns, static_cast<int>(column) + 1);
  ++m_samples;
}

void LossHeatmapData::mergePairs() {
  // Column j of the wider grid is old columns 2j and 2j + 1: sums and counts add, so each
  // cell's mean is exactly the mean of all its samples.
  const int merged = (m_columns + 1) / 2;
  for (int j = 0; j < merged; ++j) {
    for (int b = 0; b < m_fineBins; ++b) {
      double sum = m_sum[at(2 * j, b)];
      qint64 count = m_count[at(2 * j, b)];
      if (2 * j + 1 < m_maxColumns) {
        sum += m_sum[at(2 * j + 1, b)];
        count += m_count[at(2 * j + 1, b)];
      }
      m_sum[at(j, b)] = sum;
      m_count[at(j, b)] = count;
    }
  }
  for (int j = merged; j < m_maxColumns; ++j) {
    for (int b = 0; b < m_fineBins; ++b) {
      m_sum[at(j, b)] = 0.0;
      m_count[at(j, b)] = 0;
    }
  }
  m_columns = merged;
  m_width *= 2;
}

double LossHeatmapData::binLow(int b, int bins) const {
  // Smallest t with ⌊t · bins / T⌋ ≥ b.
  return std::ceil(static_cast<double>(b) * m_timesteps / bins);
}

double LossHeatmapData::binHigh(int b, int bins) const {
  return binLow(b + 1, bins) - 1;
}

qint64 LossHeatmapData::count(int column, int b, int bins) const {
  if (!supportsBins(bins) || column < 0 || column >= m_columns || b < 0 || b >= bins) return 0;
  const int per = m_fineBins / bins;
  qint64 total = 0;
  for (int f = b * per; f < (b + 1) * per; ++f) total += m_count[at(column, f)];
  return total;
}

double LossHeatmapData::mean(int column, int b, int bins) const {
  const qint64 n = count(column, b, bins);
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  const int per = m_fineBins / bins;
  double sum = 0.0;
  for (int f = b * per; f < (b + 1) * per; ++f) sum += m_sum[at(column, f)];
  return sum / static_cast<double>(n);
}

}  // namespace ddpm::ui
