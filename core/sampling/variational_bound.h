#pragma once

#include "core/diffusion/gaussian_diffusion.h"
#include "core/models/denoiser.h"
#include "core/sampling/bound_strata.h"
#include "core/sampling/reverse_variance.h"
#include "core/sampling/run_status.h"

#include <torch/torch.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

namespace ddpm {

/// How p_θ(x_0 | x_1) scores the data in L_0.
enum class DecoderKind {
  Discretized,  ///< images in [−1, 1] with 256 levels: eq. 13, a probability (bits/dim ≥ 0)
  Continuous,   ///< points: the Gaussian density; bits/dim is then differential and may be negative
};

/// Settings of one evaluation of the bound.
struct BoundOptions {
  ReverseVariance variance = ReverseVariance::Beta;  ///< σ_t² of p_θ, as chosen for sampling
  DecoderKind decoder = DecoderKind::Discretized;
  bool clip_x0 = false;       ///< p's mean from x̂_0 clamped to [−1, 1] (images), as the sampler's clip_x0
  std::int64_t terms = 0;     ///< 0 or T: all T terms, the exact sum. 2..T−1: L_0 plus one random t from
                              ///< each of terms − 1 equal strata of 1..T−1, weighted by stratum size (unbiased;
                              ///< bound_strata)
  std::int64_t batch_size = 0;  ///< rows per network call (0: the whole batch at once)
  std::uint64_t seed = 0;     ///< x_t ~ q(x_t | x_0) and the stratified t come from a CPU generator with this seed
  torch::Device device = torch::kCPU;  ///< where the model lives and the terms are computed
};

/// Reported after each term.
struct BoundProgress {
  std::int64_t t = 0;              ///< code index of the term just computed
  double term_bits_per_dim = 0.0;  ///< its value
  std::int64_t done = 0;           ///< terms computed so far
  std::int64_t total = 0;          ///< terms to compute
};
/// Called after each term (on the calling thread).
using BoundCallback = std::function<void(const BoundProgress&)>;

/// The variational bound L = L_T + Σ_{t>1} L_{t−1} + L_0 (Ho et al. 2020, eq. 5) of a batch,
/// in bits per dimension (nats / (D ln 2), D = values per sample), averaged over the batch.
struct VariationalBound {
  RunStatus status = RunStatus::Completed;  ///< Cancelled: the numbers below are incomplete (NaN)
  double bits_per_dim = std::numeric_limits<double>::quiet_NaN();  ///< L, the total (estimate when stratified)
  double prior_bits_per_dim = std::numeric_limits<double>::quiet_NaN();  ///< L_T = KL(q(x_T | x_0) ‖ N(0, I))
  /// One entry per code index t = 0..T−1: [0] is L_0 = −log p_θ(x_0 | x_1); [t] for t ≥ 1 is the
  /// paper's L_t = KL(q(x_t | x_{t+1}, x_0) ‖ p_θ(x_t | x_{t+1})), from ε_θ at code index t.
  /// NaN where a stratified run did not evaluate t.
  std::vector<double> terms_bits_per_dim;
  /// Beside each term: the mean squared error, per value and in the normalised space, of
  /// x̂_0(x_t) (eq. 15, clamped when clip_x0) against x_0, from the same draw of x_t as the
  /// term. [t] for code index t, i.e. the paper's x_{t+1}. NaN where not evaluated. The
  /// distortion of progressive coding (rate_distortion).
  std::vector<double> x0_mse;
  std::vector<std::int64_t> evaluated;  ///< the code indices evaluated, ascending
  std::vector<double> weights;          ///< the weight of each in the sum over t, beside evaluated (stratum_weights)
  std::int64_t dims = 0;                ///< D
};

/// Evaluates the bound for x0 [B, sample_shape…] (float, in the normalised space the model
/// was trained in) with one draw of x_t per sample and term. One network call per term
/// and batch chunk; `cancel` is read before each call, and when it is set the function
/// returns status Cancelled (it does not throw). Throws ddpm::Error for bad options or data
/// (e.g. values outside [−1, 1] for the discretised decoder).
VariationalBound variational_bound(const Denoiser& model, const GaussianDiffusion& diffusion, const torch::Tensor& x0,
                                   const BoundOptions& options = {}, const BoundCallback& progress = {},
                                   const std::atomic<bool>* cancel = nullptr);

/// nats → bits: nats / ln 2.
double nats_to_bits(double nats);

/// nats per sample → bits per dimension: nats / (D ln 2).
double bits_per_dim(double nats_per_sample, std::int64_t dims);

}  // namespace ddpm
