#pragma once

#include "ui/sampling/sampling_settings.h"

#include "core/sampling/reverse_process.h"

namespace ddpm::ui {

/// Core's options for the run the Sampling view's settings describe, on `device`. The
/// sampling worker and the branching / reconstruction jobs both build their runs here, so
/// the same settings, device and threads give the same numbers.
SamplerOptions toSamplerOptions(const SamplingSettings& settings, torch::Device device);

}  // namespace ddpm::ui
