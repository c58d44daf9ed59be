#include "core/checkpoint/checkpoint.h"
#include "core/data/dataset.h"
#include "core/data/fashion_mnist.h"
#include "core/data/image_file.h"
#include "core/jobs/checkpoint_model.h"
#include "core/jobs/guidance_strip.h"
#include "core/jobs/progressive_figure.h"
#include "core/jobs/shared_latent_figure.h"
#include "core/jobs/interpolation_figure.h"
#include "core/jobs/test_data.h"
#include "core/runtime/random.h"
#include "core/sampling/model_checks.h"
#include "core/sampling/reverse_process.h"
#include "core/util/error.h"

#include "ui/sampling/exploration.h"
#include "ui/sampling/sampler_options.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace ddpm::ui {

namespace {

std::vector<float> floatsOf(const torch::Tensor& x) {
  const auto cpu = x.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  return std::vector<float>(cpu.data_ptr<float>(), cpu.data_ptr<float>() + cpu.numel());
}

bool isPoints(const CheckpointData& checkpoint) {
  return checkpoint.sample_shape.size() == 1 && checkpoint.sample_shape[0] == 2;
}

bool isImages(const CheckpointData& checkpoint) {
  const auto& s = checkpoint.sample_shape;
  return s.size() == 3 && (s[0] == 1 || s[0] == 3);
}

SampleGrid emptyGridFor(const CheckpointData& checkpoint) {
  SampleGrid grid;
  if (isPoints(checkpoint)) {
    grid.kind = SampleGrid::Kind::Points;
    grid.channels = 2;
  } else if (isImages(checkpoint)) {
    grid.kind = SampleGrid::Kind::Images;
    grid.channels = static_cast<int>(checkpoint.sample_shape[0]);
    grid.height = static_cast<int>(checkpoint.sample_shape[1]);
    grid.width = static_cast<int>(checkpoint.sample_shape[2]);
  } else {
    throw Error("the Sampling view can show 2D points or images with 1 or 3 channels; this model makes samples of "
                "shape " + shape_text(checkpoint.sample_shape));
  }
  return grid;
}

bool cancelled(const std::atomic<bool>* cancel) {
  return cancel && cancel->load();
}

std::vector<float> row(const torch::Tensor& x, std::int64_t i) {
  return floatsOf(x.narrow(0, i, 1));
}

}  // namespace

