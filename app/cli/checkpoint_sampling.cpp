#include "app/cli/checkpoint_sampling.h"

#include "core/runtime/device.h"

#include "app/cli/cli_support.h"
#include "app/cli/interrupt.h"
#include "app/cli/progress_line.h"
#include "core/util/error.h"

#include <iostream>

namespace ddpm::cli {

void SamplerArguments::add_to(CLI::App& command) {
  command.add_option("--sampler", sampler, "ddpm (Algorithm 2) or ddim (Song et al. 2021)")
      ->check(CLI::IsMember({"ddpm", "ddim"}))
      ->capture_default_str();
  command.add_option("--steps", steps, "DDIM: number of steps K (default: T)");
  command.add_option("--eta", eta, "DDIM: eta in [0, 1] (0: deterministic)")->capture_default_str();
  command.add_option("--variance", variance, "DDPM: sigma_t^2 = beta_t or the posterior's beta~_t")
      ->check(CLI::IsMember({"beta", "posterior"}))
      ->capture_default_str();
  command.add_option("--device", device, "auto, cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
      ->capture_default_str();
  command.add_option("--precision", precision, "fp32 (TF32 on CUDA) or bf16 (autocast, CUDA only)")
      ->check(CLI::IsMember({"fp32", "bf16"}))
      ->capture_default_str();
}

SamplerOptions SamplerArguments::options(std::int64_t n, std::uint64_t seed) const {
  SamplerOptions options;
  options.kind = sampler_kind_from_string(sampler);
  options.steps = steps;
  options.eta = eta;
  options.variance = reverse_variance_from_string(variance);
  options.n = n;
  options.seed = seed;
  options.device = resolve_device(device);
  options.precision = precision;
  return options;
}

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
