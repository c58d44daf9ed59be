#pragma once

#include "ui/sampling/sampling_settings.h"

#include <QString>

namespace ddpm {
class NoiseSchedule;
}

namespace ddpm::ui {

class TrajectoryStore;

/// Rich text for the formula panel at frame `frame` of a recorded run: x_T ~ N(0, I) at
/// frame 0; afterwards the step that made the frame with this schedule's numbers filled
/// in: DDPM's Algorithm 2 with μ_θ from eq. 11 (and the posterior mean of eq. 7 when x̂0
/// is clipped), or DDIM's eq. 12 from t to the next index s. Without frames or a
/// schedule, the general reverse step. With a class, a line on the ε it used: ε_θ(xₜ, c), or
/// classifier-free guidance's mix with this run's weights and how far apart the two were.
QString samplingFormulaHtml(const TrajectoryStore& store, int frame, const SamplingSettings& settings,
                            const NoiseSchedule* schedule);

}  // namespace ddpm::ui
