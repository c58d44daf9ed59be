#pragma once

#include "core/data/dataset.h"

#include <torch/torch.h>

#include <string>
#include <vector>

namespace ddpm {

/// Where the Debian package dataset-fashion-mnist installs the data.
constexpr const char* kFashionMnistPackageDir = "/usr/share/datasets/fashion-mnist";

/// Fashion-MNIST as read from its IDX files: raw pixels and labels.
struct FashionMnist {
  torch::Tensor images;  ///< uint8 [N, 1, 28, 28], pixel values 0..255
  torch::Tensor labels;  ///< int64 [N], 0..9
};

/// The folder used when `data_dir` is empty: $DDPM_FASHION_MNIST_DIR, else the package's.
std::string fashion_mnist_dir(const std::string& data_dir = {});

/// Reads the train (60,000) or test (10,000) split from `data_dir` (see fashion_mnist_dir).
/// A missing folder or file names the Debian package to install.
FashionMnist read_fashion_mnist(const std::string& data_dir, Split split);

/// "T-shirt/top", "Trouser", … in label order.
const std::vector<std::string>& fashion_mnist_class_names();

}  // namespace ddpm
