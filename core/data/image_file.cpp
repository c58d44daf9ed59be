#include "data/image_file.h"

#include "util/error.h"

#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <vector>

namespace ddpm {
namespace {

// Checked before decoding, so a huge or hostile file cannot exhaust memory: 64 megapixels
// (256 MB as RGBA) covers any camera photo.
constexpr long long kMaxImagePixels = 64LL * 1000 * 1000;

}  // namespace

torch::Tensor load_image_file(const std::string& path, std::int64_t size, std::int64_t channels) {
  if (channels != 1 && channels != 3)
    throw Error("an image can be loaded with 1 or 3 channels, not " + std::to_string(channels));
  if (size < 1 || size > 1024) throw Error("image size must be between 1 and 1024, got " + std::to_string(size));
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw Error("cannot open image '" + path + "': no such file");

  int width = 0, height = 0, file_channels = 0;
  if (!stbi_info(path.c_str(), &width, &height, &file_channels))
    throw Error("cannot read image '" + path + "': " + stbi_failure_reason() +
                " (PNG, JPEG, BMP, GIF, TGA and PNM files are supported)");
  if (static_cast<long long>(width) * height > kMaxImagePixels)
    throw Error("image '" + path + "' is " + std::to_string(width) + "×" + std::to_string(height) +
                " pixels; at most 64 megapixels are accepted");

  std::unique_ptr<stbi_uc, void (*)(void*)> rgba(stbi_load(path.c_str(), &width, &height, &file_channels, 4),
                                                 stbi_image_free);
  if (!rgba) throw Error("cannot read image '" + path + "': " + stbi_failure_reason());

  // Centre square, composited over white, in the requested channels.
  const int side = std::min(width, height);
  const int left = (width - side) / 2, top = (height - side) / 2;
  const int c = static_cast<int>(channels);
  std::vector<unsigned char> square(static_cast<std::size_t>(side) * side * c);
  for (int y = 0; y < side; ++y) {
    for (int x = 0; x < side; ++x) {
      const stbi_uc* p = rgba.get() + (static_cast<std::size_t>(top + y) * width + (left + x)) * 4;
      const double a = p[3] / 255.0;
      double rgb[3];
      for (int k = 0; k < 3; ++k) rgb[k] = a * p[k] + (1.0 - a) * 255.0;
      unsigned char* out = square.data() + (static_cast<std::size_t>(y) * side + x) * c;
      if (c == 1) {
        out[0] = static_cast<unsigned char>(std::lround(0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]));
      } else {
        for (int k = 0; k < 3; ++k) out[k] = static_cast<unsigned char>(std::lround(rgb[k]));
      }
    }
  }

  const int n = static_cast<int>(size);
  std::vector<unsigned char> resized(static_cast<std::size_t>(n) * n * c);
  if (!stbir_resize_uint8(square.data(), side, side, 0, resized.data(), n, n, 0, c))
    throw Error("cannot resize image '" + path + "'");

  // [H, W, C] bytes → [1, C, H, W] in [−1, 1]: (v − 127.5) / 127.5, as for Fashion-MNIST.
  auto bytes = torch::from_blob(resized.data(), {n, n, c}, torch::kUInt8);
  return ((bytes.permute({2, 0, 1}).to(torch::kFloat32) - 127.5) / 127.5).unsqueeze(0).contiguous();
}

}  // namespace ddpm
