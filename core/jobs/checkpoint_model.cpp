#include "core/jobs/checkpoint_model.h"

#include "core/data/dataset.h"
#include "core/schedule/noise_schedule.h"
#include "core/util/error.h"

namespace ddpm {

ReverseProcess CheckpointModel::reverse_process(const SamplerOptions& options) const {
  if (!options.x0_range.empty() || x0_range.empty()) return ReverseProcess(model, diffusion, sample_shape, options);
  SamplerOptions clipped = options;
  clipped.x0_range = x0_range;
  return ReverseProcess(model, diffusion, sample_shape, clipped);
}

DataRange checkpoint_x0_range(const CheckpointData& checkpoint) {
  if (!checkpoint.data_range.empty() || checkpoint.sample_shape.size() != 1) return checkpoint.data_range;
  DataSpec spec;
  try {
    spec = parse_data_spec(checkpoint.data_spec);
  } catch (const Error&) {
    return {};
  }
  if (!spec.is_toy_2d()) return {};
  const Dataset data = load_dataset(spec);
  const torch::Tensor raw = data.normalisation.denormalise(data.x.to(torch::kFloat64));
  return DataRange::of_points(checkpoint.normalisation.normalise(raw), kPointRangeMargin);
}

torch::Tensor CheckpointModel::to_data_coordinates(const torch::Tensor& samples) const {
  return normalisation.denormalise(samples.to(torch::kCPU, torch::kFloat64));
}

CheckpointModel open_checkpoint_model(const CheckpointData& checkpoint, torch::Device device) {
  GaussianDiffusion diffusion{NoiseSchedule(checkpoint.schedule)};
  Denoiser model = load_denoiser(checkpoint, device);
  return CheckpointModel{std::move(model),          std::move(diffusion), checkpoint.sample_shape,
                         checkpoint.normalisation, device,               checkpoint_x0_range(checkpoint)};
}

ReverseProcess open_reverse_process(const CheckpointData& checkpoint, const SamplerOptions& options) {
  return open_checkpoint_model(checkpoint, options.device).reverse_process(options);
}

}  // namespace ddpm
