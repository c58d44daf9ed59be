#include "core/io/image_grid.h"

#include "core/io/atomic_file.h"
#include "core/util/error.h"

#include <stb/stb_image_write.h>

#include <cmath>

namespace ddpm {

Image8 make_image_grid(const torch::Tensor& images, std::int64_t columns, std::int64_t padding) {
  if (images.dim() != 4 || (images.size(1) != 1 && images.size(1) != 3))
    throw Error("images to tile must be shaped [N, 1 or 3, H, W]");
  const std::int64_t n = images.size(0), c = images.size(1), h = images.size(2), w = images.size(3);
  if (n == 0) throw Error("no images to tile");
  if (columns <= 0) columns = static_cast<std::int64_t>(std::ceil(std::sqrt(static_cast<double>(n))));
  columns = std::min(columns, n);
  const std::int64_t rows = (n + columns - 1) / columns;

  // [−1, 1] → 0..255, as [N, H, W, C] bytes.
  auto bytes = ((images.detach().to(torch::kCPU, torch::kFloat32).clamp(-1, 1) + 1) * 127.5)
                   .round()
                   .to(torch::kUInt8)
                   .permute({0, 2, 3, 1})
                   .contiguous();
  const std::uint8_t* src = bytes.data_ptr<std::uint8_t>();

  Image8 grid;
  grid.channels = c;
  grid.width = columns * w + (columns + 1) * padding;
  grid.height = rows * h + (rows + 1) * padding;
  grid.pixels.assign(static_cast<std::size_t>(grid.width * grid.height * c), 128);
  for (std::int64_t i = 0; i < n; ++i) {
    const std::int64_t top = padding + (i / columns) * (h + padding);
    const std::int64_t left = padding + (i % columns) * (w + padding);
    for (std::int64_t y = 0; y < h; ++y) {
      const std::uint8_t* row = src + ((i * h + y) * w) * c;
      std::copy(row, row + w * c, grid.pixels.begin() + ((top + y) * grid.width + left) * c);
    }
  }
  return grid;
}

std::string encode_png(const Image8& image) {
  std::string png;
  auto append = [](void* context, void* data, int size) {
    static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
  };
  const int ok = stbi_write_png_to_func(append, &png, static_cast<int>(image.width), static_cast<int>(image.height),
                                        static_cast<int>(image.channels), image.pixels.data(),
                                        static_cast<int>(image.width * image.channels));
  if (!ok) throw Error("PNG encoding failed");
  return png;
}

void write_png_grid(const std::string& path, const torch::Tensor& images, std::int64_t columns) {
  write_file_atomically(path, encode_png(make_image_grid(images, columns)));
}

}  // namespace ddpm
