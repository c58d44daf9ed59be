// The 2D quality claim, cheaply: an mlp trained briefly on moons (CPU, short schedule)
// draws samples whose energy distance to held-out moons is a small fraction of a fitted
// Gaussian's, while the same network untrained does worse than the Gaussian.
// (The full measurement, T = 1000 and thousands of steps, is bench/quality_2d.sh.)
#include "core/data/dataset.h"
#include "core/metrics/energy_distance.h"
#include "core/models/denoiser.h"
#include "core/sampling/reverse_process.h"
#include "core/training/trainer.h"

#include <torch/torch.h>

#include <chrono>

#include <QtTest>

using namespace ddpm;

namespace {

constexpr std::int64_t kSamples = 2000;

Dataset moons(Split split) {
  DataOptions options;
  options.split = split;
  options.toy_points = 4000;
  return load_dataset("moons", options);
}

torch::Tensor raw(const Dataset& d, const torch::Tensor& normalised) {
  return d.normalisation.denormalise(normalised.to(torch::kCPU, torch::kFloat64));
}

// T = 100 steps instead of 1000, so the betas are ten times the paper's (1e-3 → 0.2):
// ᾱ_T ≈ 4e-5, still pure noise at the end, and each step's denoising is a bigger,
// easier-to-learn move.
ScheduleSpec short_schedule() {
  ScheduleSpec spec;
  spec.kind = ScheduleKind::Linear;
  spec.steps = 100;
  spec.beta_start = 1e-3;
  spec.beta_end = 0.2;
  return spec;
}

TrainOptions cpu_training() {
  TrainOptions o;
  o.device = "cpu";
  o.batch_size = 256;
  o.learning_rate = 1e-3;
  o.warmup_steps = 100;
  o.ema_decay = 0.995;
  o.seed = 1;
  o.save_resume_state = false;
  return o;
}

QualityScore2d score(const Trainer& trainer, const Dataset& held_out) {
  SamplerOptions sampler;
  sampler.n = kSamples;
  sampler.seed = 2;
  ReverseProcess process(trainer.ema_model(), trainer.diffusion(), {2}, sampler);
  run_to_end(process);
  const auto& data = trainer.dataset();
  return score_2d(raw(data, process.sample()), raw(held_out, held_out.x), raw(data, data.x), /*seed=*/3);
}

}  // namespace

class TestQuality2d : public QObject {
  Q_OBJECT

 private slots:
  void trainedMlp_beatsGaussianBaseline_untrainedDoesNot() {
    const Dataset held_out = moons(Split::Test);
    Trainer trainer(moons(Split::Train), model_preset("mlp", {2}), short_schedule(), cpu_training());

    const QualityScore2d untrained = score(trainer, held_out);
    qInfo("untrained: energy distance %.4g, gaussian %.4g, ratio %.3f", untrained.energy_distance,
          untrained.gaussian_energy_distance, untrained.ratio);
    QVERIFY2(untrained.ratio > 1.0, qPrintable(QString::number(untrained.ratio)));

    const auto start = std::chrono::steady_clock::now();
    QCOMPARE(trainer.run(kTrainSteps).status, TrainStatus::Finished);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const QualityScore2d trained = score(trainer, held_out);
    qInfo("trained %lld steps in %.1f s: energy distance %.4g, gaussian %.4g, ratio %.4f",
          static_cast<long long>(kTrainSteps), seconds, trained.energy_distance, trained.gaussian_energy_distance,
          trained.ratio);
    QVERIFY2(trained.ratio < kMaxRatio, qPrintable(QString::number(trained.ratio)));
  }

 private:
  // 1500 steps of batch 256 take about 13 s of CPU time here. Ratios measured with
  // training seeds 1–4: 0.021 (seed 1, the one used), 0.053, 0.016, 0.050; 3000 steps
  // give 0.022 with seed 1. The bound 0.1 is twice the worst of those, so another BLAS or
  // torch version (which changes the run's rounding like a new seed would) still passes,
  // while the untrained network (ratio ≈ 7600: ε_θ ≈ 0 leaves x_T / √ᾱ_T) fails it by far.
  static constexpr std::int64_t kTrainSteps = 1500;
  static constexpr double kMaxRatio = 0.1;
};

QTEST_GUILESS_MAIN(TestQuality2d)
#include "test_quality_2d.moc"
