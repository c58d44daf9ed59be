// torch first: Qt's `slots` macro breaks ATen headers included after Qt.
#include "core/diffusion/gaussian_diffusion.h"
#include "core/runtime/random.h"

#include "ui/forward/forward_engine.h"
#include "ui/shared/frame_render.h"

#include <algorithm>

namespace ddpm::ui {

struct ForwardEngine::Tensors {
  std::unique_ptr<GaussianDiffusion> diffusion;
  torch::Tensor x0;     // batch shape, float32
  torch::Tensor noise;  // same shape
};

namespace {

std::vector<std::int64_t> shapeOf(const ForwardBatch& b) {
  if (b.isPoints()) return {b.count, b.channels};
  return {b.count, b.channels, b.height, b.width};
}

}  // namespace

ForwardEngine::ForwardEngine() : m_tensors(std::make_unique<Tensors>()) {}
ForwardEngine::~ForwardEngine() = default;

void ForwardEngine::setSchedule(std::shared_ptr<const NoiseSchedule> schedule) {
  m_schedule = std::move(schedule);
  m_tensors->diffusion = m_schedule ? std::make_unique<GaussianDiffusion>(*m_schedule) : nullptr;
}

int ForwardEngine::steps() const {
  return m_schedule ? static_cast<int>(m_schedule->steps()) : 0;
}

void ForwardEngine::setBatch(ForwardBatch batch) {
  m_batch = std::move(batch);
  if (m_batch.isEmpty()) {
    m_tensors->x0 = torch::Tensor();
    m_noise.clear();
    m_colours.clear();
    m_x0Density.clear();
    return;
  }
  // from_blob borrows; clone so the tensor owns its copy independent of m_batch.values.
  m_tensors->x0 = torch::from_blob(m_batch.values.data(), shapeOf(m_batch), torch::kFloat32).clone();
  const auto m = moments(m_batch.values.data(), m_batch.values.size());
  m_x0Mean = m.mean;
  m_x0Variance = m.variance;
  m_x0Density = histogramDensity(m_batch.values.data(), m_batch.values.size(), kHistogramLow, kHistogramHigh,
                                 kHistogramBins);
  m_colours.clear();
  if (m_batch.isPoints()) m_colours = pointColours(m_batch.values.data(), m_batch.count);
  redrawNoise();
}

void ForwardEngine::setNoiseSeed(std::uint64_t seed) {
  m_seed = seed;
  redrawNoise();
}

void ForwardEngine::redrawNoise() {
  if (!m_tensors->x0.defined()) return;
  at::Generator generator = make_generator(m_seed);
  m_tensors->noise = randn(m_tensors->x0.sizes(), generator).contiguous();
  m_noise.assign(m_tensors->noise.data_ptr<float>(), m_tensors->noise.data_ptr<float>() + m_tensors->noise.numel());
}

void ForwardEngine::setCanvas(QSize pixels, qreal devicePixelRatio) {
  m_canvas = pixels.expandedTo(QSize(16, 16));
  m_dpr = devicePixelRatio;
}

QImage ForwardEngine::render(const std::vector<float>& values, QSize pixels, qreal dpr) const {
  if (m_batch.isEmpty() || values.empty()) return {};
  if (m_batch.isImages()) return renderImageGrid(values.data(), m_batch, gridColumns(m_batch.count));
  return renderPointCloud(values.data(), m_batch.count, m_colours, pixels, dpr);
}

ForwardFrame ForwardEngine::frame(int t) const {
  ForwardFrame f;
  if (m_batch.isEmpty() || !m_tensors->diffusion) return f;
  f.t = std::clamp(t, 0, steps() - 1);
  const auto i = static_cast<std::size_t>(f.t);
  f.sqrtAlphaBar = m_schedule->sqrt_alpha_bar[i];
  f.sqrtOneMinusAlphaBar = m_schedule->sqrt_one_minus_alpha_bar[i];
  {
    torch::NoGradGuard noGrad;
    const auto xt = m_tensors->diffusion->q_sample(m_tensors->x0, f.t, m_tensors->noise).contiguous();  // eq. 4
    f.xt.assign(xt.data_ptr<float>(), xt.data_ptr<float>() + xt.numel());
  }
  const auto m = moments(f.xt.data(), f.xt.size());
  f.mean = m.mean;
  f.variance = m.variance;
  f.density = histogramDensity(f.xt.data(), f.xt.size(), kHistogramLow, kHistogramHigh, kHistogramBins);
  f.picture = render(f.xt, m_canvas, m_dpr);
  return f;
}

QImage ForwardEngine::renderX0(QSize pixels, qreal devicePixelRatio) const {
  return render(m_batch.values, pixels, devicePixelRatio);
}

QImage ForwardEngine::renderNoise(QSize pixels, qreal devicePixelRatio) const {
  return render(m_noise, pixels, devicePixelRatio);
}

}  // namespace ddpm::ui
