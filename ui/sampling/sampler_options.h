#pragma once

#include "ui/sampling/sampling_settings.h"

#include "core/sampling/reverse_process.h"

#include <QString>

class QComboBox;

namespace ddpm::ui {

/// Core's options for the run the Sampling view's settings describe, on the device core
/// picks (resolve_device("auto"): CUDA when there is one, else the CPU). The sampling
/// worker and the branching / reconstruction jobs all build their runs here, so the same
/// settings, device and threads give the same numbers.
/// Steps are spaced as each sampler's paper does (default_spacing). A noise-aware
/// classifier is read from its file here (ddpm::Error when it cannot be).
SamplerOptions toSamplerOptions(const SamplingSettings& settings);

/// The view's sampler as core's, and back.
SamplerKind toSamplerKind(SamplingSettings::Sampler sampler);
SamplingSettings::Sampler toSettingsSampler(SamplerKind kind);
/// "DDPM", "DDIM", "DPM-Solver++(2M)", "Euler", "Heun".
QString samplerName(SamplingSettings::Sampler sampler);
/// Whether the sampler takes K of the T steps (all but DDPM).
bool skipsSteps(SamplingSettings::Sampler sampler);
/// One item per sampler, its data the SamplingSettings::Sampler value, with a tooltip
/// (the Sampling view's and Compare's sampler menus).
void addSamplerItems(QComboBox* combo);
/// "DDIM, 50 steps, η = 0", "DPM-Solver++(2M), 20 steps (40 network evaluations…)":
/// what a run with these settings does, for captions and titles.
QString samplerSummary(const SamplingSettings& settings);

}  // namespace ddpm::ui
