#pragma once

#include "core/checkpoint/checkpoint.h"
#include "core/data/normalisation.h"
#include "core/models/noisy_classifier.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ddpm {

/// The noise-aware classifier file format this build writes, and the newest it reads.
constexpr int kNoisyClassifierFormatVersion = 1;
/// The `format` metadata value that marks a noise-aware classifier file.
constexpr const char* kNoisyClassifierFormatName = "ddpm-studio-noisy-classifier";

/// What a noise-aware classifier file says beside its weights: its shape, its classes, and
/// the space it classifies in: the schedule and the data coordinates of the diffusion
/// model it was trained for. It guides any model with the same three.
struct NoisyClassifierInfo {
  NoisyClassifierOptions shape;
  std::vector<std::string> class_names;  ///< one per class
  std::string schedule;                  ///< the schedule of q(x_t | x_0), as schedule_json_text writes it
  Normalisation normalisation;           ///< the data's coordinates (raw = denormalise(x))
  std::string data;                      ///< the data SPEC trained on
  std::string trained_for;               ///< the checkpoint whose schedule and coordinates it took (name or path)
  /// Test accuracy at code index t, for the t the training reported (accuracy_timesteps).
  std::vector<std::pair<std::int64_t, double>> accuracy_by_t;
  std::int64_t epochs = 0;
  std::uint64_t seed = 0;
  std::int64_t train_samples = 0;
  std::string created;       ///< ISO 8601 UTC; filled in by save_noisy_classifier when empty
  std::string app_version;   ///< filled in by save_noisy_classifier when empty
  std::string source;        ///< path read from (set by the readers)
};

/// A noise-aware classifier read from a file: the network (CPU, eval mode) and its description.
struct LoadedNoisyClassifier {
  NoisyClassifier model{nullptr};
  NoisyClassifierInfo info;
};

/// Writes the weights (float32) and `info` as one .safetensors file (metadata `format` =
/// ddpm-studio-noisy-classifier), atomically. Throws ddpm::Error.
void save_noisy_classifier(const std::string& path, NoisyClassifierImpl& model, const NoisyClassifierInfo& info);

/// Reads a noise-aware classifier file. A missing, truncated or corrupt file, a file of
/// another kind, a newer format or weights that do not fit the stated shape give one
/// ddpm::Error naming the file; nothing is half-loaded.
LoadedNoisyClassifier load_noisy_classifier(const std::string& path);

/// Reads only the header (no weights); errors as load_noisy_classifier.
NoisyClassifierInfo read_noisy_classifier_info(const std::string& path);

/// True when `path` is a readable safetensors file marked as a noise-aware classifier (never throws).
bool is_noisy_classifier_file(const std::string& path);

/// The metadata as JSON text, for `ddpm info`.
std::string noisy_classifier_info_json(const NoisyClassifierInfo& info);

/// Throws ddpm::Error, naming what differs, unless the classifier classifies in the space
/// `model` samples in: the same sample shape, schedule and data coordinates.
void check_classifier_fits(const NoisyClassifierInfo& classifier, const CheckpointData& model);

}  // namespace ddpm
