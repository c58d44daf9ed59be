#pragma once

#include "ui/sampling/trajectory_frame.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ddpm::ui {

/// The layout of `count` samples of one sample shape: [2] is 2D points, [C, H, W] with C 1
/// or 3 is images. Throws ddpm::Error naming `viewName` ("the Sampling view") otherwise.
TrajectoryLayout sampleLayout(const std::vector<std::int64_t>& shape, int count, const std::string& viewName);

/// Every frame of one reverse run, kept compactly (images as bytes, points as floats) in
/// step order, so any step is one index away: scrubbing 1,000 steps never recomputes.
/// Frames arrive in order while the run goes on; frame k is the state after k steps.
class TrajectoryStore {
 public:
  /// Starts a new, empty trajectory with this layout.
  void reset(TrajectoryLayout layout);
  void clear();
  /// Adds the next frame; false (and nothing stored) when its step is not count() or
  /// its sizes do not match the layout.
  bool append(TrajectoryFrame frame);

  const TrajectoryLayout& layout() const { return m_layout; }
  bool isEmpty() const { return m_frames.empty(); }
  int count() const { return static_cast<int>(m_frames.size()); }
  /// True when all K + 1 frames (x_T … x_0) are here.
  bool isComplete() const;
  /// Frame k, 0 ≤ k < count().
  const TrajectoryFrame& frame(int k) const { return m_frames[static_cast<std::size_t>(k)]; }
  /// Memory the frames hold (their samples, not the bookkeeping).
  std::size_t bytes() const { return m_bytes; }

 private:
  TrajectoryLayout m_layout;
  std::vector<TrajectoryFrame> m_frames;
  std::size_t m_bytes = 0;
};

}  // namespace ddpm::ui
