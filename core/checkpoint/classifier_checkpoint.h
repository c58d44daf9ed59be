#pragma once

#include "core/models/fmnist_classifier.h"

#include <cstdint>
#include <string>

namespace ddpm {

/// The classifier file format this build writes, and the newest it reads.
constexpr int kClassifierFormatVersion = 1;
/// The `format` metadata value that marks a DDPM Studio classifier file.
constexpr const char* kClassifierFormatName = "ddpm-studio-classifier";

/// What a classifier file says about its network beside the weights.
struct ClassifierInfo {
  FmnistClassifierOptions shape;
  double test_accuracy = -1;       ///< on the Fashion-MNIST test set; < 0: not measured
  std::int64_t epochs = 0;
  std::uint64_t seed = 0;
  std::int64_t train_images = 0;   ///< images trained on
  std::string data = "fashion-mnist";
  std::string created;             ///< ISO 8601 UTC; filled in by save_classifier when empty
  std::string app_version;         ///< filled in by save_classifier when empty
  std::string source;              ///< path read from (set by load_classifier)
};

/// A classifier read from a file: the network (CPU, eval mode) and its description.
struct LoadedClassifier {
  FmnistClassifier model{nullptr};
  ClassifierInfo info;
};

/// Writes the classifier's weights (float32) and `info` as one .safetensors file
/// (metadata `format` = ddpm-studio-classifier), atomically. Throws ddpm::Error.
void save_classifier(const std::string& path, FmnistClassifierImpl& model, const ClassifierInfo& info);

/// Reads a classifier file. A missing, truncated or corrupt file, a file of another
/// kind (e.g. a diffusion checkpoint), a newer format or weights that do not fit the
/// stated shape give one ddpm::Error naming the file; nothing is half-loaded.
LoadedClassifier load_classifier(const std::string& path);

/// Reads only the header of a classifier file (no weights); errors as load_classifier.
ClassifierInfo read_classifier_info(const std::string& path);

/// True when `path` is a readable safetensors file whose metadata marks a classifier
/// (never throws).
bool is_classifier_file(const std::string& path);

/// The metadata of a classifier file as JSON text (header only), for listings.
std::string classifier_info_json(const ClassifierInfo& info);

}  // namespace ddpm
