#include "core/io/line_chart.h"

#include "core/util/error.h"

#include <stb/stb_easy_font.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace ddpm {
namespace {

constexpr std::uint8_t kText[3] = {40, 40, 40};
constexpr std::uint8_t kFrame[3] = {120, 120, 120};
constexpr std::uint8_t kGrid[3] = {232, 232, 232};
constexpr std::uint8_t kCurve[3] = {31, 119, 180};
constexpr int kTextScale = 2;                  // stb_easy_font's glyphs are about 7 pixels high
constexpr int kLeft = 90, kRight = 20, kTop = 46, kBottom = 56;  // margins around the plot rectangle

struct Canvas {
  Image8 image;

  Canvas(std::int64_t width, std::int64_t height) {
    image.width = width;
    image.height = height;
    image.channels = 3;
    image.pixels.assign(static_cast<std::size_t>(width * height * 3), 255);
  }

  void blend(std::int64_t x, std::int64_t y, const std::uint8_t colour[3], double a = 1.0) {
    if (x < 0 || y < 0 || x >= image.width || y >= image.height) return;
    std::uint8_t* p = image.pixels.data() + (y * image.width + x) * 3;
    for (int c = 0; c < 3; ++c) p[c] = static_cast<std::uint8_t>(std::lround(p[c] + (colour[c] - p[c]) * a));
  }

  void fill(std::int64_t x0, std::int64_t y0, std::int64_t x1, std::int64_t y1, const std::uint8_t colour[3]) {
    for (std::int64_t y = y0; y < y1; ++y)
      for (std::int64_t x = x0; x < x1; ++x) blend(x, y, colour);
  }

  /// A polyline about two pixels wide, anti-aliased: each pixel takes the colour with the
  /// coverage of its nearest segment (so joints do not darken), then blends once.
  void polyline(const std::vector<std::pair<double, double>>& points, const std::uint8_t colour[3]) {
    std::vector<double> coverage(static_cast<std::size_t>(image.width * image.height), 0.0);
    constexpr double kHalfWidth = 1.5;
    for (std::size_t i = 0; i < points.size(); ++i) {
      const auto [ax, ay] = points[i];
      const auto [bx, by] = points[i + 1 < points.size() ? i + 1 : i];
      const double dx = bx - ax, dy = by - ay, length_squared = dx * dx + dy * dy;
      const auto x_from = std::max<std::int64_t>(0, static_cast<std::int64_t>(std::floor(std::min(ax, bx) - 2)));
      const auto x_to = std::min<std::int64_t>(image.width - 1, static_cast<std::int64_t>(std::max(ax, bx) + 2));
      const auto y_from = std::max<std::int64_t>(0, static_cast<std::int64_t>(std::floor(std::min(ay, by) - 2)));
      const auto y_to = std::min<std::int64_t>(image.height - 1, static_cast<std::int64_t>(std::max(ay, by) + 2));
      for (std::int64_t y = y_from; y <= y_to; ++y)
        for (std::int64_t x = x_from; x <= x_to; ++x) {
          const double cx = x + 0.5, cy = y + 0.5;
          const double u =
              length_squared > 0.0 ? std::clamp(((cx - ax) * dx + (cy - ay) * dy) / length_squared, 0.0, 1.0) : 0.0;
          const double d = std::hypot(cx - (ax + u * dx), cy - (ay + u * dy));
          auto& c = coverage[static_cast<std::size_t>(y * image.width + x)];
          c = std::max(c, std::clamp(kHalfWidth + 0.5 - d, 0.0, 1.0));
        }
    }
    for (std::int64_t y = 0; y < image.height; ++y)
      for (std::int64_t x = 0; x < image.width; ++x)
        if (const double c = coverage[static_cast<std::size_t>(y * image.width + x)]; c > 0.0) blend(x, y, colour, c);
  }

