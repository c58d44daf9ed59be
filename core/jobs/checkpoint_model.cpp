#include "core/jobs/checkpoint_model.h"

#include "core/schedule/noise_schedule.h"

namespace ddpm {

ReverseProcess CheckpointModel::reverse_process(const SamplerOptions& options) const {
  return ReverseProcess(model, diffusion, sample_shape, options);
}

torch::Tensor CheckpointModel::to_data_coordinates(const torch::Tensor& samples) const {
  return normalisation.denormalise(samples.to(torch::kCPU, torch::kFloat64));
}

CheckpointModel open_checkpoint_model(const CheckpointData& checkpoint, torch::Device device) {
  GaussianDiffusion diffusion{NoiseSchedule(checkpoint.schedule)};
  Denoiser model = load_denoiser(checkpoint, device);
  return CheckpointModel{std::move(model), std::move(diffusion), checkpoint.sample_shape, checkpoint.normalisation,
                         device};
}

ReverseProcess open_reverse_process(const CheckpointData& checkpoint, const SamplerOptions& options) {
  return open_checkpoint_model(checkpoint, options.device).reverse_process(options);
}

}  // namespace ddpm
