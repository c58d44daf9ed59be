#include "ui/training/loss_history.h"

#include <algorithm>
#include <cmath>

namespace ddpm::ui {

LossHistory::LossHistory(double smoothing, int bins)
    : m_smoothing(std::clamp(smoothing, 0.0, 0.9999)),
      m_binSum(static_cast<std::size_t>(std::max(1, bins)), 0.0),
      m_binCount(static_cast<std::size_t>(std::max(1, bins)), 0) {}

void LossHistory::setSmoothing(double smoothing) {
  m_smoothing = std::clamp(smoothing, 0.0, 0.9999);
}

void LossHistory::reset(int timesteps) {
  m_timesteps = std::max(1, timesteps);
  m_steps.clear();
  m_raw.clear();
  m_smoothed.clear();
  m_average = 0;
  m_weight = 0;
  std::fill(m_binSum.begin(), m_binSum.end(), 0.0);
  std::fill(m_binCount.begin(), m_binCount.end(), 0);
}

void LossHistory::appendSteps(qint64 firstStep, const std::vector<double>& losses) {
  for (std::size_t i = 0; i < losses.size(); ++i) {
    const double loss = losses[i];
    if (!std::isfinite(loss)) continue;
    m_average = m_smoothing * m_average + (1 - m_smoothing) * loss;
    m_weight = m_smoothing * m_weight + (1 - m_smoothing);
    m_steps.push_back(static_cast<double>(firstStep + static_cast<qint64>(i)));
    m_raw.push_back(loss);
    m_smoothed.push_back(m_average / m_weight);
  }
}

int LossHistory::binOf(int t) const {
  const auto bins = static_cast<qint64>(m_binSum.size());
  return static_cast<int>(std::min<qint64>(bins - 1, static_cast<qint64>(t) * bins / m_timesteps));
}

double LossHistory::binCentre(int i) const {
  const double width = static_cast<double>(m_timesteps) / static_cast<double>(m_binSum.size());
  return (i + 0.5) * width - 0.5;  // centre of the code indices ⌈i·w⌉ … ⌈(i+1)·w⌉ − 1
}

void LossHistory::addSamples(const std::vector<int>& t, const std::vector<float>& losses) {
  const std::size_t n = std::min(t.size(), losses.size());
  for (std::size_t k = 0; k < n; ++k) {
    if (t[k] < 0 || t[k] >= m_timesteps || !std::isfinite(losses[k])) continue;
    const auto b = static_cast<std::size_t>(binOf(t[k]));
    m_binSum[b] += losses[k];
    ++m_binCount[b];
  }
}

double LossHistory::binMean(int i) const {
  const auto b = static_cast<std::size_t>(i);
  return m_binCount[b] > 0 ? m_binSum[b] / static_cast<double>(m_binCount[b]) : 0.0;
}

}  // namespace ddpm::ui