SampleGrid computeBranches(const CheckpointData& checkpoint, const SamplingSettings& settings, int frame,
                           int branches, quint64 branchSeed, int maxRows, const std::atomic<bool>* cancel) {
  SampleGrid grid = emptyGridFor(checkpoint);
  if (branches < 1) throw Error("branching needs at least one branch");
  torch::set_num_threads(recommended_threads(checkpoint.model));  // as SamplingWorker: the same kernels
  const SamplerOptions options = toSamplerOptions(settings);
  const CheckpointModel model = open_checkpoint_model(checkpoint, options.device);
  ReverseProcess trunk = model.reverse_process(options);
  const int K = static_cast<int>(trunk.total_steps());
  if (frame < 0 || frame >= K)
    throw Error("branching starts at a step that has a next step (0 … " + std::to_string(K - 1) +
                "); step " + std::to_string(frame) + " is " + (frame == K ? "already x_0" : "outside the run"));
  // The same seed replays the recorded run exactly, so x_t here is the float state of frame k.
  for (int k = 0; k < frame; ++k) {
    if (cancelled(cancel)) return {};
    trunk.step();
  }
  const torch::Tensor x_t = trunk.sample();  // never modified in place: safe to keep
  const std::int64_t t = trunk.next_t();
  if (run_to_end(trunk, {}, cancel) == RunStatus::Cancelled) return {};

  SamplerOptions branchOptions = options;
  branchOptions.n = grid.kind == SampleGrid::Kind::Images ? std::min<std::int64_t>(options.n, std::max(1, maxRows))
                                                         : options.n;
  const torch::Tensor start = x_t.narrow(0, 0, branchOptions.n);
  std::vector<torch::Tensor> endings;
  for (int b = 0; b < branches; ++b) {
    ReverseProcess branch = model.reverse_process(branchOptions);
    branch.continue_from(start, t, branchSeed + static_cast<quint64>(b));
    if (run_to_end(branch, {}, cancel) == RunStatus::Cancelled) return {};
    endings.push_back(branch.sample());
  }

  grid.columns = 2 + branches;
  grid.columnLabels << QStringLiteral("xₜ at step %1").arg(frame) << QStringLiteral("trunk's x₀");
  for (int b = 0; b < branches; ++b) grid.columnLabels << QStringLiteral("branch %1").arg(b + 1);
  grid.title = QStringLiteral("Branched after step %1 of %2: steps t = %3 … 0 re-drawn with seeds %4 … %5")
                   .arg(frame)
                   .arg(K)
                   .arg(t)
                   .arg(branchSeed)
                   .arg(branchSeed + static_cast<quint64>(branches) - 1);
  if (grid.kind == SampleGrid::Kind::Images) {
    grid.rows = static_cast<int>(branchOptions.n);
    for (int r = 0; r < grid.rows; ++r) {
      grid.rowLabels << QStringLiteral("#%1").arg(r + 1);
      grid.cells.push_back(row(x_t, r));
      grid.cells.push_back(row(trunk.sample(), r));
      for (const auto& ending : endings) grid.cells.push_back(row(ending, r));
    }
  } else {
    // Whole clouds: two rows, each cell labelled, so the clouds stay large.
    grid.points = static_cast<int>(options.n);
    grid.cellLabels = grid.columnLabels;
    grid.columnLabels.clear();
    grid.columns = (2 + branches + 1) / 2;
    grid.rows = (2 + branches + grid.columns - 1) / grid.columns;
    grid.cells.push_back(floatsOf(x_t));
    grid.cells.push_back(floatsOf(trunk.sample()));
    for (const auto& ending : endings) grid.cells.push_back(floatsOf(ending));
    grid.cells.resize(static_cast<std::size_t>(grid.rows) * grid.columns);
  }
  return grid;
}

SampleGrid computeGuidanceStrip(const CheckpointData& checkpoint, const SamplingSettings& settings,
                                const std::vector<double>& strengths, int maxRows, const std::atomic<bool>* cancel) {
  SampleGrid grid = emptyGridFor(checkpoint);
  torch::set_num_threads(recommended_threads(checkpoint.model));
  GuidanceStripOptions options;
  options.sampler = toSamplerOptions(settings);
  if (grid.kind == SampleGrid::Kind::Images) options.sampler.n = std::min<std::int64_t>(options.sampler.n, std::max(1, maxRows));
  options.strengths = strengths;
  const CheckpointModel model = open_checkpoint_model(checkpoint, options.sampler.device);
  const GuidanceStrip strip = guidance_strip(model, options, {}, cancel);
  if (strip.status == RunStatus::Cancelled) return {};

  const QString name = QString::fromStdString(strip.strength_name);
  grid.columns = static_cast<int>(strengths.size());
  for (const double strength : strengths) grid.columnLabels << QStringLiteral("%1 = %2").arg(name).arg(strength, 0, 'g', 3);
  grid.title = name == QLatin1String("w") ? QStringLiteral("Class %1, seed %2, at each classifier-free guidance weight w")
                                                .arg(settings.classLabel)
                                                .arg(settings.seed)
                                          : QStringLiteral("Class %1, seed %2, at each classifier scale s")
                                                .arg(settings.classifierClass)
                                                .arg(settings.seed);
  if (grid.kind == SampleGrid::Kind::Images) {
    grid.rows = static_cast<int>(options.sampler.n);
    for (int r = 0; r < grid.rows; ++r) {
      grid.rowLabels << QStringLiteral("#%1").arg(r + 1);
      for (const auto& samples : strip.samples) grid.cells.push_back(row(samples, r));
    }
  } else {
    grid.rows = 1;
    grid.points = static_cast<int>(options.sampler.n);
    grid.rowLabels << QString();
    for (const auto& samples : strip.samples) grid.cells.push_back(floatsOf(samples));
  }
  return grid;
}

