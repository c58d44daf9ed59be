#include "core/jobs/guidance_strip.h"

#include "core/util/error.h"

namespace ddpm {

SamplerOptions at_strength(SamplerOptions sampler, double strength) {
  (sampler.classifier.active() ? sampler.classifier.scale : sampler.guidance.weight) = strength;
  return sampler;
}

GuidanceStrip guidance_strip(const CheckpointModel& model, const GuidanceStripOptions& options,
                             const StepCallback& on_step, const std::atomic<bool>* cancel) {
  const bool by_classifier = options.sampler.classifier.active();
  if (!by_classifier && !options.sampler.guidance.has_class())
    throw Error("a guidance strip needs a class to steer towards: a conditional model's class, or a noise-aware "
                "classifier and its class");
  if (options.strengths.empty()) throw Error("a guidance strip needs at least one strength");
  GuidanceStrip strip;
  strip.strength_name = by_classifier ? "s" : "w";
  for (const double strength : options.strengths) {
    ReverseProcess process = model.reverse_process(at_strength(options.sampler, strength));  // validates the strength
    if (run_to_end(process, on_step, cancel) == RunStatus::Cancelled) {
      strip.status = RunStatus::Cancelled;
      return strip;
    }
    strip.samples.push_back(process.sample().to(torch::kCPU));
  }
  return strip;
}

}  // namespace ddpm
