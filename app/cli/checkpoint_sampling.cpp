#include "cli/checkpoint_sampling.h"

#include "cli/cli_support.h"
#include "cli/interrupt.h"
#include "cli/progress_line.h"
#include "util/error.h"

#include <iostream>

namespace ddpm::cli {

ReverseProcess checkpoint_reverse_process(const CheckpointData& checkpoint, const SamplerOptions& sampler) {
  const GaussianDiffusion diffusion{NoiseSchedule(checkpoint.schedule)};
  Denoiser model = load_denoiser(checkpoint, sampler.device);
  try {
    return ReverseProcess(model, diffusion, checkpoint.sample_shape, sampler);
  } catch (const Error& e) {
    throw UsageError(e.what());  // bad --steps / --eta for this checkpoint
  }
}

void run_sampler(ReverseProcess& process, const std::string& label, const StepCallback& on_step) {
  ProgressLine progress(label, process.total_steps());
  const RunStatus status = run_to_end(
      process,
      [&](const ReverseProcess& p) {
        if (on_step) on_step(p);
        progress.update(p.steps_taken(), "t = " + std::to_string(p.t()));
      },
      &interrupt_flag());
  progress.finish();
  if (status == RunStatus::Cancelled) {
    std::cerr << "ddpm: stopped at step " << process.steps_taken() << " of " << process.total_steps()
              << "; nothing written\n";
    throw Interrupted();
  }
}

torch::Tensor sample_points(const CheckpointData& checkpoint, const SamplerOptions& sampler, const std::string& label) {
  ReverseProcess process = checkpoint_reverse_process(checkpoint, sampler);
  run_sampler(process, label);
  return checkpoint.normalisation.denormalise(process.sample().to(torch::kCPU, torch::kFloat64));
}

}  // namespace ddpm::cli