SampleGrid computeProgressive(const CheckpointData& checkpoint, const SamplingSettings& settings, int snapshots,
                              int maxRows, const std::atomic<bool>* cancel) {
  SampleGrid grid = emptyGridFor(checkpoint);
  if (grid.kind != SampleGrid::Kind::Images) throw Error("progressive generation shows images; this model makes 2D points");
  torch::set_num_threads(recommended_threads(checkpoint.model));
  SamplerOptions options = toSamplerOptions(settings);
  options.n = std::min<std::int64_t>(options.n, std::max(1, maxRows));
  const CheckpointModel model = open_checkpoint_model(checkpoint, options.device);
  ReverseProcess process = model.reverse_process(options);
  ProgressiveFigure figure(model.steps(), snapshots);
  if (run_to_end(process, [&](const ReverseProcess& p) { figure.observe(p); }, cancel) == RunStatus::Cancelled) return {};
  const torch::Tensor images = figure.images(process);

  grid.rows = static_cast<int>(options.n);
  grid.columns = snapshots + 1;
  // Short labels for a row of 11 small cells: t is named once, on its first column.
  for (const auto level : figure.levels())
    grid.columnLabels << (level == 0                   ? QStringLiteral("x₀")
                          : grid.columnLabels.isEmpty() ? QStringLiteral("t = %1").arg(level)
                                                        : QString::number(level));
  grid.title = QStringLiteral("Progressive generation (Fig. 6): x̂₀ every %1 steps, seed %2")
                   .arg(model.steps() / snapshots)
                   .arg(settings.seed);
  for (int r = 0; r < grid.rows; ++r) grid.rowLabels << QStringLiteral("#%1").arg(r + 1);
  for (std::int64_t i = 0; i < images.size(0); ++i) grid.cells.push_back(row(images, i));
  return grid;
}

SampleGrid computeSharedLatent(const CheckpointData& checkpoint, const SamplingSettings& settings,
                               const std::vector<std::int64_t>& levels, int continuations,
                               const std::atomic<bool>* cancel) {
  SampleGrid grid = emptyGridFor(checkpoint);
  if (grid.kind != SampleGrid::Kind::Images) throw Error("shared latents show images; this model makes 2D points");
  torch::set_num_threads(recommended_threads(checkpoint.model));
  SharedLatentOptions options;
  options.sampler = toSamplerOptions(settings);
  options.levels = levels;
  options.continuations = continuations;
  const CheckpointModel model = open_checkpoint_model(checkpoint, options.sampler.device);
  const SharedLatentFigure figure = shared_latent_figure(model, options, {}, cancel);
  if (figure.status == RunStatus::Cancelled) return {};

  grid.rows = static_cast<int>(levels.size());
  grid.columns = 1 + continuations;
  grid.columnLabels << QStringLiteral("xₜ (shared)");
  for (int c = 0; c < continuations; ++c) grid.columnLabels << QStringLiteral("x₀, run %1").arg(c + 1);
  for (const auto t : figure.stopped_at) grid.rowLabels << QStringLiteral("t = %1").arg(t);
  grid.title = QStringLiteral("Shared latents (Fig. 7): one chain from seed %1, stopped, then run on independently")
                   .arg(settings.seed);
  const bool deterministic = settings.sampler != SamplingSettings::Sampler::DDPM &&
                             !(settings.sampler == SamplingSettings::Sampler::DDIM && settings.eta > 0.0);
  if (deterministic) grid.title += QStringLiteral("; this sampler adds no noise, so every run from xₜ is the same");
  for (std::int64_t i = 0; i < figure.images.size(0); ++i) grid.cells.push_back(row(figure.images, i));
  return grid;
}

