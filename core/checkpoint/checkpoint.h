#pragma once

#include "core/data/data_range.h"
#include "core/data/normalisation.h"
#include "core/models/denoiser.h"
#include "core/schedule/noise_schedule.h"
#include "core/training/train_options.h"

#include <torch/torch.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ddpm {

/// The checkpoint format this build writes, and the newest it reads.
constexpr int kCheckpointFormatVersion = 1;
/// The `format` metadata value that marks a DDPM Studio checkpoint.
constexpr const char* kCheckpointFormatName = "ddpm-studio";

/// Named tensors, e.g. a module's parameters and buffers by their dotted names.
using NamedTensors = std::map<std::string, torch::Tensor>;

/// How the model weights are stored: float32, or half the size as float16/bfloat16
/// (read back as float32). Resume data is always float32.
enum class WeightPrecision { Float32, Float16, BFloat16 };

/// What a training run needs beyond the weights to continue exactly where it stopped.
/// Stored under the `resume.` prefix: `resume.model.<name>` (online weights),
/// `resume.ema.<name>` (full-precision EMA weights, only when the model weights are
/// stored in 16 bits), `resume.adam.<param>.exp_avg` / `.exp_avg_sq`, `resume.rng`
/// (the data/noise generator's state as bytes); the Adam step count is metadata.
struct ResumeState {
  NamedTensors online_weights;   ///< the raw (non-EMA) weights the optimiser updates
  NamedTensors ema_weights;      ///< float32 EMA weights; empty: use CheckpointData::weights
  NamedTensors adam_exp_avg;     ///< Adam's first moment, by parameter name
  NamedTensors adam_exp_avg_sq;  ///< Adam's second moment, by parameter name
  std::int64_t adam_step = 0;    ///< Adam's per-parameter step count
  torch::Tensor rng_state;       ///< uint8 state of the training generator (CPU)

  /// True when the file holds no resume data (e.g. an exported or pretrained model).
  bool empty() const { return online_weights.empty(); }
};

/// A DDPM Studio checkpoint: one .safetensors file whose tensors are the model's EMA
/// weights (the ones to sample with) under their module names, and whose
/// `__metadata__` says how to rebuild everything: model config, schedule, data spec,
/// normalisation, sample shape, training step and options.
struct CheckpointData {
  ModelConfig model;
  ScheduleSpec schedule;
  std::string data_spec;              ///< the data SPEC trained on (text form)
  Normalisation normalisation;        ///< raw data = normalisation.denormalise(sample)
  DataRange data_range;               ///< points: where x̂0 is clipped (normalised); empty for images and older files
  std::vector<std::int64_t> sample_shape;
  std::vector<std::string> class_names;  ///< conditional models: the name of each class 0..K−1 (as the data named them)
  std::int64_t step = 0;              ///< training steps done
  TrainOptions training;              ///< lr, batch, seed, warm-up, clip, EMA decay (device/paths not stored)
  std::string created;                ///< ISO 8601 UTC time of saving; filled in by save_checkpoint when empty
  std::string app_version;            ///< DDPM Studio version that wrote it; filled in when empty
  int format_version = kCheckpointFormatVersion;
  NamedTensors weights;               ///< EMA weights, float32 on the CPU after loading
  ResumeState resume;

  // Filled in by the readers, ignored by save_checkpoint:
  std::string source;                 ///< path read from, for messages
  std::string weights_dtype = "F32";  ///< how the weights were stored ("F32", "F16", "BF16")
  std::int64_t weight_count = 0;      ///< number of scalars in `weights` (also without loading them)
  bool resumable = false;             ///< the file holds resume data (also without loading it)
};


/// Writes `data` to `path` atomically (complete old file or complete new one, never a
/// mix). Fills `created` and `app_version` when empty. Throws ddpm::Error when the
/// data is inconsistent (resume names that do not match the weights, …) or the file
/// cannot be written.
void save_checkpoint(const std::string& path, const CheckpointData& data,
                     WeightPrecision precision = WeightPrecision::Float32);

/// Reads and checks a whole checkpoint: format, version, every metadata field, every
/// tensor. Weights come back as float32 CPU tensors. Throws ddpm::Error with one
/// sentence naming the file (not a checkpoint, truncated, newer format, …).
CheckpointData load_checkpoint(const std::string& path);

/// Same as load_checkpoint but reads only the header: metadata, no tensors (`weights`
/// and `resume` stay empty; weights_dtype and weight_count are filled in). For `ddpm info`.
CheckpointData read_checkpoint_metadata(const std::string& path);

/// The metadata of a checkpoint as a readable JSON document (for `ddpm info`).
std::string checkpoint_metadata_json(const CheckpointData& data);

/// A schedule as checkpoints write it (compact JSON text): files that must match a
/// model's schedule (a noise-aware classifier) keep and compare it.
std::string schedule_json_text(const ScheduleSpec& schedule);

/// The names of a conditional model's classes: the checkpoint's, or "class 0" … when it
/// names none; empty for an unconditional model.
std::vector<std::string> class_names_of(const CheckpointData& data);

/// Rebuilds the network a checkpoint describes (make_denoiser) and loads its EMA
/// weights; returns it on `device` in eval mode. Throws ddpm::Error when any tensor
/// is missing, unexpected or wrong-shaped.
Denoiser load_denoiser(const CheckpointData& data, torch::Device device = torch::kCPU);

/// Copies `weights` into `module`'s parameters and buffers. Checks every name, shape
/// and value first (missing, unexpected, wrong-shaped or non-finite tensors → one
/// ddpm::Error naming them, mentioning `source`); on error the module is untouched.
void load_weights(torch::nn::Module& module, const NamedTensors& weights, const std::string& source);

/// A module's parameters and buffers by name, as float32 CPU copies.
NamedTensors named_weights(const torch::nn::Module& module);

}  // namespace ddpm
