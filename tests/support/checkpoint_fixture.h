#pragma once
// The checkpoint kept in tests/data/checkpoint_v1_mlp.safetensors, described in code:
// a tiny 2-D MLP (hidden 8, one block) whose every value follows a formula, so a test
// can check a file written by an older build value by value, and the fuzz tests can
// start from a real checkpoint. Include after the core headers (torch first).

#include "core/checkpoint/checkpoint.h"
#include "core/models/denoiser.h"
#include "core/runtime/random.h"

#include <torch/torch.h>

#include <cmath>
#include <string>

namespace ddpm::test {

/// File names of the fixtures under DDPM_TEST_DATA_DIR.
inline const char* kCheckpointV1Fixture = "checkpoint_v1_mlp.safetensors";
inline const char* kCheckpointNewerFixture = "checkpoint_v2_newer_format.safetensors";

/// The fixture's model: the mlp preset for points, shrunk to 8 wide and one block.
inline ModelConfig fixture_model_config() {
  ModelConfig config = model_preset("mlp", {2});
  config.hidden = 8;
  config.blocks = 1;
  config.time_embedding_dim = 8;
  return config;
}

/// Value `i` (row-major) of the `k`-th tensor (in name order) of kind `kind`
/// (0 weights, 1 online weights, 2 Adam exp_avg, 3 Adam exp_avg_sq): multiples of
/// 1/64 (exact in float32 and float16), never NaN, exp_avg_sq positive.
inline float fixture_value(int kind, std::int64_t k, std::int64_t i) {
  const double v = static_cast<double>((i * 7 + k * 13 + kind * 5) % 41 - 20) / 64.0;
  return static_cast<float>(kind == 3 ? v * v + 1.0 / 64.0 : v);
}

/// Tensors shaped like `shapes`, filled with fixture_value(kind, …).
inline NamedTensors fixture_tensors(const NamedTensors& shapes, int kind) {
  NamedTensors out;
  std::int64_t k = 0;
  for (const auto& [name, like] : shapes) {
    torch::Tensor t = torch::empty(like.sizes(), torch::kFloat32);
    float* p = t.data_ptr<float>();
    for (std::int64_t i = 0; i < t.numel(); ++i) p[i] = fixture_value(kind, k, i);
    out.emplace(name, t);
    ++k;
  }
  return out;
}

/// The whole fixture checkpoint (format version 1, with resume data).
inline CheckpointData fixture_checkpoint() {
  CheckpointData d;
  d.model = fixture_model_config();
  d.schedule.kind = ScheduleKind::Linear;
  d.schedule.steps = 100;
  d.schedule.beta_start = 1e-3;
  d.schedule.beta_end = 0.1;
  d.data_spec = "moons";
  d.normalisation.offset = {0.5, 0.25};
  d.normalisation.scale = {0.875, 0.5};
  d.sample_shape = {2};
  d.step = 120;
  d.training.learning_rate = 1e-3;
  d.training.batch_size = 64;
  d.training.seed = 7;
  d.training.warmup_steps = 10;
  d.training.grad_clip = 1.0;
  d.training.ema_decay = 0.99;
  d.created = "2026-11-25T12:00:00Z";
  d.app_version = "0.1.0";
  const NamedTensors shapes = named_weights(*make_denoiser(d.model));
  d.weights = fixture_tensors(shapes, 0);
  d.resume.online_weights = fixture_tensors(shapes, 1);
  d.resume.adam_exp_avg = fixture_tensors(shapes, 2);
  d.resume.adam_exp_avg_sq = fixture_tensors(shapes, 3);
  d.resume.adam_step = 120;
  d.resume.rng_state = make_generator(7).get_state();
  return d;
}

}  // namespace ddpm::test
