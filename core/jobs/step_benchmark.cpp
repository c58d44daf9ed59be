#include "core/jobs/step_benchmark.h"

#include "core/data/dataset.h"
#include "core/diffusion/gaussian_diffusion.h"
#include "core/runtime/device.h"
#include "core/sampling/reverse_process.h"
#include "core/training/trainer.h"
#include "core/util/error.h"

#include <torch/torch.h>

#include <chrono>
#include <ctime>
#include <memory>

namespace ddpm {

namespace {

using Clock = std::chrono::steady_clock;

void synchronize(torch::Device device) {
  // A step's CUDA kernels may still be queued when it returns; the per-step .item() of the
  // trainer syncs already, the sampler does not, so wait for the device before reading the clock.
  if (device.is_cuda()) torch::randn({1}, torch::TensorOptions().device(device)).cpu();
}

/// In-memory data of the right shape: the step's cost does not depend on the values.
Dataset synthetic_data(const BenchCase& c) {
  Dataset data;
  data.spec = parse_data_spec(c.sample_shape.size() == 1 ? "gaussians8" : "fashion-mnist");
  data.kind = c.sample_shape.size() == 1 ? DataKind::Points2D : DataKind::Images;
  std::vector<std::int64_t> shape = {4096};
  shape.insert(shape.end(), c.sample_shape.begin(), c.sample_shape.end());
  data.x = torch::randn(shape).clamp_(-1.0, 1.0);
  return data;
}

}  // namespace

std::vector<BenchCase> bench_cases() {
  const std::vector<std::int64_t> points = {2}, fashion = {1, 28, 28}, cifar = {3, 32, 32};
  std::vector<BenchCase> cases;
  for (const char* kind : {"train", "sample"}) {
    cases.push_back({kind, "mlp", 256, points});
    cases.push_back({kind, "unet-tiny", 64, fashion});
    cases.push_back({kind, "unet-tiny", 128, fashion});
  }
  // The paper's CIFAR-10 network at the paper's batch (training) and 256 samples (its
  // sampling figure): GPU-sized, so run only on CUDA, or when --case names unet-paper.
  cases.push_back({"train", "unet-paper", 128, cifar});
  cases.push_back({"sample", "unet-paper", 256, cifar});
  return cases;
}

bool gpu_sized(const BenchCase& c) { return c.model == "unet-paper"; }

StepTimes time_training(const BenchCase& c, const ModelConfig& config, const BenchSettings& settings) {
  const BenchLimits& limits = settings.limits;
  TrainOptions options;
  options.batch_size = c.batch;
  options.device = settings.device;
  options.precision = settings.precision;
  options.save_resume_state = false;
  Trainer trainer(synthetic_data(c), config, ScheduleSpec{}, options);
  trainer.run(limits.warmup);
  StepTimes times;
  const auto cpu_start = std::clock();
  auto last = Clock::now();
  while (!times.enough(limits)) {
    const auto result = trainer.run(1);  // the trainer's .item() on the loss syncs the device
    if (result.status != TrainStatus::Finished) throw Error("benchmark training step failed: " + result.message);
    const auto now = Clock::now();
    times.seconds.push_back(std::chrono::duration<double>(now - last).count());
    last = now;
  }
  times.cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  return times;
}

StepTimes time_sampling(const BenchCase& c, const ModelConfig& config, const BenchSettings& settings,
                        double* run_seconds) {
  const BenchLimits& limits = settings.limits;
  const auto device = resolve_device(settings.device);
  torch::manual_seed(0);
  auto model = make_denoiser(config);
  model->to(device);
  const GaussianDiffusion diffusion(NoiseSchedule(ScheduleSpec{}), device);
  SamplerOptions options;
  options.n = c.batch;
  options.device = device;
  options.clip_x0 = c.sample_shape.size() == 3;  // as `ddpm sample` does for images
  options.precision = settings.precision;
  auto process = std::make_unique<ReverseProcess>(model, diffusion, c.sample_shape, options);
  const auto step = [&] {
    if (process->done()) process = std::make_unique<ReverseProcess>(model, diffusion, c.sample_shape, options);
    process->step();
  };
  for (std::int64_t i = 0; i < limits.warmup; ++i) step();
  synchronize(device);
  StepTimes times;
  const auto cpu_start = std::clock();
  auto last = Clock::now();
  while (!times.enough(limits)) {
    step();
    synchronize(device);
    const auto now = Clock::now();
    times.seconds.push_back(std::chrono::duration<double>(now - last).count());
    last = now;
  }
  times.cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  if (limits.full_run && run_seconds) {
    ReverseProcess run(model, diffusion, c.sample_shape, options);
    synchronize(device);
    const auto start = Clock::now();
    while (!run.done()) run.step();
    synchronize(device);
    *run_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  }
  return times;
}

}  // namespace ddpm
