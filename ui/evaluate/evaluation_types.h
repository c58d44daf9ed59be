#pragma once

#include "core/sampling/rate_distortion.h"
#include "ui/sampling/sampling_settings.h"

#include <QMetaType>
#include <QString>
#include <QtGlobal>

#include <limits>
#include <vector>

namespace ddpm::ui {

/// What the "where do the bits go?" panel asks core's variational_bound for.
struct BoundSettings {
  QString dataSpec;             ///< test data to score; empty: the data the model was trained on
  int examples = 64;            ///< test samples (chosen at random with `seed`)
  int terms = 0;                ///< 0: all T terms; 2..T−1: L_0 plus a stratified sample of terms − 1
  bool posteriorVariance = false;  ///< σ_t² = β̃_t instead of β_t
  int batch = 0;                ///< rows per network call (0: all examples at once)
  quint64 seed = 0;             ///< the examples, x_t ~ q(x_t | x_0) and the strata
};

/// The bound of one run, in bits per dimension (VariationalBound's numbers as plain values).
struct BoundResult {
  std::vector<double> terms;    ///< per code index t: [0] = L_0, [t ≥ 1] = L_t; NaN where not evaluated
  std::vector<int> evaluated;   ///< code indices evaluated, ascending
  std::vector<double> weights;  ///< weight of each evaluated term in the sum (stratum size; 1 for all terms)
  double prior = std::numeric_limits<double>::quiet_NaN();  ///< L_T
  double total = std::numeric_limits<double>::quiet_NaN();  ///< L = L_T + Σ weight · term
  qint64 dims = 0;              ///< values per sample
  int examples = 0;             ///< test samples scored
  bool discretised = true;      ///< images (eq. 13, bits ≥ 0); false: points, differential bits
  QString dataSpec;             ///< the data scored
  double seconds = 0;
  /// Images with all T terms: progressive coding's curve (Fig. 5), k = 0..T; empty otherwise.
  std::vector<RateDistortionPoint> rateDistortion;
};

/// What the quality panel runs: DDPM with all T steps, and each of `samplers` (DDIM with
/// η = 0, the probability-flow ODE solvers; not DDPM) with each K in `steps`, every run
/// from the same seed.
struct QualitySettings {
  int samples = 0;                 ///< N per run; 0: 2000 points or 256 images
  std::vector<int> steps;          ///< K values (each in 1..T)
  std::vector<SamplingSettings::Sampler> samplers{SamplingSettings::Sampler::DDIM};
  bool ddpm = true;                ///< also DDPM with T steps
  quint64 seed = 0;
};

/// One run of the quality panel.
struct QualityRow {
  QString sampler;          ///< samplerName(): "DDPM", "DDIM", "DPM-Solver++(2M)", "Euler", "Heun"
  int steps = 0;            ///< steps K (T for DDPM)
  int nfe = 0;              ///< network evaluations: K, or 2K − 1 for Heun
  double score = std::numeric_limits<double>::quiet_NaN();     ///< energy distance (2D) or Fréchet distance (images)
  double baseline = std::numeric_limits<double>::quiet_NaN();  ///< 2D: a fitted Gaussian's energy distance; images: NaN
  double seconds = 0;       ///< wall time of the sampling (not the scoring)
  int samples = 0;
};

}  // namespace ddpm::ui

Q_DECLARE_METATYPE(ddpm::ui::BoundResult)
Q_DECLARE_METATYPE(ddpm::ui::QualityRow)
