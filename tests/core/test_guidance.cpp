// Classifier-free guidance (Ho & Salimans 2022): the class input of the networks, the
// label dropout of training, the guided ε̃ of the samplers checked against an exact
// Gaussian oracle, the checks on bad choices, and a conditional model trained on the
// eight Gaussians that draws the class it is asked for.
// Torch and core headers before <QtTest>: Qt's `slots` macro breaks ATen otherwise.
#include "core/checkpoint/checkpoint.h"
#include "core/data/dataset.h"
#include "core/diffusion/gaussian_diffusion.h"
#include "core/models/denoiser.h"
#include "core/metrics/nearest_class.h"
#include "core/models/model_config_json.h"
#include "core/runtime/random.h"
#include "core/sampling/guidance.h"
#include "core/sampling/reverse_process.h"
#include "core/training/trainer.h"
#include "core/util/error.h"
#include "core_test_support.h"
#include "oracle_denoiser.h"

#include <QtTest>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

using namespace ddpm;
using ddpm::test::test_device;

namespace {

constexpr double kNullMean = 0.2;  // the oracle's unconditional mean m
constexpr double kDataStd = 0.5;
const std::vector<double> kClassMeans = {-1.0, 0.5, 1.5};

std::shared_ptr<test::OracleDenoiserImpl> conditional_oracle(const NoiseSchedule& schedule) {
  auto oracle = test::make_oracle(schedule, kNullMean, kDataStd, {3});
  oracle->set_class_means(kClassMeans);
  return oracle;
}

SamplerOptions options_for(SamplerKind kind, std::int64_t steps, ClassGuidance guidance = {}) {
  SamplerOptions o;
  o.kind = kind;
  o.steps = steps;
  o.n = 64;
  o.seed = 11;
  o.device = test_device();
  o.guidance = guidance;
  return o;
}

torch::Tensor run(Denoiser model, const NoiseSchedule& schedule, const SamplerOptions& options) {
  ReverseProcess process(std::move(model), GaussianDiffusion(schedule, options.device), {3}, options);
  if (run_to_end(process) != RunStatus::Completed) throw std::runtime_error("run did not complete");
  return process.sample().cpu().to(torch::kFloat64);
}

ModelConfig conditional_mlp(std::int64_t classes) {
  ModelConfig config = model_preset("mlp", {2});
  config.hidden = 32;
  config.blocks = 1;
  config.num_classes = classes;
  return config;
}

}  // namespace

class TestGuidance : public QObject {
  Q_OBJECT

 private slots:
  void guidedEps_isTheMixOfBothPredictions() {
    const auto eps_c = torch::tensor({1.0, -2.0, 0.5}, torch::kFloat64);
    const auto eps_null = torch::tensor({0.5, 1.0, 0.5}, torch::kFloat64);
    // (1 + w) ε_c − w ε_∅, written out for w = 3: 4·ε_c − 3·ε_∅.
    QVERIFY(torch::allclose(guided_eps(eps_c, eps_null, 3.0), torch::tensor({2.5, -11.0, 0.5}, torch::kFloat64)));
    QVERIFY(torch::equal(guided_eps(eps_c, eps_null, 0.0), eps_c));
  }

  void badChoices_areRefusedWithASentence() {
    const ModelConfig unconditional = model_preset("mlp", {2});
    const ModelConfig conditional = conditional_mlp(8);
    EXPECT_ERROR(validate_guidance({1, 0.0}, unconditional), "trained without classes");
    EXPECT_ERROR(validate_guidance({8, 1.0}, conditional), "class 8 is out of range: this model knows classes 0..7");
    EXPECT_ERROR(validate_guidance({-3, 0.0}, conditional), "class must be a class number, 0 or more");
    EXPECT_ERROR(validate_guidance({1, -0.5}, conditional), "guidance weight must be a number from 0 to 100");
    EXPECT_ERROR(validate_guidance({1, std::nan("")}, conditional), "got nan");
    EXPECT_ERROR(validate_guidance({1, std::numeric_limits<double>::infinity()}, conditional), "got inf");
    EXPECT_ERROR(validate_guidance({-1, 2.0}, conditional), "guidance needs a class");
    validate_guidance({7, 100.0}, conditional);
    validate_guidance({}, unconditional);  // no class: plain sampling of any model
    QCOMPARE(guidance_text({2, 1.5}, {"a", "b", "Pullover"}), std::string("class 2 (Pullover), w = 1.5"));
  }

