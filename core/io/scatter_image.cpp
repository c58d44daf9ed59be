#include "core/io/scatter_image.h"

#include "core/util/error.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace ddpm {
namespace {

constexpr float kBackground[3] = {251, 251, 249};
constexpr float kGridLine[3] = {229, 229, 229};
constexpr float kAxisLine[3] = {180, 180, 180};
constexpr float kBorder[3] = {200, 200, 200};

/// An RGB canvas in float, so that many faint dots add up without rounding at each step.
struct Canvas {
  std::int64_t width, height;
  std::vector<float> rgb;

  Canvas(std::int64_t w, std::int64_t h) : width(w), height(h), rgb(static_cast<std::size_t>(w * h * 3)) {
    for (std::size_t i = 0; i < rgb.size(); i += 3) std::copy(kBackground, kBackground + 3, rgb.begin() + i);
  }

  /// Mixes `colour` into pixel (x, y) with opacity a in 0..1.
  void blend(std::int64_t x, std::int64_t y, const float colour[3], float a) {
    float* p = rgb.data() + (y * width + x) * 3;
    for (int c = 0; c < 3; ++c) p[c] += (colour[c] - p[c]) * a;
  }

  void vertical_line(std::int64_t x, const float colour[3]) {
    for (std::int64_t y = 0; y < height; ++y) blend(x, y, colour, 1.0f);
  }
  void horizontal_line(std::int64_t y, const float colour[3]) {
    for (std::int64_t x = 0; x < width; ++x) blend(x, y, colour, 1.0f);
  }
};

void check_area(const PlotArea& area) {
  if (area.width < 1 || area.height < 1 || area.width > 16384 || area.height > 16384)
    throw Error("a scatter plot must be 1..16384 pixels wide and high, got " + std::to_string(area.width) + "×" +
                std::to_string(area.height));
  if (!std::isfinite(area.x_min) || !std::isfinite(area.x_max) || !std::isfinite(area.y_min) ||
      !std::isfinite(area.y_max) || !(area.x_max > area.x_min) || !(area.y_max > area.y_min))
    throw Error("a scatter plot needs finite axis limits with min < max");
}

/// Grid lines at the integers inside [min, max] along one axis of `pixels` pixels;
/// `to_pixel` maps a coordinate to its pixel row or column.
template <typename ToPixel, typename Draw>
void draw_grid(double min, double max, std::int64_t pixels, ToPixel to_pixel, Draw draw) {
  if (static_cast<double>(pixels) / (max - min) < 6.0) {  // too dense to read: axis only
    if (min <= 0.0 && 0.0 <= max) draw(std::clamp<std::int64_t>(to_pixel(0.0), 0, pixels - 1), kAxisLine);
    return;
  }
  for (double k = std::ceil(min); k <= max; k += 1.0)
    draw(std::clamp<std::int64_t>(to_pixel(k), 0, pixels - 1), k == 0.0 ? kAxisLine : kGridLine);
}

}  // namespace

Image8 scatter_image(const std::vector<PointLayer>& layers, const PlotArea& area) {
  check_area(area);
  for (const auto& layer : layers)
    if (layer.points.defined() && (layer.points.dim() != 2 || layer.points.size(1) != 2))
      throw Error("points to plot must be shaped [N, 2]");

  const double sx = static_cast<double>(area.width) / (area.x_max - area.x_min);
  const double sy = static_cast<double>(area.height) / (area.y_max - area.y_min);
  // Continuous pixel coordinates: pixel i covers [i, i + 1); y grows downwards.
  auto px = [&](double x) { return (x - area.x_min) * sx; };
  auto py = [&](double y) { return (area.y_max - y) * sy; };

  Canvas canvas(area.width, area.height);
  // Grid first: the zero axis is drawn after the faint lines so it stays visible.
  draw_grid(area.x_min, area.x_max, area.width, [&](double x) { return static_cast<std::int64_t>(std::floor(px(x))); },
            [&](std::int64_t column, const float* colour) { canvas.vertical_line(column, colour); });
  draw_grid(area.y_min, area.y_max, area.height, [&](double y) { return static_cast<std::int64_t>(std::floor(py(y))); },
            [&](std::int64_t row, const float* colour) { canvas.horizontal_line(row, colour); });
  for (std::int64_t x = 0; x < area.width; ++x) {
    canvas.blend(x, 0, kBorder, 1.0f);
    canvas.blend(x, area.height - 1, kBorder, 1.0f);
  }
  for (std::int64_t y = 0; y < area.height; ++y) {
    canvas.blend(0, y, kBorder, 1.0f);
    canvas.blend(area.width - 1, y, kBorder, 1.0f);
  }

  for (const auto& layer : layers) {
    if (!layer.points.defined() || layer.points.size(0) == 0) continue;
    const auto points = layer.points.detach().to(torch::kCPU, torch::kFloat64).contiguous();
    const double* xy = points.data_ptr<double>();
    const float colour[3] = {static_cast<float>(layer.colour.r), static_cast<float>(layer.colour.g),
                             static_cast<float>(layer.colour.b)};
    const double alpha = std::clamp(layer.alpha, 0.0, 1.0);
    const double radius = std::max(0.0, layer.radius);
    for (std::int64_t i = 0; i < points.size(0); ++i) {
      const double x = xy[2 * i], y = xy[2 * i + 1];
      if (!std::isfinite(x) || !std::isfinite(y) || x < area.x_min || x > area.x_max || y < area.y_min ||
          y > area.y_max)
        continue;
      const double cx = px(x), cy = py(y);
      // Coverage of a pixel by the disc, approximated by how far its centre lies inside
      // the edge, over a one-pixel ramp: cheap anti-aliasing.
      const auto x0 = std::max<std::int64_t>(0, static_cast<std::int64_t>(std::floor(cx - radius - 1.0)));
      const auto x1 = std::min<std::int64_t>(area.width - 1, static_cast<std::int64_t>(std::ceil(cx + radius + 1.0)));
      const auto y0 = std::max<std::int64_t>(0, static_cast<std::int64_t>(std::floor(cy - radius - 1.0)));
      const auto y1 = std::min<std::int64_t>(area.height - 1, static_cast<std::int64_t>(std::ceil(cy + radius + 1.0)));
      for (std::int64_t row = y0; row <= y1; ++row)
        for (std::int64_t column = x0; column <= x1; ++column) {
          const double d = std::hypot(column + 0.5 - cx, row + 0.5 - cy);
          const double coverage = std::clamp(radius + 0.5 - d, 0.0, 1.0);
          if (coverage > 0.0) canvas.blend(column, row, colour, static_cast<float>(alpha * coverage));
        }
    }
  }

  Image8 image;
  image.width = area.width;
  image.height = area.height;
  image.channels = 3;
  image.pixels.resize(canvas.rgb.size());
  for (std::size_t i = 0; i < canvas.rgb.size(); ++i)
    image.pixels[i] = static_cast<std::uint8_t>(std::clamp(std::lround(canvas.rgb[i]), 0L, 255L));
  return image;
}

Image8 scatter_image(const torch::Tensor& points, const PlotArea& area, const torch::Tensor& reference) {
  std::vector<PointLayer> layers;
  if (reference.defined()) {
    PointLayer data;
    data.points = reference;
    data.colour = Rgb8{255, 160, 80};  // light orange, beneath
    data.alpha = 0.25;
    layers.push_back(data);
  }
  PointLayer samples;
  samples.points = points;
  layers.push_back(samples);
  return scatter_image(layers, area);
}

}  // namespace ddpm
