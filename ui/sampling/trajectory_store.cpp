#include "ui/sampling/trajectory_store.h"

#include "core/util/error.h"
#include "core/sampling/model_checks.h"  // shape_text

#include <utility>

namespace ddpm::ui {

TrajectoryLayout sampleLayout(const std::vector<std::int64_t>& shape, int count, const std::string& viewName) {
  TrajectoryLayout layout;
  if (shape.size() == 1 && shape[0] == 2) {
    layout.kind = TrajectoryLayout::Kind::Points;
    layout.channels = 2;
  } else if (shape.size() == 3 && (shape[0] == 1 || shape[0] == 3)) {
    layout.kind = TrajectoryLayout::Kind::Images;
    layout.channels = static_cast<int>(shape[0]);
    layout.height = static_cast<int>(shape[1]);
    layout.width = static_cast<int>(shape[2]);
  } else {
    throw Error(viewName + " can show 2D points or images with 1 or 3 channels; this model makes samples of shape " +
                shape_text(shape));
  }
  layout.count = count;
  return layout;
}

void TrajectoryStore::reset(TrajectoryLayout layout) {
  m_layout = std::move(layout);
  m_frames.clear();
  m_frames.reserve(static_cast<std::size_t>(m_layout.totalSteps()) + 1);
  m_bytes = 0;
}

void TrajectoryStore::clear() {
  reset(TrajectoryLayout{});
  m_frames.shrink_to_fit();
}

bool TrajectoryStore::isComplete() const {
  return !m_frames.empty() && count() == m_layout.totalSteps() + 1;
}

bool TrajectoryStore::append(TrajectoryFrame frame) {
  if (frame.step != count() || count() > m_layout.totalSteps()) return false;
  const std::size_t values = m_layout.valuesPerState();
  const bool first = frame.step == 0;
  if (m_layout.isImages()) {
    if (frame.xtBytes.size() != values || (!first && frame.x0Bytes.size() != values) ||
        !frame.xtPoints.empty() || !frame.x0Points.empty())
      return false;
  } else if (m_layout.isPoints()) {
    if (frame.xtPoints.size() != values || (!first && frame.x0Points.size() != values) ||
        !frame.xtBytes.empty() || !frame.x0Bytes.empty())
      return false;
  } else {
    return false;
  }
  m_bytes += frame.bytes();
  m_frames.push_back(std::move(frame));
  return true;
}

}  // namespace ddpm::ui
