#include "core/data/image_folder.h"

#include "core/data/image_file.h"
#include "core/util/error.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace ddpm {
namespace {

namespace fs = std::filesystem;

bool has_image_extension(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* known : {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tga", ".ppm", ".pgm", ".pnm"})
    if (ext == known) return true;
  return false;
}

// At most this many bad files are named in the message; the rest are counted.
constexpr std::size_t kNamedFailures = 5;

}  // namespace

std::vector<std::string> list_image_files(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error("images:" + dir + ": no such folder");
  std::vector<std::string> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec) && has_image_extension(it->path())) files.push_back(it->path().string());
  if (ec) throw Error("images:" + dir + ": cannot list the folder: " + ec.message());
  if (files.empty())
    throw Error("images:" + dir + ": the folder holds no PNG, JPEG, BMP, GIF, TGA or PNM files");
  std::sort(files.begin(), files.end());
  return files;
}

torch::Tensor load_image_folder(const std::string& dir, std::int64_t size, std::int64_t channels) {
  const auto files = list_image_files(dir);
  std::vector<torch::Tensor> images;
  images.reserve(files.size());
  std::vector<std::string> failures;
  for (const auto& file : files) {
    try {
      images.push_back(load_image_file(file, size, channels));
    } catch (const Error& e) {
      failures.push_back(e.what());
    }
  }
  if (!failures.empty()) {
    std::string message = "images:" + dir + ": " + std::to_string(failures.size()) + " of " +
                          std::to_string(files.size()) + " files could not be read: ";
    for (std::size_t i = 0; i < std::min(failures.size(), kNamedFailures); ++i)
      message += (i ? "; " : "") + failures[i];
    if (failures.size() > kNamedFailures)
      message += "; and " + std::to_string(failures.size() - kNamedFailures) + " more";
    throw Error(message);
  }
  return torch::cat(images, 0);
}

}  // namespace ddpm