std::vector<float> reconstructionOriginal(const CheckpointData& checkpoint, const ReconstructionSource& source) {
  const auto& shape = checkpoint.sample_shape;
  switch (source.kind) {
    case ReconstructionSource::Kind::FashionMnistTest: {
      if (shape != std::vector<std::int64_t>{1, 28, 28})
        throw Error("Fashion-MNIST images are 1 × 28 × 28, but this model makes samples of shape " + shape_text(shape) +
                    ": choose an image file instead");
      if (source.index < 0 || source.index >= 10000)
        throw Error("the Fashion-MNIST test set has images 0 … 9999, not " + std::to_string(source.index));
      const FashionMnist data = read_fashion_mnist({}, Split::Test);
      if (source.index >= data.images.size(0))
        throw Error("the Fashion-MNIST test set here has only " + std::to_string(data.images.size(0)) + " images");
      // Pixels 0..255 to [−1, 1], the checkpoint's normalisation (as training saw them).
      const auto raw = data.images.narrow(0, source.index, 1).to(torch::kFloat32);
      return floatsOf(checkpoint.normalisation.normalise(raw));
    }
    case ReconstructionSource::Kind::ImageFile: {
      if (!isImages(checkpoint) || shape[1] != shape[2])
        throw Error("an image file can be reconstructed by a model of square images; this one makes samples of shape " +
                    shape_text(shape));
      if (source.path.isEmpty()) throw Error("choose an image file first");
      return floatsOf(load_image_file(source.path.toStdString(), shape[1], shape[0]));  // already in [−1, 1]
    }
    case ReconstructionSource::Kind::DataPoints: {
      if (!isPoints(checkpoint))
        throw Error("data points can be reconstructed by a 2D model; this one makes samples of shape " + shape_text(shape));
      if (source.points < 1) throw Error("a reconstruction needs at least one point");
      DataOptions options;
      options.split = Split::Test;
      options.toy_points = source.points;
      options.limit = source.points;
      options.seed = source.seed;
      const Dataset data = load_dataset(checkpoint.data_spec, options);
      if (data.kind != DataKind::Points2D) throw Error("the model's data '" + checkpoint.data_spec + "' is not 2D");
      // Into the model's own normalised space (its training set's mean and spread).
      return floatsOf(checkpoint.normalisation.normalise(data.normalisation.denormalise(data.x)));
    }
  }
  throw Error("unknown reconstruction source");
}

std::vector<int> reconstructionTimesteps(int T) {
  std::vector<int> ts;
  for (double fraction : {0.1, 0.25, 0.5, 0.75}) {
    const int t = static_cast<int>(std::lround(fraction * T));
    if (t >= 0 && t < T - 1 && (ts.empty() || ts.back() != t)) ts.push_back(t);
  }
  if (T >= 1) ts.push_back(T - 1);
  return ts;
}

