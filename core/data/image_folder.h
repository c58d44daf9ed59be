#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace ddpm {

/// The picture files of a folder that `images:DIR` uses: extensions png, jpg, jpeg,
/// bmp, gif, tga, ppm, pgm, pnm (any case), sorted by name, sub-folders not searched.
/// Throws ddpm::Error when the folder is missing or holds no such file.
std::vector<std::string> list_image_files(const std::string& dir);

/// Loads every picture of `dir` (see list_image_files) with load_image_file: centre
/// square, resized to size × size, `channels` 1 (grayscale) or 3 (RGB), in [−1, 1].
/// Returns float32 [N, channels, size, size]. Files that cannot be read are reported
/// together, by name and reason, in one ddpm::Error: a training set is never
/// silently smaller than the folder.
torch::Tensor load_image_folder(const std::string& dir, std::int64_t size, std::int64_t channels);

}  // namespace ddpm
