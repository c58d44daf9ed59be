#pragma once

#include "ui/sampling/trajectory_frame.h"

#include <QMetaType>
#include <QtGlobal>

#include <vector>

namespace ddpm::ui {

/// What a person chooses for a noise-space interpolation: two seeds whose x_T are the
/// ends, how many evenly spaced λ in [0, 1], and the sampler that turns each x_T(λ) into
/// x_0 (DDIM with η = 0, deterministic, or DDPM with the same z at every λ).
struct SlerpSettings {
  quint64 seedA = 1;
  quint64 seedB = 2;
  int count = 9;          ///< k values λ_j = j / (k − 1), j = 0..k−1 (k ≥ 2)
  int samples = 1;        ///< N: x_T of seed A and of seed B hold N samples each, slerped as one flat vector
  bool ddpm = false;      ///< DDPM (all T steps, shared z) instead of DDIM with η = 0
  int steps = 20;         ///< DDIM's K
  bool clipX0 = false;    ///< clamp x̂0 to [−1, 1] (images)
};

/// The result: x_0 for each λ, in the diffusion's normalised space (images in [−1, 1],
/// 2D points standardised), plus the angle between the two x_T.
struct SlerpStrip {
  TrajectoryLayout layout;      ///< kind, N (count) and the sample shape; no timesteps
  std::vector<double> lambdas;  ///< k values
  std::vector<float> samples;   ///< k × N × values per sample, λ-major
  double thetaDegrees = 0;      ///< the angle θ between the two x_T (flattened)
  double normA = 0, normMid = 0, normLine = 0;  ///< ‖x_T‖ per sample (mean over N) of A, of the slerp midpoint, of the straight-line midpoint

  bool isEmpty() const { return lambdas.empty(); }
  int count() const { return static_cast<int>(lambdas.size()); }
  /// The first value of sample i at λ_j.
  const float* sample(int j, int i) const {
    return samples.data() + (static_cast<std::size_t>(j) * layout.count + i) * layout.valuesPerSample();
  }
};

}  // namespace ddpm::ui

Q_DECLARE_METATYPE(ddpm::ui::SlerpStrip)