  /// ASCII text with its top-left corner at (x, y).
  void text(std::int64_t x, std::int64_t y, const std::string& s) {
    std::vector<char> vertices(s.size() * 300 * 4 + 1024);
    std::string copy = s;
    const int quads = stb_easy_font_print(0, 0, copy.data(), nullptr, vertices.data(), static_cast<int>(vertices.size()));
    for (int q = 0; q < quads; ++q) {
      const auto* v = reinterpret_cast<const float*>(vertices.data() + q * 64);  // 4 vertices of 16 bytes
      const float x0 = v[0], y0 = v[1], x1 = v[8], y1 = v[9];                     // corners 0 and 2
      fill(x + static_cast<std::int64_t>(x0 * kTextScale), y + static_cast<std::int64_t>(y0 * kTextScale),
           x + static_cast<std::int64_t>(x1 * kTextScale), y + static_cast<std::int64_t>(y1 * kTextScale), kText);
    }
  }
};

std::int64_t text_width(const std::string& s) {
  std::string copy = s;
  return stb_easy_font_width(copy.data()) * kTextScale;
}

/// Round tick values covering [low, high]: steps of 1, 2 or 5 × 10^n, about five of them.
std::vector<double> ticks(double low, double high) {
  const double raw = (high - low) / 5.0;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = magnitude;
  for (const double m : {1.0, 2.0, 5.0, 10.0})
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  std::vector<double> values;
  for (double v = std::ceil(low / step) * step; v <= high + step * 1e-9; v += step)
    values.push_back(std::abs(v) < step * 1e-9 ? 0.0 : v);
  return values;
}

std::string tick_label(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", v);
  return text;
}

/// [min, max] of the finite values, widened a little (or to ±1 around a single value).
std::pair<double, double> extent(const std::vector<double>& values, const std::vector<bool>& keep) {
  double low = std::numeric_limits<double>::infinity(), high = -low;
  for (std::size_t i = 0; i < values.size(); ++i)
    if (keep[i]) low = std::min(low, values[i]), high = std::max(high, values[i]);
  if (high - low < 1e-12 * std::max(1.0, std::abs(high))) return {low - 1.0, high + 1.0};
  const double pad = (high - low) * 0.04;
  return {low - pad, high + pad};
}

void draw_panel(Canvas& canvas, std::int64_t left, const LineChart& chart, std::int64_t width, std::int64_t height) {
  std::vector<bool> keep(chart.x.size());
  bool any = false;
  for (std::size_t i = 0; i < keep.size(); ++i) any |= keep[i] = std::isfinite(chart.x[i]) && std::isfinite(chart.y[i]);
  if (!any) throw Error("the chart '" + chart.title + "' has no finite point");
  const auto [x_min, x_max] = extent(chart.x, keep);
  const auto [y_min, y_max] = extent(chart.y, keep);
  const std::int64_t px0 = left + kLeft, px1 = left + width - kRight, py0 = kTop, py1 = height - kBottom;
  auto to_x = [&](double x) { return px0 + (x - x_min) / (x_max - x_min) * static_cast<double>(px1 - px0); };
  auto to_y = [&](double y) { return py1 - (y - y_min) / (y_max - y_min) * static_cast<double>(py1 - py0); };

  for (const double v : ticks(x_min, x_max)) {
    const auto x = static_cast<std::int64_t>(std::lround(to_x(v)));
    canvas.fill(x, py0, x + 1, py1, kGrid);
    canvas.fill(x, py1, x + 1, py1 + 6, kFrame);
    const std::string label = tick_label(v);
    canvas.text(x - text_width(label) / 2, py1 + 10, label);
  }
  for (const double v : ticks(y_min, y_max)) {
    const auto y = static_cast<std::int64_t>(std::lround(to_y(v)));
    canvas.fill(px0, y, px1, y + 1, kGrid);
    canvas.fill(px0 - 6, y, px0, y + 1, kFrame);
    const std::string label = tick_label(v);
    canvas.text(px0 - 10 - text_width(label), y - 6, label);
  }
  canvas.fill(px0, py0, px1, py0 + 1, kFrame);
  canvas.fill(px0, py1, px1 + 1, py1 + 1, kFrame);
  canvas.fill(px0, py0, px0 + 1, py1, kFrame);
  canvas.fill(px1, py0, px1 + 1, py1, kFrame);

  // Runs of finite points, each one polyline.
  std::vector<std::pair<double, double>> run;
  for (std::size_t i = 0; i <= keep.size(); ++i) {
    if (i < keep.size() && keep[i]) {
      run.emplace_back(to_x(chart.x[i]), to_y(chart.y[i]));
      continue;
    }
    if (!run.empty()) canvas.polyline(run, kCurve);
    run.clear();
  }

  canvas.text(left + (width - text_width(chart.title)) / 2, 6, chart.title);
  canvas.text(px0, 26, chart.y_label);
  canvas.text(px0 + (px1 - px0 - text_width(chart.x_label)) / 2, height - 22, chart.x_label);
}

}  // namespace

Image8 draw_line_charts(const std::vector<LineChart>& charts, std::int64_t panel_width, std::int64_t panel_height) {
  if (charts.empty()) throw Error("there is no chart to draw");
  if (panel_width < 160 || panel_height < 120 || panel_width > 4096 || panel_height > 4096)
    throw Error("a chart panel must be 160..4096 pixels wide and 120..4096 high");
  for (const auto& chart : charts)
    if (chart.x.size() != chart.y.size()) throw Error("the chart '" + chart.title + "' has x and y of different lengths");
  Canvas canvas(panel_width * static_cast<std::int64_t>(charts.size()), panel_height);
  for (std::size_t i = 0; i < charts.size(); ++i)
    draw_panel(canvas, static_cast<std::int64_t>(i) * panel_width, charts[i], panel_width, panel_height);
  return std::move(canvas.image);
}

}  // namespace ddpm
