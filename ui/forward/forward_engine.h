#pragma once

#include "ui/forward/forward_batch.h"

#include <QImage>
#include <QRgb>
#include <QSize>

#include <cstdint>
#include <memory>
#include <vector>

namespace ddpm {
class NoiseSchedule;
}

namespace ddpm::ui {

/// Histogram range and bins used for x_t values: wide enough for N(0, 1) (±4σ).
constexpr double kHistogramLow = -4.0;
constexpr double kHistogramHigh = 4.0;
constexpr int kHistogramBins = 64;

/// Everything the forward view shows for one t, computed off the paint path.
struct ForwardFrame {
  int t = -1;
  double sqrtAlphaBar = 1;          ///< √ᾱ_t
  double sqrtOneMinusAlphaBar = 0;  ///< √(1 − ᾱ_t)
  std::vector<float> xt;            ///< x_t, laid out like the batch's values
  QImage picture;                   ///< x_t drawn: an image grid or a point cloud
  std::vector<double> density;      ///< histogram of all x_t values (kHistogramBins over ±4)
  double mean = 0;                  ///< of all x_t values
  double variance = 0;              ///< of all x_t values (population)
};

/// The forward process for one fixed batch x₀ and one fixed noise ε:
/// x_t = √ᾱ_t x₀ + √(1 − ᾱ_t) ε (eq. 4, core's GaussianDiffusion::q_sample), for any t,
/// rendered to a QImage. ε stays the same until a new noise seed is set, so moving t
/// shows one and the same path from data to noise.
class ForwardEngine {
 public:
  ForwardEngine();
  ~ForwardEngine();
  ForwardEngine(const ForwardEngine&) = delete;
  ForwardEngine& operator=(const ForwardEngine&) = delete;

  void setSchedule(std::shared_ptr<const NoiseSchedule> schedule);
  /// New x₀; ε is redrawn with the current seed to match its shape.
  void setBatch(ForwardBatch batch);
  /// Draws ε ~ N(0, I) shaped like x₀ from core's seeded generator.
  void setNoiseSeed(std::uint64_t seed);
  /// Size in device pixels (and ratio) of the x_t canvas for point clouds.
  void setCanvas(QSize pixels, qreal devicePixelRatio);

  const ForwardBatch& batch() const { return m_batch; }
  std::uint64_t noiseSeed() const { return m_seed; }
  const std::vector<float>& noise() const { return m_noise; }
  int steps() const;
  /// Mean and variance of all x₀ values (for the formula panel).
  double x0Mean() const { return m_x0Mean; }
  double x0Variance() const { return m_x0Variance; }
  const std::vector<double>& x0Density() const { return m_x0Density; }

  /// x_t for code index t (clamped to 0..T−1) and its picture, histogram and moments.
  ForwardFrame frame(int t) const;
  /// Pictures of x₀ and ε, drawn like x_t's (point clouds on a canvas of `pixels`).
  QImage renderX0(QSize pixels, qreal devicePixelRatio) const;
  QImage renderNoise(QSize pixels, qreal devicePixelRatio) const;

 private:
  QImage render(const std::vector<float>& values, QSize pixels, qreal dpr) const;
  void redrawNoise();

  struct Tensors;
  std::unique_ptr<Tensors> m_tensors;
  std::shared_ptr<const NoiseSchedule> m_schedule;
  ForwardBatch m_batch;
  std::vector<float> m_noise;
  std::vector<QRgb> m_colours;
  std::uint64_t m_seed = 0;
  QSize m_canvas{480, 480};
  qreal m_dpr = 1;
  double m_x0Mean = 0, m_x0Variance = 0;
  std::vector<double> m_x0Density;
};

}  // namespace ddpm::ui
