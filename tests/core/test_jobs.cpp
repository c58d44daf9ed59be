// Torch and core headers before <QtTest>: Qt's `slots` macro breaks ATen otherwise.
#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/shipped_checkpoints.h"
#include "core/data/dataset.h"
#include "core/diffusion/gaussian_diffusion.h"
#include "core/jobs/bound_job.h"
#include "core/jobs/checkpoint_model.h"
#include "core/jobs/interpolation_figure.h"
#include "core/jobs/quality_job.h"
#include "core/jobs/progressive_figure.h"
#include "core/jobs/sample_job.h"
#include "core/jobs/shared_latent_figure.h"
#include "core/jobs/training_job.h"
#include "core/metrics/energy_distance.h"
#include "core/runtime/blas_guard.h"
#include "core/runtime/random.h"
#include "core/sampling/rate_distortion.h"
#include "core/sampling/reverse_process.h"
#include "core/sampling/trajectory.h"
#include "core/sampling/variational_bound.h"
#include "core/training/trainer.h"
#include "core/util/error.h"
#include "checkpoint_fixture.h"
#include "core_test_support.h"
#include "oracle_denoiser.h"

#include <torch/torch.h>

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <cmath>
#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

using namespace ddpm;

namespace {

// The fixture checkpoint (a tiny 2D MLP on moons, T = 100) with resume data.
CheckpointData moons_checkpoint() { return test::fixture_checkpoint(); }

SamplerOptions sampler(SamplerKind kind, std::int64_t steps, ReverseVariance variance, std::int64_t n,
                       std::uint64_t seed) {
  SamplerOptions options;
  options.kind = kind;
  options.steps = steps;
  options.variance = variance;
  options.n = n;
  options.seed = seed;
  return options;
}

// The recipe the jobs replace, written out by hand (2D models clamp x̂_0 into their
// data's range).
ReverseProcess hand_built(const CheckpointData& checkpoint, SamplerOptions options) {
  options.x0_range = checkpoint_x0_range(checkpoint);
  const GaussianDiffusion diffusion{NoiseSchedule(checkpoint.schedule)};
  return ReverseProcess(load_denoiser(checkpoint, options.device), diffusion, checkpoint.sample_shape, options);
}

bool same(const torch::Tensor& a, const torch::Tensor& b) {
  return a.sizes() == b.sizes() && a.scalar_type() == b.scalar_type() && torch::equal(a, b);
}

// An oracle model of images [1, 4, 4] (data N(0, 0.5²)), opened as a checkpoint would be.
CheckpointModel oracle_images() {
  const NoiseSchedule schedule = test::scaled_linear_schedule(30);
  const std::vector<std::int64_t> shape = {1, 4, 4};
  Normalisation normalisation = Normalisation::pixels_to_unit_range();
  return CheckpointModel{std::make_shared<test::OracleDenoiserImpl>(schedule, 0.0, 0.5, shape),
                         GaussianDiffusion(schedule), shape, normalisation, torch::kCPU};
}

}  // namespace

class TestJobs : public QObject {
  Q_OBJECT

 private slots:
  // Fig. 6: the columns are the chain's own x̂_0 (eq. 15, clamped) from x_t at t = T,
  // T − T/s, …, recomputed here in float64 from the x each of those steps started from,
  // then x_0. x̂_0 divides a near-cancelling difference by √ᾱ_t, so float32's rounding is
  // allowed to grow by 1/√ᾱ_t (1e-5/√ᾱ_t: 1.6e-3 at t = T here, 8e-5 measured).
  void progressiveFigure_takesTheChainsPredictions() {
    const CheckpointModel model = oracle_images();  // T = 30
    SamplerOptions options;
    options.n = 3;
    options.seed = 5;
    options.clip_x0 = true;
    ReverseProcess process = model.reverse_process(options);
    ProgressiveFigure figure(30, 3);
    QCOMPARE(figure.levels(), (std::vector<std::int64_t>{30, 20, 10, 0}));
    const NoiseSchedule& schedule = model.diffusion.schedule();
    std::vector<torch::Tensor> expected;
    std::vector<double> tolerance;
    while (!process.done()) {
      const torch::Tensor x = process.sample().clone();
      const std::int64_t t = process.next_t();
      process.step();
      figure.observe(process);
      if (t + 1 != 30 && t + 1 != 20 && t + 1 != 10) continue;
      torch::NoGradGuard no_grad;
      const auto eps = model.model->forward(x, torch::full({x.size(0)}, t, torch::kLong)).to(torch::kFloat64);
      const auto ti = static_cast<std::size_t>(t);
      expected.push_back(
          ((x.to(torch::kFloat64) - std::sqrt(schedule.one_minus_alpha_bar[ti]) * eps) / schedule.sqrt_alpha_bar[ti])
              .clamp(-1.0, 1.0));
      tolerance.push_back(1e-5 / schedule.sqrt_alpha_bar[ti]);
    }
    expected.push_back(process.sample().to(torch::kFloat64));
    tolerance.push_back(0.0);
    const torch::Tensor images = figure.images(process);
    QCOMPARE(images.size(0), std::int64_t{12});
    for (std::int64_t i = 0; i < 3; ++i) {
      for (std::int64_t j = 0; j < 4; ++j) {
        const auto column = static_cast<std::size_t>(j);
        const double error = (images[i * 4 + j].to(torch::kFloat64) - expected[column][i]).abs().max().item<double>();
        QVERIFY2(error <= tolerance[column], qPrintable(QString("sample %1, column %2: |error| %3").arg(i).arg(j).arg(error)));
      }
    }
    QVERIFY_THROWS_EXCEPTION(Error, ProgressiveFigure(30, 0));
    QVERIFY_THROWS_EXCEPTION(Error, ProgressiveFigure(30, 31));
    ReverseProcess unseen = model.reverse_process(options);
    run_to_end(unseen);
    QVERIFY_THROWS_EXCEPTION(Error, ProgressiveFigure(30, 3).images(unseen));
  }

