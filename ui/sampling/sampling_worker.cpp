#include "core/checkpoint/checkpoint.h"
#include "core/jobs/sample_job.h"
#include "core/sampling/model_checks.h"
#include "core/sampling/reverse_process.h"
#include "core/util/error.h"

#include "ui/sampling/sampling_worker.h"
#include "ui/sampling/sampler_options.h"
#include "ui/sampling/trajectory_store.h"

#include <QElapsedTimer>

#include <cmath>
#include <exception>

namespace ddpm::ui {

namespace {

// At most one batch of frames per this many milliseconds reaches the GUI thread.
constexpr qint64 kBatchMilliseconds = 40;

std::vector<float> floatsOf(const torch::Tensor& x) {
  const auto cpu = x.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  const float* data = cpu.data_ptr<float>();
  return std::vector<float>(data, data + cpu.numel());
}

double standardDeviation(const std::vector<float>& values) {
  if (values.empty()) return 0.0;
  double sum = 0.0;
  for (float v : values) sum += v;
  const double mean = sum / static_cast<double>(values.size());
  double squares = 0.0;
  for (float v : values) squares += (v - mean) * (v - mean);
  return std::sqrt(squares / static_cast<double>(values.size()));
}

std::vector<std::uint8_t> levelsOf(const std::vector<float>& values) {
  std::vector<std::uint8_t> levels(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) levels[i] = quantiseUnit(values[i]);
  return levels;
}

TrajectoryFrame recordFrame(const ReverseProcess& process, const TrajectoryLayout& layout) {
  TrajectoryFrame frame;
  frame.step = static_cast<int>(process.steps_taken());
  frame.t = static_cast<int>(process.t());
  frame.sigma = process.sigma();
  std::vector<float> xt = floatsOf(process.sample());
  frame.xtStd = standardDeviation(xt);
  if (process.predicted_eps_class().defined())
    frame.guidanceGap = (process.predicted_eps_class() - process.predicted_eps_null()).pow(2).mean().sqrt().item<double>();
  if (process.classifier_gradient().defined())
    frame.classifierGradient = process.classifier_gradient().pow(2).mean().sqrt().item<double>();
  std::vector<float> x0;
  if (process.steps_taken() > 0) x0 = floatsOf(process.predicted_x0());
  if (layout.isImages()) {
    frame.xtBytes = levelsOf(xt);
    frame.x0Bytes = levelsOf(x0);
  } else {
    frame.xtPoints = std::move(xt);
    frame.x0Points = std::move(x0);
  }
  return frame;
}

TrajectoryLayout layoutOf(const CheckpointData& checkpoint, const ReverseProcess& process, int samples) {
  TrajectoryLayout layout = sampleLayout(checkpoint.sample_shape, samples, "the Sampling view");
  layout.scheduleSteps = static_cast<int>(process.diffusion().steps());
  for (auto t : process.step_sequence()) layout.timesteps.push_back(static_cast<int>(t));
  return layout;
}

}  // namespace

SamplingWorker::SamplingWorker(QObject* parent) : QObject(parent) {}

void SamplingWorker::run(quint64 runId, const std::atomic<bool>* cancel, std::shared_ptr<const CheckpointData> checkpoint,
                         SamplingSettings settings) {
  QElapsedTimer clock;
  clock.start();
  if (cancel->load()) {
    emit finished(runId, true, 0.0);
    return;
  }
  try {
    if (!checkpoint) throw Error("there is no model to sample from");
    // Threads suit the network (1 for the small MLP, all cores for a UNet); set on this
    // thread, which is the one that runs the network.
    torch::set_num_threads(recommended_threads(checkpoint->model));
    SampleJobOptions options;
    options.sampler = toSamplerOptions(settings);
    SampleJob job(*checkpoint, options);
    const ReverseProcess& process = job.process();
    const TrajectoryLayout layout = layoutOf(*checkpoint, process, settings.samples);
    emit started(runId, layout);

    const int total = layout.totalSteps();
    std::vector<TrajectoryFrame> batch;
    batch.push_back(recordFrame(process, layout));
    QElapsedTimer sinceBatch;
    sinceBatch.start();
    auto flush = [&] {
      if (batch.empty()) return;
      emit framesRecorded(runId, batch);
      batch.clear();
      const double seconds = clock.elapsed() / 1000.0;
      const double rate = seconds > 0 ? static_cast<double>(process.steps_taken()) / seconds : 0.0;
      emit progress(runId, static_cast<int>(process.steps_taken()), total, rate);
      sinceBatch.restart();
    };
    const RunStatus status = job.run(
        [&](const ReverseProcess& p) {
          batch.push_back(recordFrame(p, layout));
          if (sinceBatch.elapsed() >= kBatchMilliseconds) flush();
        },
        cancel);
    flush();
    emit finished(runId, status == RunStatus::Cancelled, clock.elapsed() / 1000.0);
  } catch (const std::exception& e) {  // ddpm::Error with a sentence, or anything torch throws
    emit failed(runId, QString::fromStdString(e.what()));
  }
}

}  // namespace ddpm::ui
