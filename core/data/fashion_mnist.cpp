#include "core/data/fashion_mnist.h"

#include "core/data/idx_file.h"
#include "core/util/error.h"

#include <cstdlib>
#include <sys/stat.h>

namespace ddpm {
namespace {

bool file_exists(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode);
}

}  // namespace

std::string fashion_mnist_dir(const std::string& data_dir) {
  if (!data_dir.empty()) return data_dir;
  if (const char* env = std::getenv("DDPM_FASHION_MNIST_DIR"); env && *env) return env;
  return kFashionMnistPackageDir;
}

FashionMnist read_fashion_mnist(const std::string& data_dir, Split split) {
  const std::string dir = fashion_mnist_dir(data_dir);
  const std::string prefix = dir + "/" + (split == Split::Train ? "train" : "t10k");
  const std::string images_path = prefix + "-images-idx3-ubyte.gz";
  const std::string labels_path = prefix + "-labels-idx1-ubyte.gz";
  for (const auto& path : {images_path, labels_path}) {
    if (!file_exists(path))
      throw Error("Fashion-MNIST not found: '" + path +
                  "' is missing. Install the Debian package dataset-fashion-mnist "
                  "(apt-get install dataset-fashion-mnist) or point --data-dir at a folder with the IDX files");
  }

  IdxArray images = read_idx_file(images_path, 3);
  IdxArray labels = read_idx_file(labels_path, 1);
  if (images.dims[1] != 28 || images.dims[2] != 28)
    throw Error("'" + images_path + "' holds " + std::to_string(images.dims[1]) + "x" +
                std::to_string(images.dims[2]) + " images; Fashion-MNIST images are 28x28");
  if (images.dims[0] != labels.dims[0])
    throw Error("Fashion-MNIST files disagree: " + std::to_string(images.dims[0]) + " images but " +
                std::to_string(labels.dims[0]) + " labels");
  for (std::uint8_t label : labels.data)
    if (label > 9) throw Error("'" + labels_path + "' holds label " + std::to_string(label) + "; expected 0..9");

  const std::int64_t n = images.dims[0];
  FashionMnist data;
  data.images = torch::from_blob(images.data.data(), {n, 1, 28, 28}, torch::kUInt8).clone();
  data.labels = torch::from_blob(labels.data.data(), {n}, torch::kUInt8).to(torch::kLong);
  return data;
}

const std::vector<std::string>& fashion_mnist_class_names() {
  static const std::vector<std::string> names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                 "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  return names;
}

}  // namespace ddpm