  // Fig. 7: from x_T itself the continuations are unrelated samples; from x_1 (paper t = 1)
  // only the last, noiseless step is left, so every continuation is the chain's own x_0.
  void sharedLatentFigure_branchesFromTheChain() {
    const CheckpointModel model = oracle_images();  // T = 30
    SharedLatentOptions options;
    options.sampler.seed = 5;
    options.sampler.clip_x0 = true;
    options.levels = {30, 15, 1};
    options.continuations = 3;
    const SharedLatentFigure figure = shared_latent_figure(model, options);
    QCOMPARE(figure.status, RunStatus::Completed);
    QCOMPARE(figure.stopped_at, (std::vector<std::int64_t>{30, 15, 1}));
    QCOMPARE(figure.images.size(0), std::int64_t{12});

    SamplerOptions alone = options.sampler;
    alone.n = 1;
    ReverseProcess chain = model.reverse_process(alone);
    QVERIFY(torch::equal(figure.images[0], chain.sample()[0]));  // row t = T starts with the chain's x_T
    run_to_end(chain);
    for (std::int64_t j = 1; j <= 3; ++j) QVERIFY(torch::allclose(figure.images[8 + j], chain.sample()[0], 1e-6, 1e-7));
    QVERIFY((figure.images[1] - figure.images[2]).abs().max().item<double>() > 0.1);
    QVERIFY((figure.images[2] - figure.images[3]).abs().max().item<double>() > 0.1);

    for (const std::vector<std::int64_t>& bad : {std::vector<std::int64_t>{0}, {31}, {}}) {
      options.levels = bad;
      QVERIFY_THROWS_EXCEPTION(Error, shared_latent_figure(model, options));
    }
  }

