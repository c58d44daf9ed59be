#pragma once

#include "ui/sampling/sampling_settings.h"

namespace ddpm {
struct SamplerOptions;
}

namespace ddpm::ui {

/// Core's options for the run the Sampling view's settings describe, on the device core
/// picks (resolve_device("auto"): CUDA when there is one, else the CPU). The sampling
/// worker and the branching / reconstruction jobs all build their runs here, so the same
/// settings, device and threads give the same numbers.
SamplerOptions toSamplerOptions(const SamplingSettings& settings);

}  // namespace ddpm::ui
