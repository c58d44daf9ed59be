#pragma once

#include "core/io/image_grid.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ddpm {

/// One panel: a curve y(x) with its title and axis names (ASCII).
struct LineChart {
  std::string title;
  std::string x_label;
  std::string y_label;
  std::vector<double> x;  ///< the points, in order; pairs with a non-finite value are skipped
  std::vector<double> y;
};

/// Draws the charts side by side as one RGB image, each panel `panel_width` × `panel_height`
/// pixels: white background, a frame with about five round-numbered ticks per axis, the
/// curve in blue, the title above, the x label below and the y label at the top left.
/// Text uses stb_easy_font (ASCII). Throws ddpm::Error when a chart has no finite point,
/// x and y of different lengths, or panels smaller than 160 × 120.
Image8 draw_line_charts(const std::vector<LineChart>& charts, std::int64_t panel_width = 440,
                        std::int64_t panel_height = 340);

}  // namespace ddpm