  // Fig. 5 / Table 4 from the exact bound: rate(0) is L_T alone, each step adds the term of
  // the x_t it reaches (rate(k) − rate(k − 1) = the code index T − k term), rate(T) is the
  // whole bound; distortion(0) is the RMSE of x̂_0 from x_T, recomputed here in float64
  // from the bound's own draw of x_T (the 30th normal draw of its generator: one per term,
  // t ascending), and distortion(T) is 0.
  void rateDistortion_followsTheBound() {
    const CheckpointModel model = oracle_images();  // T = 30
    auto data_generator = make_generator(11);
    const torch::Tensor x0 = (0.5 * randn({5, 1, 4, 4}, data_generator)).clamp(-1.0, 1.0);
    BoundOptions options;
    options.clip_x0 = true;
    options.seed = 3;
    const VariationalBound bound = variational_bound(model.model, model.diffusion, x0, options);
    const auto curve = rate_distortion(bound);
    QCOMPARE(curve.size(), std::size_t{31});
    QCOMPARE(curve[0].steps, std::int64_t{0});
    QCOMPARE(curve[0].t, std::int64_t{30});
    QCOMPARE(curve[0].rate_bits_per_dim, bound.prior_bits_per_dim);
    for (std::size_t k = 1; k <= 30; ++k) {
      QCOMPARE(curve[k].t, std::int64_t(30 - k));
      const double step = curve[k].rate_bits_per_dim - curve[k - 1].rate_bits_per_dim;
      QVERIFY(std::abs(step - bound.terms_bits_per_dim[30 - k]) < 1e-12);
    }
    QVERIFY(std::abs(curve[30].rate_bits_per_dim - bound.bits_per_dim) < 1e-12);
    QCOMPARE(curve[30].distortion_rmse, 0.0);

    auto generator = make_generator(3);
    torch::Tensor eps;
    for (int draw = 0; draw < 30; ++draw) eps = randn_like(x0, generator);
    const NoiseSchedule& schedule = model.diffusion.schedule();
    const auto x_T = (x0 * schedule.sqrt_alpha_bar[29] + eps * std::sqrt(schedule.one_minus_alpha_bar[29])).to(torch::kFloat32);
    torch::NoGradGuard no_grad;
    const auto eps_theta = model.model->forward(x_T, torch::full({5}, 29, torch::kLong)).to(torch::kFloat64);
    const auto x0_hat =
        ((x_T.to(torch::kFloat64) - std::sqrt(schedule.one_minus_alpha_bar[29]) * eps_theta) / schedule.sqrt_alpha_bar[29])
            .clamp(-1.0, 1.0);
    const double expected = 127.5 * (x0_hat - x0.to(torch::kFloat64)).square().mean().sqrt().item<double>();
    QVERIFY2(std::abs(curve[0].distortion_rmse - expected) < 1e-3 * expected,
             qPrintable(QString("%1 against %2").arg(curve[0].distortion_rmse).arg(expected)));
    QVERIFY(curve[29].distortion_rmse < curve[0].distortion_rmse);  // from x_1 far less is missing

    options.terms = 5;  // stratified: not every step's rate is known
    QVERIFY_THROWS_EXCEPTION(Error, rate_distortion(variational_bound(model.model, model.diffusion, x0, options)));
    VariationalBound cancelled;
    cancelled.status = RunStatus::Cancelled;
    QVERIFY_THROWS_EXCEPTION(Error, rate_distortion(cancelled));
    const std::string csv = rate_distortion_csv(curve);
    QVERIFY(csv.rfind("steps,t,rate_bits_per_dim,distortion_rmse\n0,30,", 0) == 0);
  }

  // Figs. 8–9: at t = 0 the row is the images and their pixel mix; at t > 0 the λ = 0 and
  // λ = 1 columns are each image's own reconstruction, run alone from q_sample with the
  // same draws (ε then ε' from the seed, the reverse noise from seed + 1 + row), because
  // the row's noise is shared by all λ.
  void interpolationFigure_mixesAndReconstructs() {
    const CheckpointModel model = oracle_images();  // T = 30
    auto data_generator = make_generator(12);
    const torch::Tensor a = (0.5 * randn({1, 1, 4, 4}, data_generator)).clamp(-1.0, 1.0);
    const torch::Tensor b = (0.5 * randn({1, 1, 4, 4}, data_generator)).clamp(-1.0, 1.0);
    InterpolationOptions options;
    options.sampler.seed = 7;
    options.sampler.clip_x0 = false;  // no clamp: the chain stays affine in x_t (below)
    options.levels = {0, 20};
    options.lambdas = 5;
    const InterpolationFigure figure = interpolation_figure(model, a, b, options);
    QCOMPARE(figure.status, RunStatus::Completed);
    QCOMPARE(figure.images.size(0), std::int64_t{14});  // 2 rows of x_0 | 5 λ | x'_0
    for (const std::int64_t row : {0, 7}) {
      QVERIFY(torch::equal(figure.images[row], a[0]));
      QVERIFY(torch::equal(figure.images[row + 6], b[0]));
    }
    QVERIFY(torch::allclose(figure.images[1], a[0]));
    QVERIFY(torch::allclose(figure.images[5], b[0]));
    QVERIFY(torch::allclose(figure.images[3], 0.5 * (a[0] + b[0]), 1e-6, 1e-6));

    auto generator = make_generator(7);
    const torch::Tensor eps = randn_like(a, generator), eps_prime = randn_like(b, generator);
    for (const auto& [image, noise, column] : {std::tuple{a, eps, 8}, std::tuple{b, eps_prime, 12}}) {
      SamplerOptions alone = options.sampler;
      alone.n = 1;
      ReverseProcess process = model.reverse_process(alone);
      process.continue_from(model.diffusion.q_sample(image, 19, noise), 19, 7 + 1 + 1);
      run_to_end(process);
      const double error = (figure.images[column] - process.sample()[0]).abs().max().item<double>();
      QVERIFY2(error < 1e-5, qPrintable(QString("column %1: %2").arg(column).arg(error)));
    }
    // The oracle's reverse step is affine in x_t, so with one noise for the whole row the
    // columns are affine in λ; independent noise per column would break this by ~σ_t.
    QVERIFY((figure.images[8] - figure.images[12]).abs().max().item<double>() > 0.01);
    for (const auto& [column, lambda] : {std::pair{9, 0.25}, std::pair{10, 0.5}, std::pair{11, 0.75}}) {
      const auto affine = (1.0 - lambda) * figure.images[8] + lambda * figure.images[12];
      QVERIFY2(torch::allclose(figure.images[column], affine, 1e-5, 1e-5), qPrintable(QString::number(column)));
    }
    QVERIFY(torch::equal(interpolation_figure(model, a, b, options).images, figure.images));

    for (const auto& bad : {std::vector<std::int64_t>{31}, {-1}, {}}) {
      InterpolationOptions wrong = options;
      wrong.levels = bad;
      QVERIFY_THROWS_EXCEPTION(Error, interpolation_figure(model, a, b, wrong));
    }
    options.lambdas = 1;
    QVERIFY_THROWS_EXCEPTION(Error, interpolation_figure(model, a, b, options));
    options.lambdas = 3;
    QVERIFY_THROWS_EXCEPTION(Error, interpolation_figure(model, torch::zeros({1, 1, 5, 5}), b, options));
  }