SampleGrid computeReconstruction(const CheckpointData& checkpoint, const SamplingSettings& settings,
                                 const std::vector<float>& x0, const std::vector<int>& ts, int draws, quint64 seed,
                                 const std::atomic<bool>* cancel) {
  SampleGrid grid = emptyGridFor(checkpoint);
  if (draws < 1) throw Error("a reconstruction needs at least one draw");
  if (ts.empty()) throw Error("a reconstruction needs at least one t");
  std::vector<std::int64_t> shape;  // [n, sample_shape…]
  std::int64_t perSample = 1;
  for (auto side : checkpoint.sample_shape) perSample *= side;
  if (x0.empty() || x0.size() % static_cast<std::size_t>(perSample) != 0)
    throw Error("the original does not fit the model's sample shape " + shape_text(checkpoint.sample_shape));
  const auto n = static_cast<std::int64_t>(x0.size()) / perSample;
  if (grid.kind == SampleGrid::Kind::Images && n != 1) throw Error("reconstruct one image at a time");
  shape.push_back(n);
  shape.insert(shape.end(), checkpoint.sample_shape.begin(), checkpoint.sample_shape.end());
  const torch::Tensor original = torch::from_blob(const_cast<float*>(x0.data()), shape, torch::kFloat32).clone();

  torch::set_num_threads(recommended_threads(checkpoint.model));
  SamplerOptions options = toSamplerOptions(settings);
  options.n = n;
  const CheckpointModel model = open_checkpoint_model(checkpoint, options.device);
  const int T = static_cast<int>(model.steps());

  grid.rows = static_cast<int>(ts.size());
  grid.columns = 2 + draws;
  grid.points = grid.kind == SampleGrid::Kind::Points ? static_cast<int>(n) : 0;
  grid.columnLabels << QStringLiteral("x₀ (real)") << QStringLiteral("xₜ ~ q(xₜ | x₀)");
  for (int d = 0; d < draws; ++d) grid.columnLabels << QStringLiteral("seed %1").arg(seed + static_cast<quint64>(d));
  grid.title = QStringLiteral("Noised to xₜ, then denoised back from t: what survives of x₀");
  for (int t : ts) {
    if (t < 0 || t >= T) throw Error("t must be in 0 … " + std::to_string(T - 1) + ", got " + std::to_string(t));
    grid.rowLabels << QStringLiteral("t = %1").arg(t);
    grid.cells.push_back(x0);
    std::vector<std::vector<float>> endings;
    std::vector<float> firstNoisy;
    for (int d = 0; d < draws; ++d) {
      if (cancelled(cancel)) return {};
      const quint64 drawSeed = seed + static_cast<quint64>(d);
      at::Generator generator = make_generator(drawSeed);
      const torch::Tensor noise = randn_like(original, generator);
      const torch::Tensor x_t = model.diffusion.q_sample(original, t, noise);  // eq. 4
      if (d == 0) firstNoisy = floatsOf(x_t);
      ReverseProcess process = model.reverse_process(options);
      process.continue_from(x_t, t, drawSeed);
      if (run_to_end(process, {}, cancel) == RunStatus::Cancelled) return {};
      endings.push_back(floatsOf(process.sample()));
    }
    grid.cells.push_back(std::move(firstNoisy));
    for (auto& ending : endings) grid.cells.push_back(std::move(ending));
  }
  return grid;
}

SampleGrid computeInterpolation(const CheckpointData& checkpoint, const SamplingSettings& settings, int first,
                                int second, int t, int lambdas, const std::atomic<bool>* cancel) {
  SampleGrid grid = emptyGridFor(checkpoint);
  if (grid.kind != SampleGrid::Kind::Images) throw Error("interpolation mixes two images; this model makes 2D points");
  const TestData data = test_data_for(checkpoint, {});
  const auto count = static_cast<int>(data.x.size(0));
  for (const int i : {first, second})
    if (i < 0 || i >= count)
      throw Error("the test images are numbered 0 to " + std::to_string(count - 1) + ", not " + std::to_string(i));

  torch::set_num_threads(recommended_threads(checkpoint.model));
  InterpolationOptions options;
  options.sampler = toSamplerOptions(settings);
  options.levels = {t};
  options.lambdas = lambdas;
  const CheckpointModel model = open_checkpoint_model(checkpoint, options.sampler.device);
  const InterpolationFigure figure =
      interpolation_figure(model, data.x.narrow(0, first, 1), data.x.narrow(0, second, 1), options, {}, cancel);
  if (figure.status == RunStatus::Cancelled) return {};

  grid.rows = 1;
  grid.columns = lambdas + 2;
  grid.title = QStringLiteral("Test #%1 and #%2 noised to t = %3, mixed, denoised (Figs. 8–9)").arg(first).arg(second).arg(t);
  grid.rowLabels << QStringLiteral("t = %1").arg(t);
  // Short labels: a row of up to 23 small cells. λ is named once, on its first column.
  grid.columnLabels << QStringLiteral("#%1").arg(first);
  for (int i = 0; i < lambdas; ++i)
    grid.columnLabels << (i == 0 ? QStringLiteral("λ = 0") : QString::number(static_cast<double>(i) / (lambdas - 1), 'g', 2));
  grid.columnLabels << QStringLiteral("#%1").arg(second);
  for (std::int64_t i = 0; i < figure.images.size(0); ++i) grid.cells.push_back(row(figure.images, i));
  return grid;
}

}  // namespace ddpm::ui
