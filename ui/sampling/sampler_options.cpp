#include "core/runtime/device.h"
#include "core/sampling/reverse_process.h"

#include "ui/sampling/sampler_options.h"

namespace ddpm::ui {

SamplerOptions toSamplerOptions(const SamplingSettings& settings) {
  const bool ddim = settings.sampler == SamplingSettings::Sampler::DDIM;
  SamplerOptions options;
  options.kind = ddim ? SamplerKind::DDIM : SamplerKind::DDPM;
  options.steps = ddim ? settings.steps : 0;
  options.eta = settings.eta;
  options.variance = settings.posteriorVariance ? ReverseVariance::Posterior : ReverseVariance::Beta;
  options.clip_x0 = settings.clipX0;
  options.n = settings.samples;
  options.seed = settings.seed;
  options.device = resolve_device("auto");
  return options;
}

}  // namespace ddpm::ui
