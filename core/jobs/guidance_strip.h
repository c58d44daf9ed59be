#pragma once

#include "core/jobs/checkpoint_model.h"
#include "core/sampling/reverse_process.h"
#include "core/sampling/run_status.h"

#include <torch/torch.h>

#include <atomic>
#include <string>
#include <vector>

namespace ddpm {

/// The lesson of guidance: the same seed (the same x_T and the same noise at every step)
/// sampled at several strengths, side by side. With classifier-free guidance each strength
/// is the weight w of sampler.guidance; with classifier guidance it is the scale s of
/// sampler.classifier. Only the strength changes between the runs.
struct GuidanceStripOptions {
  SamplerOptions sampler;                        ///< the class, the sampler, n and the seed
  std::vector<double> strengths = {0, 1, 3, 7};  ///< w or s of each column, in order
};

struct GuidanceStrip {
  RunStatus status = RunStatus::Completed;  ///< Cancelled: samples incomplete
  std::vector<torch::Tensor> samples;       ///< per strength: [n, sample_shape…] on the CPU, normalised space
  std::string strength_name;                ///< "w" (classifier-free) or "s" (classifier guidance)
};

/// `sampler` with its guidance strength set to `strength`: the scale s of classifier
/// guidance when it has a classifier, else the classifier-free weight w.
SamplerOptions at_strength(SamplerOptions sampler, double strength);

/// Runs the strip. Throws ddpm::Error when the options name no class (neither guidance),
/// there is no strength, or a strength is one the guidance refuses (negative, too large).
GuidanceStrip guidance_strip(const CheckpointModel& model, const GuidanceStripOptions& options,
                             const StepCallback& on_step = {}, const std::atomic<bool>* cancel = nullptr);

}  // namespace ddpm
