#pragma once

#include "core/io/image_grid.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace ddpm {

/// An 8-bit RGB colour.
struct Rgb8 {
  std::uint8_t r = 0, g = 0, b = 0;
};

/// The picture size and the fixed data rectangle it shows (x right, y up), so the frames
/// of one animation share their axes.
struct PlotArea {
  std::int64_t width = 480;   ///< pixels, 1..16384
  std::int64_t height = 480;  ///< pixels, 1..16384
  double x_min = -3.5, x_max = 3.5;
  double y_min = -3.5, y_max = 3.5;
};

/// One set of 2D points and how its dots look.
struct PointLayer {
  torch::Tensor points;            ///< [N, 2] as (x, y); undefined or N = 0 draws nothing
  Rgb8 colour{31, 119, 180};       ///< blue
  double alpha = 0.45;             ///< opacity of one dot in 0..1; overlapping dots build up, so density shows
  double radius = 1.4;             ///< dot radius in pixels (edges anti-aliased over one pixel)
};

/// Renders point layers, in order (later ones on top), as an RGB image: light background,
/// faint grid lines at integer coordinates (left out when closer than 6 pixels), darker
/// axes x = 0 and y = 0, a thin border. Points outside the area or not finite (NaN, ±inf)
/// are skipped. Throws ddpm::Error for a bad area or points not shaped [N, 2].
Image8 scatter_image(const std::vector<PointLayer>& layers, const PlotArea& area = {});

/// `points` as blue dots over `reference` (optional, e.g. the data) as light orange dots.
Image8 scatter_image(const torch::Tensor& points, const PlotArea& area = {}, const torch::Tensor& reference = {});

}  // namespace ddpm
