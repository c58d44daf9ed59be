#pragma once

#include <QString>
#include <QtGlobal>

class QSettings;

namespace ddpm::ui {

/// What a person chooses for one sampling run in the Sampling view; plain values (the
/// worker turns them into core's SamplerOptions).
struct SamplingSettings {
  /// Core's SamplerKind, one for one (sampler_options.h converts): DDPM, DDIM, then the
  /// probability-flow ODE solvers DPM-Solver++(2M), Euler and Heun.
  enum class Sampler { DDPM, DDIM, DPMSolverPP, Euler, Heun };

  Sampler sampler = Sampler::DDPM;
  int steps = 0;                   ///< all but DDPM: K in 1..T (0: T). DDPM always takes all T steps
  double eta = 0.0;                ///< DDIM: η in [0, 1] (0: deterministic)
  bool posteriorVariance = false;  ///< DDPM: σ_t² = β̃_t instead of β_t
  bool clipX0 = false;             ///< clamp x̂0 to [−1, 1] and take the step's mean from it
  quint64 seed = 0;                ///< x_T and every z come from one generator with this seed
  int samples = 16;                ///< N, drawn together
  int classLabel = -1;             ///< class-conditional models: the class of every sample (−1: none)
  double guidance = 0.0;           ///< with a class: classifier-free guidance w ≥ 0
  QString noisyClassifier;         ///< unconditional models: classifier guidance by this file (empty: none)
  int classifierClass = -1;        ///< with a classifier: the class y it steers towards
  double classifierScale = 0.0;    ///< with a classifier: the scale s ≥ 0
  bool bf16 = false;               ///< the network under bf16 autocast (CUDA, or a CPU with AVX512_BF16)
};

/// Writes the sampler choice (sampler, steps, η, variance, seed, guidance w, precision) into the current group of
/// `settings`, as the views keep it between sessions.
void writeSamplerChoice(QSettings& settings, const SamplingSettings& s);
/// Reads what writeSamplerChoice wrote over `s`: keys that are missing keep s's values,
/// and values out of range are brought into it (η into [0, 1], steps ≥ 0, w ≥ 0). The
/// class belongs to a model, so it is not kept.
SamplingSettings readSamplerChoice(const QSettings& settings, SamplingSettings s);

}  // namespace ddpm::ui
