#pragma once

#include "core/io/image_grid.h"
#include "core/io/scatter_image.h"

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace ddpm {

class ReverseProcess;

/// Which step counts of a run of `total_steps` steps to keep as animation frames
/// (0 = x_T before the first step, total_steps = the final x_0): all of them when
/// max_frames ≥ total_steps + 1, else max_frames counts, strictly increasing, always
/// including 0 and total_steps. They are spaced as total·(1 − (1 − u)²) for u evenly
/// spaced in [0, 1], so frames grow denser towards the end, where the picture changes most
/// (the data emerges from the noise in the last steps); collisions after rounding are
/// pushed apart, never dropped. Throws ddpm::Error for total_steps < 0 or max_frames < 2.
std::vector<std::int64_t> trajectory_frame_steps(std::int64_t total_steps, std::int64_t max_frames);

/// How trajectory frames look.
struct TrajectoryOptions {
  std::int64_t max_frames = 60;   ///< see trajectory_frame_steps
  bool show_predicted_x0 = true;  ///< a second panel, right of x_t, with the model's x̂_0 (blank before the first step)
  std::int64_t max_images = 64;   ///< images: at most this many samples drawn (the first ones)
  std::int64_t columns = 0;       ///< images: grid columns (0: near-square)
  std::int64_t image_scale = 0;   ///< images: integer zoom, 1..8 (0: the smallest making the frame ≥ 400 pixels wide)
  PlotArea plot{400, 400, -3.5, 3.5, -3.5, 3.5};  ///< 2D: size and fixed limits of each panel, normalised space
  torch::Tensor reference;        ///< 2D: optional points [M, 2] in the normalised space drawn beneath, in light grey
};

/// One frame: x_t on the left and x̂_0 (undefined: a blank panel) on the right, with a
/// progress bar (`progress` in 0..1) along the bottom. Images [N, C, H, W] in [−1, 1] are
/// tiled with make_image_grid (grey stays 1 channel); 2D points [N, 2] are drawn with
/// scatter_image (3 channels). Throws ddpm::Error for samples of any other shape.
Image8 render_trajectory_frame(const torch::Tensor& x_t, const torch::Tensor& predicted_x0, double progress,
                               const TrajectoryOptions& options = {});

/// Keeps the frames of a reverse process driven elsewhere: call record() once before the
/// first step and after every step (e.g. from run_to_end's callback). Only the steps
/// trajectory_frame_steps chose are rendered (on the CPU); others cost nothing. A step
/// recorded twice, or one not chosen, is ignored.
class TrajectoryRecorder {
 public:
  /// For a run of `total_steps` steps (ReverseProcess::total_steps()).
  explicit TrajectoryRecorder(std::int64_t total_steps, TrajectoryOptions options = {});

  /// Records the process's current state (x_t = sample(), x̂_0 = predicted_x0()) if its
  /// steps_taken() is a chosen step. Throws ddpm::Error when its total_steps() differs.
  void record(const ReverseProcess& process);
  /// The same from plain tensors: the state after `steps_taken` steps.
  void record(std::int64_t steps_taken, const torch::Tensor& x_t, const torch::Tensor& predicted_x0);

  /// The chosen step counts.
  const std::vector<std::int64_t>& frame_steps() const { return steps_; }
  /// Frames recorded so far, in step order.
  const std::vector<Image8>& frames() const { return frames_; }
  /// Moves the frames out (the recorder keeps none afterwards).
  std::vector<Image8> take_frames();

 private:
  std::int64_t total_steps_;
  TrajectoryOptions options_;
  std::vector<std::int64_t> steps_;
  std::size_t next_ = 0;  // index into steps_ of the next frame wanted
  std::vector<Image8> frames_;
};

/// True when `path` ends with ".gif", in any case.
bool is_gif_path(const std::string& path);

/// Writes trajectory frames: to one looping animated GIF when `path` ends with .gif (any
/// case; each frame shown for frame_delay_centiseconds, the last held for
/// last_frame_delay_centiseconds), else into the folder `path` (created if missing) as
/// frame_0000.png, frame_0001.png, … Every file is written atomically. Throws ddpm::Error
/// for no frames, a path that exists but is not a folder, or any write failure.
void write_trajectory(const std::string& path, const std::vector<Image8>& frames, int frame_delay_centiseconds = 8,
                      int last_frame_delay_centiseconds = 150);

}  // namespace ddpm
