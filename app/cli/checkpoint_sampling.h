#pragma once

#include "core/checkpoint/checkpoint.h"
#include "core/sampling/reverse_process.h"

#include <CLI/CLI.hpp>

#include <string>

namespace ddpm::cli {

/// The sampler options shared by `sample` and `score`: --sampler, --steps, --eta,
/// --variance, --device, --precision (the seed and n are each command's own).
struct SamplerArguments {
  std::string sampler = "ddpm";
  std::int64_t steps = 0;
  double eta = 0.0;
  std::string variance = "beta";
  std::string device = "auto";
  std::string precision = "fp32";

  void add_to(CLI::App& command);
  /// SamplerOptions for `n` samples with `seed` (clip_x0 left false).
  SamplerOptions options(std::int64_t n, std::uint64_t seed) const;
};

/// The reverse process that samples `checkpoint`'s model: its network on
/// sampler.device, its schedule. Options the checkpoint cannot take (a --steps or
/// --eta out of range for its T) are usage errors (exit 2).
ReverseProcess checkpoint_reverse_process(const CheckpointData& checkpoint, const SamplerOptions& sampler);

/// Takes all remaining steps of `process` with a progress line labelled `label`,
/// calling `on_step` after each. Ctrl-C stops it between steps: prints
/// `ddpm: stopped at step S of K; nothing written` and throws Interrupted (exit 130).
void run_sampler(ReverseProcess& process, const std::string& label, const StepCallback& on_step = {});

/// `sampler.n` 2D samples of a points checkpoint, in the data's own coordinates
/// (float64 [n, 2] on the CPU, denormalised with checkpoint.normalisation).
torch::Tensor sample_points(const CheckpointData& checkpoint, const SamplerOptions& sampler,
                            const std::string& label);

}  // namespace ddpm::cli
