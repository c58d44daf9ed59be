// torch first: Qt's `slots` macro breaks ATen headers included after Qt.
#include "core/diffusion/parameterisation.h"
#include "core/io/scatter_image.h"
#include "core/sampling/reverse_process.h"
#include "core/training/trainer.h"

#include "ui/training/training_preview.h"

#include "ui/forward/forward_batch.h"
#include "ui/shared/frame_render.h"

#include <algorithm>

namespace ddpm::ui {

namespace {

QImage toQImage(const Image8& image) {
  const auto format = image.channels == 3 ? QImage::Format_RGB888 : QImage::Format_Grayscale8;
  const QImage view(image.pixels.data(), static_cast<int>(image.width), static_cast<int>(image.height),
                    static_cast<qsizetype>(image.width * image.channels), format);
  return view.copy();  // owns its pixels once `image` is gone
}

}  // namespace

QImage renderTrainingPreview(const Trainer& trainer, const PreviewSettings& settings) {
  torch::NoGradGuard noGrad;
  const Dataset& data = trainer.dataset();
  const bool images = data.kind == DataKind::Images;
  SamplerOptions options;
  options.kind = SamplerKind::DDIM;
  options.steps = std::clamp<std::int64_t>(images ? settings.imageDdimSteps : settings.ddimSteps, 1,
                                           trainer.diffusion().steps());
  options.eta = 0.0;
  options.clip_x0 = images;
  options.n = images ? settings.images : settings.points;
  options.seed = settings.seed;
  options.device = trainer.device();
  ReverseProcess process(as_eps_predictor(trainer.ema_model(), trainer.diffusion().schedule(), trainer.device()),
                         trainer.diffusion(), data.sample_shape(), options);
  run_to_end(process);
  const torch::Tensor x0 = process.sample().to(torch::kCPU, torch::kFloat32).contiguous();

  if (images) {
    ForwardBatch shape;
    shape.kind = ForwardBatch::Kind::Images;
    shape.count = static_cast<int>(x0.size(0));
    shape.channels = static_cast<int>(x0.size(1));
    shape.height = static_cast<int>(x0.size(2));
    shape.width = static_cast<int>(x0.size(3));
    return renderImageGrid(x0.data_ptr<float>(), shape, gridColumns(shape.count));
  }
  PlotArea area;
  area.width = std::max(64, settings.canvas.width());
  area.height = std::max(64, settings.canvas.height());
  const double half = kPointsExtent;
  area.x_min = area.y_min = -half;
  area.x_max = area.y_max = half;
  const auto reference = data.x.slice(0, 0, std::min<std::int64_t>(data.size(), 2000)).to(torch::kCPU);
  return toQImage(scatter_image(x0, area, reference));
}

}  // namespace ddpm::ui
