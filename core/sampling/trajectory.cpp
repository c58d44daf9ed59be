#include "core/sampling/trajectory.h"

#include "core/io/atomic_file.h"
#include "core/io/gif_writer.h"
#include "core/sampling/reverse_process.h"
#include "core/util/error.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <utility>

namespace ddpm {
namespace {

/// A colour for Image8 of 1 or 3 channels (grey images use the first component).
struct Colour {
  std::uint8_t c[3];
};

// Images: one calm mid-grey sheet (the grids' padding colour), a light bar on a dark track.
constexpr Colour kImageBackground{{128, 128, 128}};
constexpr Colour kImageTrack{{96, 96, 96}};
constexpr Colour kImageBar{{235, 235, 235}};
constexpr std::int64_t kImageMargin = 3, kImageGap = 6, kImageBarHeight = 2;
constexpr std::int64_t kImageMinWidth = 400, kImageMaxScale = 8;
// 2D: the scatter plots' light background, a blue bar.
constexpr Colour kPlotBackground{{251, 251, 249}};
constexpr Colour kPlotTrack{{226, 226, 226}};
constexpr Colour kPlotBar{{31, 119, 180}};
constexpr std::int64_t kPlotMargin = 8, kPlotGap = 8, kPlotBarHeight = 4;

Image8 filled(std::int64_t width, std::int64_t height, std::int64_t channels, const Colour& colour) {
  Image8 image;
  image.width = width;
  image.height = height;
  image.channels = channels;
  image.pixels.resize(static_cast<std::size_t>(width * height * channels));
  for (std::size_t i = 0; i < image.pixels.size(); ++i)
    image.pixels[i] = colour.c[channels == 1 ? 0 : i % static_cast<std::size_t>(channels)];
  return image;
}

void fill_rect(Image8& image, std::int64_t left, std::int64_t top, std::int64_t width, std::int64_t height,
               const Colour& colour) {
  for (std::int64_t y = top; y < top + height; ++y)
    for (std::int64_t x = left; x < left + width; ++x)
      for (std::int64_t c = 0; c < image.channels; ++c)
        image.pixels[static_cast<std::size_t>((y * image.width + x) * image.channels + c)] =
            colour.c[image.channels == 1 ? 0 : c];
}

void paste(Image8& target, const Image8& source, std::int64_t left, std::int64_t top) {
  const std::int64_t c = target.channels, row = source.width * c;
  for (std::int64_t y = 0; y < source.height; ++y)
    std::copy_n(source.pixels.begin() + y * row, row, target.pixels.begin() + ((top + y) * target.width + left) * c);
}

/// Nearest-neighbour zoom by an integer factor (keeps every pixel value exact).
Image8 upscale(const Image8& image, std::int64_t factor) {
  if (factor == 1) return image;
  Image8 big;
  big.width = image.width * factor;
  big.height = image.height * factor;
  big.channels = image.channels;
  big.pixels.resize(static_cast<std::size_t>(big.width * big.height * big.channels));
  const std::int64_t c = image.channels;
  for (std::int64_t y = 0; y < big.height; ++y)
    for (std::int64_t x = 0; x < big.width; ++x)
      std::copy_n(image.pixels.begin() + ((y / factor) * image.width + x / factor) * c, c,
                  big.pixels.begin() + (y * big.width + x) * c);
  return big;
}

/// Two panels side by side (the right one optional) over a progress bar.
Image8 compose(const Image8& left, const Image8* right, double progress, std::int64_t margin, std::int64_t gap,
               std::int64_t bar_height, const Colour& background, const Colour& track, const Colour& bar) {
  const std::int64_t width = 2 * margin + left.width + (right ? gap + right->width : 0);
  const std::int64_t height = 3 * margin + std::max(left.height, right ? right->height : 0) + bar_height;
  Image8 frame = filled(width, height, left.channels, background);
  paste(frame, left, margin, margin);
  if (right) paste(frame, *right, margin + left.width + gap, margin);
  const std::int64_t bar_top = height - margin - bar_height, bar_width = width - 2 * margin;
  fill_rect(frame, margin, bar_top, bar_width, bar_height, track);
  const auto done = static_cast<std::int64_t>(std::lround(std::clamp(progress, 0.0, 1.0) * bar_width));
  fill_rect(frame, margin, bar_top, done, bar_height, bar);
  return frame;
}

Image8 image_frame(const torch::Tensor& x_t, const torch::Tensor& x0, double progress, const TrajectoryOptions& o) {
  if (o.max_images < 1) throw Error("a trajectory needs max_images ≥ 1");
  if (o.image_scale < 0 || o.image_scale > kImageMaxScale)
    throw Error("trajectory image scale must be 0 (automatic) or 1.." + std::to_string(kImageMaxScale));
  const std::int64_t n = std::min(x_t.size(0), o.max_images);
  const Image8 left = make_image_grid(x_t.slice(0, 0, n), o.columns);
  Image8 right;
  if (o.show_predicted_x0)
    right = x0.defined() ? make_image_grid(x0.slice(0, 0, n), o.columns)
                         : filled(left.width, left.height, left.channels, kImageBackground);
  const Image8 frame = compose(left, o.show_predicted_x0 ? &right : nullptr, progress, kImageMargin, kImageGap,
                               kImageBarHeight, kImageBackground, kImageTrack, kImageBar);
  const std::int64_t scale =
      o.image_scale > 0 ? o.image_scale
                        : std::clamp<std::int64_t>((kImageMinWidth + frame.width - 1) / frame.width, 1, kImageMaxScale);
  return upscale(frame, scale);
}

Image8 points_frame(const torch::Tensor& x_t, const torch::Tensor& x0, double progress, const TrajectoryOptions& o) {
  PointLayer reference;
  reference.points = o.reference;
  reference.colour = Rgb8{170, 170, 170};
  reference.alpha = 0.3;
  reference.radius = 1.2;
  PointLayer samples;
  samples.points = x_t;
  const Image8 left = scatter_image({reference, samples}, o.plot);
  if (!o.show_predicted_x0)
    return compose(left, nullptr, progress, kPlotMargin, kPlotGap, kPlotBarHeight, kPlotBackground, kPlotTrack,
                   kPlotBar);
  PointLayer predicted;
  predicted.points = x0;  // undefined before the first step: an empty panel
  predicted.colour = Rgb8{148, 103, 189};  // purple
  const Image8 right = scatter_image({reference, predicted}, o.plot);
  return compose(left, &right, progress, kPlotMargin, kPlotGap, kPlotBarHeight, kPlotBackground, kPlotTrack,
                 kPlotBar);
}

}  // namespace

std::vector<std::int64_t> trajectory_frame_steps(std::int64_t total_steps, std::int64_t max_frames) {
  if (total_steps < 0) throw Error("a trajectory needs total_steps ≥ 0, got " + std::to_string(total_steps));
  if (max_frames < 2) throw Error("a trajectory needs at least 2 frames, got " + std::to_string(max_frames));
  const std::int64_t count = std::min(max_frames, total_steps + 1);
  std::vector<std::int64_t> steps(static_cast<std::size_t>(count));
  for (std::int64_t i = 0; i < count; ++i) {
    if (count == total_steps + 1) {
      steps[static_cast<std::size_t>(i)] = i;
      continue;
    }
    const double u = static_cast<double>(i) / static_cast<double>(count - 1);
    steps[static_cast<std::size_t>(i)] = std::llround(static_cast<double>(total_steps) * (1.0 - (1.0 - u) * (1.0 - u)));
  }
  // Rounding can make neighbours equal near the end: push them apart, first forwards
  // (each at least one past the previous), then backwards from the fixed last step.
  // count ≤ total_steps here, so there is room and 0 stays first.
  for (std::size_t i = 1; i < steps.size(); ++i) steps[i] = std::max(steps[i], steps[i - 1] + 1);
  steps.back() = total_steps;
  for (std::size_t i = steps.size() - 1; i-- > 0;) steps[i] = std::min(steps[i], steps[i + 1] - 1);
  return steps;
}

Image8 render_trajectory_frame(const torch::Tensor& x_t, const torch::Tensor& predicted_x0, double progress,
                               const TrajectoryOptions& options) {
  if (!x_t.defined()) throw Error("no samples to draw");
  if (predicted_x0.defined() && predicted_x0.sizes() != x_t.sizes())
    throw Error("x̂_0 must have the samples' shape to be drawn beside them");
  const bool points = x_t.dim() == 2 && x_t.size(1) == 2;
  const bool images = x_t.dim() == 4 && (x_t.size(1) == 1 || x_t.size(1) == 3);
  if (!points && !images)
    throw Error("can only draw trajectories of 2D points [N, 2] or images [N, 1 or 3, H, W]");
  if (x_t.size(0) == 0) throw Error("no samples to draw");
  const auto x = x_t.detach().to(torch::kCPU, torch::kFloat32);
  const auto x0 = predicted_x0.defined() ? predicted_x0.detach().to(torch::kCPU, torch::kFloat32) : torch::Tensor();
  return points ? points_frame(x, x0, progress, options) : image_frame(x, x0, progress, options);
}

TrajectoryRecorder::TrajectoryRecorder(std::int64_t total_steps, TrajectoryOptions options)
    : total_steps_(total_steps),
      options_(std::move(options)),
      steps_(trajectory_frame_steps(total_steps, options_.max_frames)) {}

void TrajectoryRecorder::record(const ReverseProcess& process) {
  if (process.total_steps() != total_steps_)
    throw Error("trajectory recorder was made for " + std::to_string(total_steps_) + " steps, the run takes " +
                std::to_string(process.total_steps()));
  record(process.steps_taken(), process.sample(), process.predicted_x0());
}

void TrajectoryRecorder::record(std::int64_t steps_taken, const torch::Tensor& x_t, const torch::Tensor& predicted_x0) {
  if (steps_taken < 0 || steps_taken > total_steps_)
    throw Error("step " + std::to_string(steps_taken) + " is outside the run's 0.." + std::to_string(total_steps_));
  while (next_ < steps_.size() && steps_[next_] < steps_taken) ++next_;  // missed frames stay missing
  if (next_ == steps_.size() || steps_[next_] != steps_taken) return;
  const double progress =
      total_steps_ > 0 ? static_cast<double>(steps_taken) / static_cast<double>(total_steps_) : 1.0;
  frames_.push_back(render_trajectory_frame(x_t, predicted_x0, progress, options_));
  ++next_;
}

std::vector<Image8> TrajectoryRecorder::take_frames() { return std::exchange(frames_, {}); }

bool is_gif_path(const std::string& path) {
  if (path.size() < 4) return false;
  std::string suffix = path.substr(path.size() - 4);
  std::transform(suffix.begin(), suffix.end(), suffix.begin(), [](unsigned char c) { return std::tolower(c); });
  return suffix == ".gif";
}

void write_trajectory(const std::string& path, const std::vector<Image8>& frames, int frame_delay_centiseconds,
                      int last_frame_delay_centiseconds) {
  if (frames.empty()) throw Error("no trajectory frames to write to '" + path + "'");
  if (is_gif_path(path)) {
    write_gif(path, frames, frame_delay_centiseconds, last_frame_delay_centiseconds, true);
    return;
  }
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::path folder(path);
  const auto status = fs::status(folder, error);
  if (fs::exists(status) && !fs::is_directory(status))
    throw Error("cannot write trajectory frames into '" + path + "': it exists and is not a folder");
  if (!fs::exists(status)) {
    fs::create_directories(folder, error);
    if (error) throw Error("cannot create folder '" + path + "': " + error.message());
  }
  for (std::size_t i = 0; i < frames.size(); ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "frame_%04zu.png", i);
    write_file_atomically((folder / name).string(), encode_png(frames[i]));
  }
}

}  // namespace ddpm
