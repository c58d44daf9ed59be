#pragma once

#include "core/data/normalisation.h"

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace ddpm {

/// What a sample is: a point in the plane or an image.
enum class DataKind { Points2D, Images };

/// Which part of a data source to load.
enum class Split { Train, Test };

/// A parsed data SPEC: `fashion-mnist | swissroll | moons | gaussians8 | circles |
/// csv:PATH | images:DIR`.
struct DataSpec {
  std::string source;  ///< "fashion-mnist", "swissroll", …, "csv", "images"
  std::string path;    ///< for csv: and images:
  std::string text() const;  ///< back to SPEC form
  bool is_toy_2d() const;
};

/// Parses SPEC; throws ddpm::Error listing the valid forms.
DataSpec parse_data_spec(const std::string& spec);

/// Options every source may use; each ignores what does not apply to it.
struct DataOptions {
  Split split = Split::Train;
  std::string data_dir;          ///< Fashion-MNIST folder; empty: $DDPM_FASHION_MNIST_DIR or the Debian package's
  std::int64_t limit = 0;        ///< keep at most this many samples (0: all)
  std::int64_t toy_points = 10000;  ///< size of a generated 2D set
  std::uint64_t seed = 0;        ///< generated sets: the test split uses a different stream
  std::int64_t image_size = 28;  ///< images:DIR are resized to image_size²
  std::int64_t image_channels = 1;  ///< images:DIR: 1 (grayscale) or 3 (RGB)
};

/// A loaded data set, already in the normalised space where the diffusion acts.
struct Dataset {
  DataSpec spec;
  DataKind kind = DataKind::Points2D;
  torch::Tensor x;       ///< float32, [N, 2] or [N, C, H, W], normalised
  torch::Tensor labels;  ///< int64 [N] in 0..classes() − 1, or undefined when the source has none
  Normalisation normalisation;  ///< raw = normalisation.denormalise(x)
  std::vector<std::string> class_names;  ///< label names, when labels exist: one per class

  /// Number of classes: class_names' size (0 for unlabelled data).
  std::int64_t classes() const { return static_cast<std::int64_t>(class_names.size()); }

  std::int64_t size() const { return x.defined() ? x.size(0) : 0; }
  /// Shape of one sample: {2} or {C, H, W}.
  std::vector<std::int64_t> sample_shape() const;
};

/// Throws ddpm::Error saying which sources have labels when `data` has none: the data
/// of a class-conditional model.
void require_labels(const Dataset& data);

/// The samples of class `label` alone (labels and names kept). Throws ddpm::Error when
/// `data` has no labels or no sample of that class.
Dataset only_class(const Dataset& data, std::int64_t label);

/// Loads any SPEC; throws ddpm::Error with a message that says what to do.
Dataset load_dataset(const std::string& spec, const DataOptions& options = {});
Dataset load_dataset(const DataSpec& spec, const DataOptions& options = {});

}  // namespace ddpm