  // ε* is affine in the data mean, so for classes N(m_c, s²) and ∅ = N(m, s²), ε̃ equals
  // the oracle of mean m_c + w (m_c − m) exactly: a guided run must reproduce, sample for
  // sample, the unconditional run of that oracle with the same seed, for every sampler.
  void guidedRun_equalsTheOracleOfTheShiftedMean_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("steps");
    QTest::addColumn<int>("label");
    QTest::addColumn<double>("w");
    QTest::newRow("ddpm c=0 w=2") << int(SamplerKind::DDPM) << 0 << 0 << 2.0;
    QTest::newRow("ddim c=2 w=0.5") << int(SamplerKind::DDIM) << 20 << 2 << 0.5;
    QTest::newRow("ddim c=1 w=0 (conditional only)") << int(SamplerKind::DDIM) << 20 << 1 << 0.0;
    QTest::newRow("dpm-solver++ c=1 w=4") << int(SamplerKind::DPMSolverPP) << 10 << 1 << 4.0;
    QTest::newRow("heun c=0 w=1") << int(SamplerKind::Heun) << 8 << 0 << 1.0;
  }
  void guidedRun_equalsTheOracleOfTheShiftedMean() {
    QFETCH(int, kind);
    QFETCH(int, steps);
    QFETCH(int, label);
    QFETCH(double, w);
    const auto schedule = test::scaled_linear_schedule(100);
    const auto k = static_cast<SamplerKind>(kind);
    auto oracle = conditional_oracle(schedule);
    const auto guided = run(oracle, schedule, options_for(k, steps, {label, w}));
    const double m_c = kClassMeans[static_cast<std::size_t>(label)];
    const double shifted = m_c + w * (m_c - kNullMean);
    const auto expected = run(test::make_oracle(schedule, shifted, kDataStd, {3}), schedule, options_for(k, steps));
    QVERIFY2(torch::allclose(guided, expected, 1e-5, 1e-5),
             qPrintable(QString::number((guided - expected).abs().max().item<double>())));
    // One pass per evaluation: the doubled batch [x; x] only when ∅ is needed.
    QCOMPARE(oracle->last_batch, w == 0.0 ? std::int64_t(64) : std::int64_t(128));
  }

  void guidedStep_keepsBothPredictions() {
    const auto schedule = test::scaled_linear_schedule(50);
    auto oracle = conditional_oracle(schedule);
    ReverseProcess process(oracle, GaussianDiffusion(schedule, test_device()), {3},
                           options_for(SamplerKind::DDIM, 10, {2, 3.0}));
    process.step();
    QVERIFY(torch::allclose(process.predicted_eps(),
                            4.0 * process.predicted_eps_class() - 3.0 * process.predicted_eps_null(), 1e-5, 1e-6));
    QVERIFY(!torch::allclose(process.predicted_eps_class(), process.predicted_eps_null()));
    ReverseProcess plain(oracle, GaussianDiffusion(schedule, test_device()), {3}, options_for(SamplerKind::DDIM, 10));
    plain.step();
    QVERIFY(!plain.predicted_eps_class().defined());
    EXPECT_ERROR(ReverseProcess(test::make_oracle(schedule, 0.0, 1.0, {3}), GaussianDiffusion(schedule), {3},
                                options_for(SamplerKind::DDIM, 10, {0, 1.0})),
                 "trained without classes");
  }

  void labelEmbedding_conditionsTheNetwork() {
    torch::manual_seed(3);
    const Denoiser model = make_denoiser(conditional_mlp(3));
    const auto x = torch::randn({4, 2});
    const auto t = torch::tensor({5, 50, 500, 900}, torch::kLong);
    // A new network starts as its unconditional twin: every label gives the same output.
    QVERIFY(torch::equal(model->forward(x, t, torch::full({4}, 1, torch::kLong)), model->forward(x, t)));
    {
      // Every weight drawn at random (the output layer starts near zero, which hides any input).
      torch::NoGradGuard no_grad;
      for (auto& p : model->parameters()) p.normal_(0.0, 0.3);
    }
    const auto null = model->forward(x, t, torch::full({4}, 3, torch::kLong));
    QVERIFY(torch::allclose(model->forward(x, t), null));  // no labels means ∅
    QVERIFY(!torch::allclose(model->forward(x, t, torch::full({4}, 0, torch::kLong)), null));
    QVERIFY(!torch::allclose(model->forward(x, t, torch::full({4}, 0, torch::kLong)),
                             model->forward(x, t, torch::full({4}, 1, torch::kLong))));
    EXPECT_ERROR(model->forward(x, t, torch::full({4}, 4, torch::kLong)), "class label 4 is out of range");
    EXPECT_ERROR(model->forward(x, t, torch::full({3}, 0, torch::kLong)), "one class label per batch row (4)");
    const Denoiser plain = make_denoiser(model_preset("mlp", {2}));
    EXPECT_ERROR(plain->forward(x, t, torch::full({4}, 0, torch::kLong)), "not class-conditional");
    // The UNet takes the same input.
    ModelConfig unet = model_preset("unet-tiny", {1, 28, 28});
    unet.num_classes = 10;
    const Denoiser image_model = make_denoiser(unet);
    QCOMPARE(image_model->forward(torch::randn({2, 1, 28, 28}), torch::tensor({1, 2}), torch::tensor({0, 10})).sizes(),
             (torch::IntArrayRef{2, 1, 28, 28}));
  }

  void modelConfig_carriesTheClassCount() {
    const ModelConfig config = conditional_mlp(8);
    const auto json = to_json(config);
    QCOMPARE(json.at("num_classes").get<std::int64_t>(), std::int64_t(8));
    QCOMPARE(model_config_from_json(json), config);
    QVERIFY(!to_json(model_preset("mlp", {2})).contains("num_classes"));  // older readers see what they know
    QVERIFY(config != model_preset("mlp", {2}));
    ModelConfig too_many = config;
    too_many.num_classes = 1001;
    EXPECT_ERROR(validate_model_config(too_many), "num_classes must be between 0 and 1000");
  }

  // Each label becomes ∅ with probability p: the fraction over 200,000 draws lies within
  // 5 standard errors (√(p(1−p)/n) ≈ 0.00067 at p = 0.1) of p; p = 0 and 1 are exact.
  void dropLabels_dropsAtTheAskedRate() {
    auto generator = make_generator(4);
    const auto labels = torch::arange(200000, torch::kLong).remainder(7);
    const auto dropped = drop_labels(labels, 0.1, 7, generator);
    const double fraction = dropped.eq(7).to(torch::kFloat64).mean().item<double>();
    QVERIFY2(std::fabs(fraction - 0.1) < 5 * std::sqrt(0.1 * 0.9 / 200000), qPrintable(QString::number(fraction)));
    const auto kept = dropped.ne(7);
    QVERIFY(torch::equal(dropped.masked_select(kept), labels.masked_select(kept)));  // the rest unchanged
    QVERIFY(torch::equal(drop_labels(labels, 0.0, 7, generator), labels));
    QVERIFY(drop_labels(labels, 1.0, 7, generator).eq(7).all().item<bool>());
  }

  void nearestNeighbourClasses_voteOfTheKNearest() {
    // Class 0 around (0, 0), class 1 around (10, 0), one stray class-1 point at (0.1, 0).
    const auto points = torch::tensor({{0.0, 0.0}, {0.0, 0.2}, {0.2, 0.0}, {0.1, 0.0}, {10.0, 0.0}, {10.0, 0.3}, {9.8, 0.0}},
                                      torch::kFloat64);
    const auto labels = torch::tensor({0, 0, 0, 1, 1, 1, 1}, torch::kLong);
    const auto samples = torch::tensor({{0.11, 0.0}, {9.0, 0.0}, {4.0, 0.0}}, torch::kFloat64);
    // k = 1: the stray point decides the first sample; k = 3: its neighbours outvote it.
    QVERIFY(torch::equal(nearest_neighbour_classes(samples, points, labels, 1), torch::tensor({1, 1, 0}, torch::kLong)));
    QVERIFY(torch::equal(nearest_neighbour_classes(samples, points, labels, 3), torch::tensor({0, 1, 0}, torch::kLong)));
    EXPECT_ERROR(nearest_neighbour_classes(samples, points, labels, 8), "k must be between 1 and");
    EXPECT_ERROR(nearest_neighbour_classes(samples, points, labels.narrow(0, 0, 3)), "one label per point");
  }

  void conditionalTraining_needsLabels() {
    DataOptions data;
    data.toy_points = 256;
    const ScheduleSpec schedule = test::scaled_linear_schedule(50).spec();
    EXPECT_ERROR(Trainer(load_dataset("swissroll", data), conditional_mlp(2), schedule, {}), "needs labelled data");
    EXPECT_ERROR(Trainer(load_dataset("moons", data), conditional_mlp(3), schedule, {}),
                 "has 2 classes but the model was built for 3");
    TrainOptions bad;
    bad.label_dropout = 1.5;
    EXPECT_ERROR(bad.validate(), "label dropout must be a probability in [0, 1]");
  }

  // The whole path: a conditional MLP trained on the eight Gaussians, saved and loaded
  // back, draws points near the centre of the class it is asked for. Seeded, on the CPU;
  // after 800 steps at w = 2 the fraction in the right 45° sector is ≈ 0.99, the bound 0.9.
  void conditionalModel_drawsTheAskedClass() {
    DataOptions data;
    data.toy_points = 4000;
    TrainOptions options;
    options.batch_size = 256;
    options.learning_rate = 2e-3;
    options.ema_decay = 0.99;
    options.save_resume_state = false;
    options.device = "cpu";
    ModelConfig model = model_preset("mlp", {2});
    model.hidden = 64;
    model.blocks = 2;
    model.num_classes = 8;
    Trainer trainer(load_dataset("gaussians8", data), model, test::scaled_linear_schedule(100).spec(), options);
    QCOMPARE(trainer.run(800).status, TrainStatus::Finished);

    QTemporaryDir dir;
    const std::string path = dir.filePath("g8.safetensors").toStdString();
    trainer.save(path);
    const CheckpointData saved = load_checkpoint(path);
    QCOMPARE(saved.model.num_classes, std::int64_t(8));
    QCOMPARE(saved.class_names.at(2), std::string("90°"));
    QCOMPARE(saved.training.label_dropout, 0.1);

    for (const std::int64_t c : {0, 3, 6}) {
      SamplerOptions sampler = options_for(SamplerKind::DDIM, 50, {c, 2.0});
      sampler.device = torch::kCPU;
      sampler.n = 200;
      ReverseProcess process(load_denoiser(saved), GaussianDiffusion(NoiseSchedule(saved.schedule)), {2}, sampler);
      QCOMPARE(run_to_end(process), RunStatus::Completed);
      const auto points = saved.normalisation.denormalise(process.sample().to(torch::kFloat64));
      const auto angle = torch::atan2(points.select(1, 1), points.select(1, 0));
      const double centre = static_cast<double>(c) * M_PI / 4;
      const auto off = torch::remainder(angle - centre + M_PI, 2 * M_PI) - M_PI;
      const double in_sector = off.abs().lt(M_PI / 8).to(torch::kFloat64).mean().item<double>();
      QVERIFY2(in_sector > 0.9, qPrintable(QStringLiteral("class %1: %2 in its sector").arg(c).arg(in_sector)));
    }
  }
};

QTEST_GUILESS_MAIN(TestGuidance)
#include "test_guidance.moc"
