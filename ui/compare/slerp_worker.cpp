#include "core/checkpoint/checkpoint.h"
#include "core/jobs/checkpoint_model.h"
#include "core/runtime/device.h"
#include "core/sampling/model_checks.h"
#include "core/sampling/reverse_process.h"
#include "core/sampling/slerp.h"
#include "core/util/error.h"

#include "ui/compare/slerp_worker.h"
#include "ui/sampling/trajectory_store.h"

#include <cmath>
#include <exception>

namespace ddpm::ui {

SlerpWorker::SlerpWorker(QObject* parent) : QObject(parent) {}

void SlerpWorker::run(quint64 runId, const std::atomic<bool>* cancel, std::shared_ptr<const CheckpointData> checkpoint,
                      SlerpSettings settings) {
  if (cancel->load()) {
    emit cancelled(runId);
    return;
  }
  try {
    if (!checkpoint) throw Error("there is no model to sample from");
    if (settings.count < 2) throw Error("an interpolation needs at least two values of λ");
    if (settings.samples < 1) throw Error("an interpolation needs at least one pair of samples");
    torch::set_num_threads(recommended_threads(checkpoint->model));
    SlerpStrip strip;
    strip.layout = sampleLayout(checkpoint->sample_shape, settings.samples, "the Compare view");

    SamplerOptions options;
    options.kind = settings.ddpm ? SamplerKind::DDPM : SamplerKind::DDIM;
    options.steps = settings.ddpm ? 0 : settings.steps;
    options.eta = 0.0;  // DDIM deterministic; DDPM takes its σ from the variance
    options.clip_x0 = settings.clipX0;
    options.n = settings.samples;
    options.device = resolve_device("auto");
    const CheckpointModel model = open_checkpoint_model(*checkpoint, options.device);
    const std::int64_t T = model.steps();

    // x_T of each seed, drawn exactly as a plain run with that seed draws it.
    auto noiseOf = [&](std::uint64_t seed) {
      SamplerOptions o = options;
      o.seed = seed;
      return model.reverse_process(o).sample().clone();
    };
    const torch::Tensor a = noiseOf(settings.seedA);
    const torch::Tensor b = noiseOf(settings.seedB);
    // The whole x_T (all N samples) is one vector: in 2D a single pair of points can be
    // nearly opposite, where slerp's weights blow up, while 2N dimensions of noise are
    // nearly orthogonal as the images' 784 are.
    strip.thetaDegrees = angle_between(a, b) * 180.0 / M_PI;
    const torch::Tensor middle = slerp(a, b, 0.5);
    double normA = 0.0, normMid = 0.0, normLine = 0.0;
    for (int i = 0; i < settings.samples; ++i) {
      normA += a[i].norm().item<double>();
      normMid += middle[i].norm().item<double>();
      normLine += ((a[i] + b[i]) * 0.5).norm().item<double>();
    }
    strip.normA = normA / settings.samples;
    strip.normMid = normMid / settings.samples;
    strip.normLine = normLine / settings.samples;

    options.seed = settings.seedA;
    const int perRun = static_cast<int>(sampling_timesteps(options, T).size());
    const int total = perRun * settings.count;
    int taken = 0;
    for (int j = 0; j < settings.count; ++j) {
      const double lambda = static_cast<double>(j) / (settings.count - 1);
      ReverseProcess process = model.reverse_process(options);
      // Same seed for every λ: DDPM's z is shared; DDIM with η = 0 draws none.
      process.continue_from(slerp(a, b, lambda), T - 1, settings.seedA);
      while (!process.done()) {
        if (cancel->load()) {
          emit cancelled(runId);
          return;
        }
        process.step();
        ++taken;
        if (taken % 10 == 0) emit progress(runId, taken, total);
      }
      const auto x0 = process.sample().detach().to(torch::kCPU, torch::kFloat32).contiguous();
      strip.lambdas.push_back(lambda);
      strip.samples.insert(strip.samples.end(), x0.data_ptr<float>(), x0.data_ptr<float>() + x0.numel());
    }
    emit progress(runId, total, total);
    emit finished(runId, strip);
  } catch (const std::exception& e) {  // ddpm::Error with a sentence, or anything torch throws
    emit failed(runId, QString::fromStdString(e.what()));
  }
}

}  // namespace ddpm::ui
