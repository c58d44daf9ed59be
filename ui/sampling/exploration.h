#pragma once

#include "ui/sampling/sample_grid.h"
#include "ui/sampling/sampling_settings.h"

#include <QString>

#include <atomic>
#include <vector>

namespace ddpm {
struct CheckpointData;
}

namespace ddpm::ui {

/// Branching: what of the sample is already decided at a paused step? The run that
/// `settings` describe is re-run deterministically (same seed, same device and threads as
/// SamplingWorker) up to `frame` k, which gives the exact float x_t of that frame (the
/// trajectory keeps images only as 8-bit levels). From there the trunk goes on with its
/// own noise, and each of `branches` branches goes on with ReverseProcess::continue_from
/// (x_t, t, branchSeed + b), t = the run's index after step k. Images: one row per sample
/// (the first `maxRows`), columns x_t | trunk's x_0 | branch 1 … ; points: one row, each
/// cell the whole cloud. Throws ddpm::Error for a frame without a next step; returns an
/// empty grid when `cancel` became true.
SampleGrid computeBranches(const CheckpointData& checkpoint, const SamplingSettings& settings, int frame,
                           int branches, quint64 branchSeed, int maxRows = 6,
                           const std::atomic<bool>* cancel = nullptr);

/// Where the real x_0 of a reconstruction comes from.
struct ReconstructionSource {
  enum class Kind { FashionMnistTest, ImageFile, DataPoints };
  Kind kind = Kind::FashionMnistTest;
  int index = 0;      ///< Fashion-MNIST test image number, 0 … 9,999
  QString path;       ///< ImageFile: any picture (resized to the model's sample shape)
  int points = 400;   ///< DataPoints: how many points of the model's 2D data set (its test split)
  quint64 seed = 0;   ///< DataPoints: the draw of the generated set
};

/// x_0 of `source` in the model's normalised space, flattened: one image C × H × W, or
/// N × 2 points. Throws ddpm::Error when the source does not fit the model.
std::vector<float> reconstructionOriginal(const CheckpointData& checkpoint, const ReconstructionSource& source);

/// The x_t-conditioned reconstruction of the paper's Fig. 7: for each t of `ts`, x_0 is
/// noised to x_t ~ q(x_t | x_0) (eq. 4, noise from seed + column) and denoised back with the
/// settings' sampler through ReverseProcess::continue_from(x_t, t, seed + column). One row
/// per t; columns x_0 | x_t (first draw) | draw 1 … `draws`. `x0` holds one image or N
/// points (see reconstructionOriginal). Empty grid when cancelled.
SampleGrid computeReconstruction(const CheckpointData& checkpoint, const SamplingSettings& settings,
                                 const std::vector<float>& x0, const std::vector<int>& ts, int draws, quint64 seed,
                                 const std::atomic<bool>* cancel = nullptr);

/// Figs. 8–9 of the paper for an image model: its test images `first` and `second`, each
/// noised to the paper's t (0..T, 0: no noise), mixed (1 − λ) x_t + λ x'_t for `lambdas`
/// values of λ from 0 to 1 and denoised with the settings' sampler (core's
/// interpolation_figure, whose noise is shared by every λ). One row: x_0 | λ = 0 … 1 | x'_0.
/// Throws ddpm::Error for a 2D model, image numbers or t out of range, fewer than 2 λ; an
/// empty grid when cancelled.
SampleGrid computeInterpolation(const CheckpointData& checkpoint, const SamplingSettings& settings, int first,
                                int second, int t, int lambdas, const std::atomic<bool>* cancel = nullptr);

/// Guidance's lesson: the run the settings describe (same seed, same x_T and noise) at each
/// strength of `strengths`: the classifier-free weight w of the settings' class, or the
/// scale s of their noise-aware classifier (core's guidance_strip). Images: one row per
/// sample (the first `maxRows`), one column per strength; points: one cloud per strength.
/// Throws ddpm::Error when the settings choose no class; an empty grid when cancelled.
SampleGrid computeGuidanceStrip(const CheckpointData& checkpoint, const SamplingSettings& settings,
                                const std::vector<double>& strengths, int maxRows = 6,
                                const std::atomic<bool>* cancel = nullptr);

/// Fig. 6 of the paper for an image model: the run the settings describe, with x̂₀ (eq. 15)
/// taken every T/`snapshots` steps and the sample last (core's ProgressiveFigure). One row
/// per sample (the first `maxRows`), columns t = T, T − T/s, …, T/s, then x₀. Throws
/// ddpm::Error for a 2D model; an empty grid when cancelled.
SampleGrid computeProgressive(const CheckpointData& checkpoint, const SamplingSettings& settings, int snapshots = 10,
                              int maxRows = 6, const std::atomic<bool>* cancel = nullptr);

/// Fig. 7 of the paper for an image model: one chain from the settings' seed stopped at
/// each of `levels` (paper t), and `continuations` runs to x₀ from each stop (core's
/// shared_latent_figure). One row per level: xₜ | continuation 1 … Throws ddpm::Error for
/// a 2D model; an empty grid when cancelled.
SampleGrid computeSharedLatent(const CheckpointData& checkpoint, const SamplingSettings& settings,
                               const std::vector<std::int64_t>& levels, int continuations,
                               const std::atomic<bool>* cancel = nullptr);

/// The default rows of a reconstruction for a schedule of T steps: 100, 250, 500, 750,
/// T − 1 for T = 1000, scaled for others.
std::vector<int> reconstructionTimesteps(int T);

}  // namespace ddpm::ui
