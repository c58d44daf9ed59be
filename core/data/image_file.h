#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <string>

namespace ddpm {

/// Loads one picture file (PNG, JPEG, BMP, GIF, TGA, PNM, HDR; JPEG through libjpeg-turbo, the rest through stb_image) as a
/// diffusion input: transparent pixels composited over white, centre-cropped to a square,
/// resized (stb_image_resize, Mitchell filter) to size × size and scaled from 0..255 to
/// [−1, 1] like Fashion-MNIST. `channels` is 3 (RGB) or 1 (grayscale, ITU-R BT.601 luma).
/// Returns float32 [1, channels, size, size]. Throws ddpm::Error naming the file and the
/// reason (missing, not an image, too large, bad arguments).
torch::Tensor load_image_file(const std::string& path, std::int64_t size = 64, std::int64_t channels = 3);

}  // namespace ddpm
