#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace ddpm {

/// An 8-bit image in memory, rows top to bottom, channels interleaved (1 or 3).
struct Image8 {
  std::int64_t width = 0;
  std::int64_t height = 0;
  std::int64_t channels = 1;
  std::vector<std::uint8_t> pixels;  ///< height × width × channels
};

/// Tiles images [N, C, H, W] with values in [−1, 1] (clamped) into one picture,
/// `columns` per row (0: a near-square grid), `padding` pixels of mid-grey between.
Image8 make_image_grid(const torch::Tensor& images, std::int64_t columns = 0, std::int64_t padding = 2);

/// PNG bytes of an image (stb_image_write).
std::string encode_png(const Image8& image);

/// Writes images [N, C, H, W] in [−1, 1] as one PNG grid, atomically.
void write_png_grid(const std::string& path, const torch::Tensor& images, std::int64_t columns = 0);

}  // namespace ddpm