  // ---- sample a checkpoint ------------------------------------------------------------

  void openReverseProcess_equalsHandBuiltProcess_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("variance");
    QTest::newRow("ddpm beta") << 0 << 0 << 0;
    QTest::newRow("ddpm posterior") << 0 << 0 << 1;
    QTest::newRow("ddim 10") << 1 << 10 << 0;
  }
  void openReverseProcess_equalsHandBuiltProcess() {
    QFETCH(int, kind);
    QFETCH(int, steps);
    QFETCH(int, variance);
    const CheckpointData checkpoint = moons_checkpoint();
    const SamplerOptions options = sampler(kind ? SamplerKind::DDIM : SamplerKind::DDPM, steps,
                                           variance ? ReverseVariance::Posterior : ReverseVariance::Beta, 9, 5);
    ReverseProcess expected = hand_built(checkpoint, options);
    ReverseProcess process = open_reverse_process(checkpoint, options);
    QCOMPARE(process.total_steps(), expected.total_steps());
    QVERIFY(same(process.sample(), expected.sample()));
    run_to_end(expected);
    run_to_end(process);
    QVERIFY(same(process.sample(), expected.sample()));
  }

  // The shipped 2D models under every sampler (DDPM's two variances on moons only, for
  // time) stay near their data: no sample beyond the
  // training points' range widened by 15 % of its width on each side (x̂_0 is clamped
  // at 10 %; DDPM's last step adds σ_1 z with σ_1 = 0.01). Without the clamp, DDIM with 50
  // steps on moons threw 8 of 2,000 points (seed 0) beyond |x| = 4, one to x ≈ 110.
  void shippedTwoDModels_everySampler_stayNearTheirData() {
    struct Run {
      SamplerKind kind;
      std::int64_t steps;
      double eta;
      ReverseVariance variance;
      std::int64_t n;
    };
    const Run runs[] = {{SamplerKind::DDPM, 0, 0.0, ReverseVariance::Beta, 200},
                        {SamplerKind::DDPM, 0, 0.0, ReverseVariance::Posterior, 200},
                        {SamplerKind::DDIM, 50, 0.0, ReverseVariance::Beta, 2000},
                        {SamplerKind::DDIM, 50, 1.0, ReverseVariance::Beta, 2000},
                        {SamplerKind::DDIM, 10, 0.0, ReverseVariance::Beta, 2000}};
    const int threads = at::get_num_threads();
    at::set_num_threads(1);  // small batches: one thread is fastest (docs/performance.md)
    for (const char* name : {"moons", "swissroll", "gaussians8"}) {
      const CheckpointData checkpoint = load_checkpoint(resolve_checkpoint(name));
      QVERIFY(checkpoint.sample_shape == std::vector<std::int64_t>{2});
      const Dataset data = load_dataset(checkpoint.data_spec);
      const auto raw = data.normalisation.denormalise(data.x.to(torch::kFloat64));
      const auto low = std::get<0>(raw.min(0)), high = std::get<0>(raw.max(0));
      const auto lowest = low - 0.15 * (high - low), highest = high + 0.15 * (high - low);
      const CheckpointModel model = open_checkpoint_model(checkpoint, torch::kCPU);
      QVERIFY2(!model.x0_range.empty(), name);
      for (const Run& run : runs) {
        if (run.kind == SamplerKind::DDPM && std::string(name) != "moons") continue;  // 1,000 steps: one model is enough
        SamplerOptions options = sampler(run.kind, run.steps, run.variance, run.n, 0);
        options.eta = run.eta;
        ReverseProcess process = model.reverse_process(options);
        run_to_end(process);
        const auto points = model.to_data_coordinates(process.sample());
        const auto outside = ((points < lowest) | (points > highest)).any(1).sum().item<std::int64_t>();
        QVERIFY2(outside == 0, qPrintable(QStringLiteral("%1, %2 %3 steps η %4: %5 of %6 points outside")
                                              .arg(name)
                                              .arg(run.kind == SamplerKind::DDIM ? "DDIM" : "DDPM")
                                              .arg(run.steps)
                                              .arg(run.eta)
                                              .arg(outside)
                                              .arg(run.n)));
      }
    }
    at::set_num_threads(threads);
  }

  void sampleJob_equalsHandBuiltRunInBothCoordinates() {
    const CheckpointData checkpoint = moons_checkpoint();
    SampleJobOptions options;
    options.sampler = sampler(SamplerKind::DDIM, 20, ReverseVariance::Beta, 16, 3);
    options.sampler.eta = 0.5;
    SampleJob job(checkpoint, options);
    std::int64_t calls = 0;
    QCOMPARE(job.run([&](const ReverseProcess& p) { QCOMPARE(p.steps_taken(), ++calls); }), RunStatus::Completed);
    QCOMPARE(calls, std::int64_t{20});
    QVERIFY(job.frames().empty());

    ReverseProcess expected = hand_built(checkpoint, options.sampler);
    run_to_end(expected);
    QVERIFY(same(job.samples(), expected.sample()));
    // Data coordinates: raw = offset + scale · x per coordinate, in double.
    const auto x = expected.sample().to(torch::kFloat64);
    const auto raw = torch::stack({0.5 + 0.875 * x.select(1, 0), 0.25 + 0.5 * x.select(1, 1)}, 1);
    const torch::Tensor data = job.samples_in_data_coordinates();
    QCOMPARE(data.scalar_type(), torch::kFloat64);
    QVERIFY(torch::allclose(data, raw, 0.0, 1e-15));
  }

  // Two runs at once in one process (Compare's A and B, sampling beside training) give
  // exactly what each gives alone. Without core's BLAS guard, Debian's serial OpenBLAS
  // made this moons case diverge after ~500 of 1000 steps (docs/reliability.md).
  void sampleJobs_onTwoThreadsAtOnce_equalEachRunAlone() {
    QVERIFY2(blas_calls_serialised(), "this executable lost core's BLAS guard");
    const CheckpointData checkpoint = load_checkpoint(resolve_checkpoint("moons"));
    const int threads = at::get_num_threads();
    at::set_num_threads(1);  // as the Compare view's 2D runs
    auto run = [&](std::uint64_t seed) {
      at::set_num_threads(1);  // per thread: torch's intra-op count is thread-local
      SampleJobOptions options;
      options.sampler = sampler(SamplerKind::DDPM, 0, ReverseVariance::Beta, 200, seed);
      SampleJob job(checkpoint, options);
      job.run([](const ReverseProcess&) {});
      return job.samples().clone();
    };
    const torch::Tensor aloneA = run(1), aloneB = run(2);
    for (int round = 0; round < 2; ++round) {
      torch::Tensor a, b;
      std::thread first([&] { a = run(1); });
      std::thread second([&] { b = run(2); });
      first.join();
      second.join();
      QVERIFY2(same(a, aloneA), qPrintable(QStringLiteral("round %1: A differs from A alone by up to %2")
                                               .arg(round)
                                               .arg((a - aloneA).abs().max().item<double>())));
      QVERIFY2(same(b, aloneB), qPrintable(QStringLiteral("round %1: B differs from B alone by up to %2")
                                               .arg(round)
                                               .arg((b - aloneB).abs().max().item<double>())));
    }
    at::set_num_threads(threads);
  }

  void sampleJob_recordsTheTrajectoryAsARecorderDrivenByHand() {
    const CheckpointData checkpoint = moons_checkpoint();
    SampleJobOptions options;
    options.sampler = sampler(SamplerKind::DDPM, 0, ReverseVariance::Beta, 8, 1);
    options.record_trajectory = true;
    options.trajectory.max_frames = 7;
    options.trajectory.plot = PlotArea{64, 64, -3.0, 3.0, -3.0, 3.0};
    SampleJob job(checkpoint, options);
    QCOMPARE(job.run(), RunStatus::Completed);

    ReverseProcess expected = hand_built(checkpoint, options.sampler);
    TrajectoryRecorder recorder(expected.total_steps(), options.trajectory);
    recorder.record(expected);
    run_to_end(expected, [&](const ReverseProcess& p) { recorder.record(p); });
    QCOMPARE(job.frames().size(), std::size_t{7});
    QCOMPARE(job.frames().size(), recorder.frames().size());
    for (std::size_t i = 0; i < recorder.frames().size(); ++i)
      QVERIFY(job.frames()[i].pixels == recorder.frames()[i].pixels);
  }

  void sampleJob_cancelled_stopsAndContinuesOnTheNextRun() {
    const CheckpointData checkpoint = moons_checkpoint();
    SampleJobOptions options;
    options.sampler = sampler(SamplerKind::DDPM, 0, ReverseVariance::Beta, 4, 2);
    SampleJob job(checkpoint, options);
    std::atomic<bool> cancel{false};
    const RunStatus status = job.run(
        [&](const ReverseProcess& p) {
          if (p.steps_taken() == 30) cancel.store(true);
        },
        &cancel);
    QCOMPARE(status, RunStatus::Cancelled);
    QCOMPARE(job.process().steps_taken(), std::int64_t{30});
    cancel.store(false);
    QCOMPARE(job.run({}, &cancel), RunStatus::Completed);
    ReverseProcess expected = hand_built(checkpoint, options.sampler);
    run_to_end(expected);
    QVERIFY(same(job.samples(), expected.sample()));
  }

  void sampleJob_badOptions_throwError() {
    SampleJobOptions options;
    options.sampler = sampler(SamplerKind::DDIM, 101, ReverseVariance::Beta, 4, 0);  // T = 100
    EXPECT_ERROR(SampleJob job(moons_checkpoint(), options), "the number of DDIM steps must be between 1 and T = 100");
  }

  // ---- the bound on data --------------------------------------------------------------

  void boundOnData_equalsVariationalBoundOnTheSameExamples() {
    const CheckpointData checkpoint = moons_checkpoint();
    BoundJobOptions options;
    options.examples = 24;
    options.seed = 11;
    options.terms = 5;
    options.batch_size = 10;
    options.variance = ReverseVariance::Posterior;
    std::int64_t reports = 0;
    const BoundJobResult result = bound_on_data(checkpoint, options, [&](const BoundProgress&) { ++reports; });
    QCOMPARE(result.bound.status, RunStatus::Completed);
    QCOMPARE(result.examples, std::int64_t{24});
    QCOMPARE(result.data_spec, std::string("moons"));
    QVERIFY(!result.images);
    QCOMPARE(result.steps, std::int64_t{100});
    QCOMPARE(reports, static_cast<std::int64_t>(result.bound.evaluated.size()));

    // By hand: the test split, into the checkpoint's coordinates, randperm with the seed.
    DataOptions loading;
    loading.split = Split::Test;
    const Dataset data = load_dataset("moons", loading);
    const torch::Tensor x = checkpoint.normalisation.normalise(data.normalisation.denormalise(data.x.to(torch::kFloat64)))
                                .to(torch::kFloat32);
    auto generator = make_generator(11);
    const auto chosen = torch::randperm(data.size(), generator, torch::kLong).narrow(0, 0, 24);
    BoundOptions bound;
    bound.variance = ReverseVariance::Posterior;
    bound.decoder = DecoderKind::Continuous;
    bound.terms = 5;
    bound.batch_size = 10;
    bound.seed = 11;
    const VariationalBound expected = variational_bound(load_denoiser(checkpoint), GaussianDiffusion(NoiseSchedule(checkpoint.schedule)),
                                                        x.index_select(0, chosen), bound);
    QCOMPARE(result.bound.bits_per_dim, expected.bits_per_dim);
    QCOMPARE(result.bound.prior_bits_per_dim, expected.prior_bits_per_dim);
    QCOMPARE(result.bound.evaluated, expected.evaluated);
    QCOMPARE(result.bound.dims, expected.dims);
  }

  void boundOnData_moreExamplesThanData_usesThemAll() {
    BoundJobOptions options;
    options.data_spec = "moons";
    options.data.limit = 12;
    options.examples = 1000;
    options.terms = 3;
    QCOMPARE(bound_on_data(moons_checkpoint(), options).examples, std::int64_t{12});
  }

  void boundOnData_otherShape_throwsDataMismatchNamingTheSpec() {
    CheckpointData checkpoint = moons_checkpoint();
    checkpoint.sample_shape = {1, 4, 4};
    try {
      bound_on_data(checkpoint, BoundJobOptions{});
      QFAIL("expected DataMismatchError");
    } catch (const DataMismatchError& e) {
      QCOMPARE(e.spec(), std::string("moons"));
      QVERIFY2(std::string(e.what()).find("have samples of shape [2] but the model makes [1, 4, 4]") !=
                   std::string::npos,
               e.what());
    }
  }

  void boundOnData_cancelled_returnsCancelled() {
    std::atomic<bool> cancel{true};
    BoundJobOptions options;
    options.examples = 8;
    const BoundJobResult result = bound_on_data(moons_checkpoint(), options, {}, &cancel);
    QCOMPARE(result.bound.status, RunStatus::Cancelled);
    QVERIFY(std::isnan(result.bound.bits_per_dim));
  }

  // ---- the quality of a sampler -------------------------------------------------------

  void drawQualitySamples_images_batchesWithSeedPlusIInUnitRange() {
    const CheckpointModel model = oracle_images();
    QualitySamplingOptions options;
    options.sampler = sampler(SamplerKind::DDIM, 6, ReverseVariance::Beta, 7, 40);
    options.image_batch = 3;
    QCOMPARE(quality_batch_count(model, options), std::int64_t{3});
    std::vector<std::int64_t> firsts;
    std::int64_t steps = 0;
    const QualitySamples drawn = draw_quality_samples(model, options, [&](const QualityStep& s) {
      QCOMPARE(s.batches, std::int64_t{3});
      if (s.process.steps_taken() == 0)
        firsts.push_back(s.batch);
      else
        ++steps;
    });
    QCOMPARE(drawn.status, RunStatus::Completed);
    QCOMPARE(firsts, (std::vector<std::int64_t>{0, 1, 2}));
    QCOMPARE(steps, std::int64_t{18});

    std::vector<torch::Tensor> parts;
    for (std::int64_t i = 0; i < 3; ++i) {
      SamplerOptions o = options.sampler;
      o.n = i < 2 ? 3 : 1;
      o.seed = 40 + static_cast<std::uint64_t>(i);
      o.clip_x0 = true;
      ReverseProcess p(model.model, model.diffusion, model.sample_shape, o);
      run_to_end(p);
      // pixels = 127.5 x + 127.5, then (pixels − 127.5) / 127.5, in double.
      const auto pixels = 127.5 + 127.5 * p.sample().to(torch::kFloat64);
      parts.push_back(((pixels - 127.5) / 127.5).to(torch::kFloat32));
    }
    QVERIFY(same(drawn.samples, torch::cat(parts, 0)));
  }

  void drawQualitySamples_points_oneBatchInDataCoordinates() {
    const CheckpointData checkpoint = moons_checkpoint();
    const CheckpointModel model = open_checkpoint_model(checkpoint, torch::kCPU);
    QualitySamplingOptions options;
    options.sampler = sampler(SamplerKind::DDPM, 0, ReverseVariance::Beta, 300, 4);
    options.image_batch = 7;  // not used for points
    QCOMPARE(quality_batch_count(model, options), std::int64_t{1});
    const QualitySamples drawn = draw_quality_samples(model, options);
    ReverseProcess expected = hand_built(checkpoint, options.sampler);
    run_to_end(expected);
    QVERIFY(same(drawn.samples, checkpoint.normalisation.denormalise(expected.sample().to(torch::kFloat64))));

    QualityReference reference;
    DataOptions loading;
    loading.limit = 200;
    reference.train_points = points_in_data_coordinates(load_dataset("moons", loading));
    loading.split = Split::Test;
    reference.held_out = points_in_data_coordinates(load_dataset("moons", loading));
    QVERIFY(!reference.images());
    const QualityScore score = score_quality(reference, drawn.samples, 4);
    const QualityScore2d direct = score_2d(drawn.samples, reference.held_out, reference.train_points, 4);
    QVERIFY(!score.images);
    QCOMPARE(score.value(), direct.energy_distance);
    QCOMPARE(score.points.gaussian_energy_distance, direct.gaussian_energy_distance);
    QCOMPARE(score.points.ratio, direct.ratio);
  }

  void drawQualitySamples_cancelled_returnsNoSamples() {
    std::atomic<bool> cancel{false};
    QualitySamplingOptions options;
    options.sampler = sampler(SamplerKind::DDPM, 0, ReverseVariance::Beta, 5, 0);
    options.image_batch = 2;
    std::int64_t last_batch = -1;
    const QualitySamples drawn = draw_quality_samples(
        oracle_images(), options,
        [&](const QualityStep& s) {
          last_batch = s.batch;
          if (s.batch == 1 && s.process.steps_taken() == 3) cancel.store(true);
        },
        &cancel);
    QCOMPARE(drawn.status, RunStatus::Cancelled);
    QVERIFY(!drawn.samples.defined());
    QCOMPARE(last_batch, std::int64_t{1});
  }

  // ---- start or resume training -------------------------------------------------------

  void startOrResume_sampleOnlyCheckpoint_refusesWithTheSentence() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("sampling-only.safetensors").toStdString();
    CheckpointData checkpoint = moons_checkpoint();
    checkpoint.resume = ResumeState{};
    save_checkpoint(path, checkpoint);
    TrainingJobOptions options;
    options.resume = path;
    options.fresh_start_advice = "start a new run instead";
    try {
      start_or_resume_training(options);
      QFAIL("expected ddpm::Error");
    } catch (const Error& e) {
      QCOMPARE(std::string(e.what()),
               "'" + path + "' holds no resume data (it was saved for sampling only); start a new run instead");
    }
  }

  void startOrResume_continuation_takesWhatItsCallerSays_data() {
    QTest::addColumn<bool>("optimiser");
    QTest::newRow("run settings (CLI)") << false;
    QTest::newRow("and optimiser (GUI)") << true;
  }
  void startOrResume_continuation_takesWhatItsCallerSays() {
    QFETCH(bool, optimiser);
    QTemporaryDir dir;
    const std::string path = dir.filePath("run.safetensors").toStdString();
    save_checkpoint(path, moons_checkpoint());  // step 120, lr 1e-3, batch 64, EMA 0.99, seed 7
    TrainingJobOptions options;
    options.resume = path;
    options.takes = optimiser ? ContinuationTakes::RunAndOptimiser : ContinuationTakes::RunSettings;
    options.train.learning_rate = 5e-4;
    options.train.batch_size = 32;
    options.train.ema_decay = 0.5;
    options.train.seed = 99;
    options.train.warmup_steps = 3;
    options.train.device = "cpu";
    options.train.checkpoint_path = dir.filePath("out.safetensors").toStdString();
    options.total_steps = 220;
    const auto trainer = start_or_resume_training(options);
    const TrainOptions& in_force = trainer->options();
    QCOMPARE(trainer->step(), std::int64_t{120});
    QCOMPARE(trainer->dataset().spec.text(), std::string("moons"));
    QCOMPARE(in_force.learning_rate, optimiser ? 5e-4 : 1e-3);
    QCOMPARE(in_force.batch_size, std::int64_t{optimiser ? 32 : 64});
    QCOMPARE(in_force.ema_decay, optimiser ? 0.5 : 0.99);
    QCOMPARE(in_force.seed, std::uint64_t{7});          // always the checkpoint's
    QCOMPARE(in_force.warmup_steps, std::int64_t{10});  // always the checkpoint's
    QCOMPARE(in_force.checkpoint_path, options.train.checkpoint_path);
    QCOMPARE(in_force.autosave_every, std::int64_t{10});  // (220 − 120) / 10
  }

  void startOrResume_newRun_equalsTrainerBuiltByHand() {
    QTemporaryDir dir;
    TrainingJobOptions options;
    options.data_spec = "moons";
    options.data.limit = 256;
    options.schedule = moons_checkpoint().schedule;
    options.train.batch_size = 16;
    options.train.seed = 3;
    options.train.device = "cpu";
    options.train.checkpoint_path = dir.filePath("job.safetensors").toStdString();
    options.total_steps = 5;
    const auto trainer = start_or_resume_training(options);
    QCOMPARE(trainer->step(), std::int64_t{0});
    QCOMPARE(trainer->options().autosave_every, std::int64_t{1});  // max(1, 5 / 10)
    QCOMPARE(trainer->diffusion().steps(), std::int64_t{100});

    DataOptions loading;
    loading.limit = 256;
    TrainOptions train = options.train;
    train.checkpoint_path = dir.filePath("by-hand.safetensors").toStdString();
    train.autosave_every = 1;
    Dataset data = load_dataset("moons", loading);
    Trainer expected(std::move(data), model_preset("mlp", {2}), options.schedule, train);
    const TrainResult a = trainer->run(3), b = expected.run(3);
    QCOMPARE(a.status, TrainStatus::Finished);
    QCOMPARE(b.status, TrainStatus::Finished);
    for (const auto& [name, value] : named_weights(*expected.model()))
      QVERIFY2(torch::equal(named_weights(*trainer->model()).at(name), value), name.c_str());
  }

  void startOrResume_newRunWithoutData_throws() {
    EXPECT_ERROR(start_or_resume_training(TrainingJobOptions{}), "needs data");
  }

  void startOrResume_loadData_replacesTheDefaultLoader() {
    TrainingJobOptions options;
    options.data_spec = "gaussians8";
    options.train.device = "cpu";
    options.total_steps = 10;
    std::string asked;
    options.load_data = [&](const std::string& spec) {
      asked = spec;
      DataOptions loading;
      loading.limit = 64;
      return load_dataset(spec, loading);
    };
    const auto trainer = start_or_resume_training(options);
    QCOMPARE(asked, std::string("gaussians8"));
    QCOMPARE(trainer->options().autosave_every, std::int64_t{0});  // no checkpoint path: nothing to autosave
    QCOMPARE(trainer->dataset().size(), std::int64_t{64});
  }
};

QTEST_GUILESS_MAIN(TestJobs)
#include "test_jobs.moc"
