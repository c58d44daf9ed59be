// Classifier guidance (Dhariwal & Nichol 2021): the gradient of log p_φ(y | x_t) and the
// guided ε̂ checked against an exact two-class Gaussian mixture, whole sampling runs that
// must equal the exact class-conditional sampler, the noise-aware classifier's network,
// training and file, and the checks on bad choices.
// Torch and core headers before <QtTest>: Qt's `slots` macro breaks ATen otherwise.
#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/noisy_classifier_checkpoint.h"
#include "core/data/dataset.h"
#include "core/diffusion/gaussian_diffusion.h"
#include "core/jobs/noisy_classifier_job.h"
#include "core/models/noisy_classifier.h"
#include "core/sampling/classifier_guidance.h"
#include "core/sampling/reverse_process.h"
#include "core/training/noisy_classifier_training.h"
#include "core/util/error.h"
#include "core_test_support.h"
#include "oracle_denoiser.h"

#include <c10/core/InferenceMode.h>

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <limits>
#include <vector>

using namespace ddpm;

namespace {

constexpr double kStd = 0.5;                           // s: each class is N(μ_k, s² I)
const std::vector<double> kClassMeans = {-1.0, 1.5};  // μ_k, the same in every dimension
constexpr std::int64_t kDim = 3;

// Per-sample log N(x_t; √ᾱ_t μ_k, v_t I) up to a constant shared by the classes, with
// v_t = ᾱ_t s² + 1 − ᾱ_t: x_t's density given class k under q (eq. 4). [B, K], float64.
torch::Tensor class_log_likelihoods(const NoiseSchedule& schedule, const torch::Tensor& x_t, const torch::Tensor& t) {
  const auto index = t.to(torch::kCPU, torch::kLong);
  const auto alpha_bar = torch::tensor(schedule.alpha_bar, torch::kFloat64).index_select(0, index).view({-1, 1});
  const auto v = alpha_bar * kStd * kStd + (1.0 - alpha_bar);
  const auto x = x_t.to(torch::kCPU, torch::kFloat64).flatten(1);
  std::vector<torch::Tensor> columns;
  for (const double mean : kClassMeans)
    columns.push_back(-(x - alpha_bar.sqrt() * mean).pow(2).sum(1, true) / (2.0 * v));
  return torch::cat(columns, 1);
}

// The exact posterior p(y | x_t) of the equal-weight mixture, as logits (autograd-friendly).
NoisyLogits exact_posterior(const NoiseSchedule& schedule) {
  return [schedule](const torch::Tensor& x_t, const torch::Tensor& t) {
    return class_log_likelihoods(schedule, x_t, t).to(x_t.device(), x_t.scalar_type());
  };
}

// ε*(x_t, t) = −√(1 − ᾱ_t) ∇ log p(x_t) for the mixture ½N(μ_0, s²I) + ½N(μ_1, s²I):
// the responsibilities r_k times each class's ε*_k = √(1 − ᾱ) (x_t − √ᾱ μ_k)/v_t.
class MixtureOracleImpl : public DenoiserImpl {
 public:
  explicit MixtureOracleImpl(const NoiseSchedule& schedule) : schedule_(schedule) {
    config_.preset = "mixture-oracle";
    config_.sample_shape = {kDim};
  }
  torch::Tensor forward(const torch::Tensor& x_t, const torch::Tensor& t, const torch::Tensor& = {}) override {
    const auto index = t.to(torch::kCPU, torch::kLong);
    const auto alpha_bar = torch::tensor(schedule_.alpha_bar, torch::kFloat64).index_select(0, index).view({-1, 1});
    const auto v = alpha_bar * kStd * kStd + (1.0 - alpha_bar);
    const auto x = x_t.to(torch::kCPU, torch::kFloat64);
    const auto r = torch::softmax(class_log_likelihoods(schedule_, x_t, t), 1);
    auto eps = torch::zeros_like(x);
    for (std::size_t k = 0; k < kClassMeans.size(); ++k)
      eps += r.select(1, static_cast<std::int64_t>(k)).view({-1, 1}) * (1.0 - alpha_bar).sqrt() *
             (x - alpha_bar.sqrt() * kClassMeans[k]) / v;
    return eps.to(x_t.device(), x_t.scalar_type());
  }
  const ModelConfig& config() const override { return config_; }

 private:
  NoiseSchedule schedule_;
  ModelConfig config_;
};

ClassifierGuidance exact_guidance(const NoiseSchedule& schedule, std::int64_t label, double scale) {
  ClassifierGuidance g;
  g.logits = exact_posterior(schedule);
  g.classes = static_cast<std::int64_t>(kClassMeans.size());
  g.class_label = label;
  g.scale = scale;
  return g;
}

torch::Tensor sample(Denoiser model, const NoiseSchedule& schedule, SamplerOptions options) {
  options.n = 256;
  options.seed = 5;
  ReverseProcess process(std::move(model), GaussianDiffusion(schedule), {kDim}, options);
  run_to_end(process);
  return process.sample().to(torch::kFloat64);
}

// Fraction of samples nearer μ_label than the other class mean (per-dimension mean).
double fraction_nearer(const torch::Tensor& samples, std::int64_t label) {
  const auto m = samples.mean(1);
  const double mid = 0.5 * (kClassMeans[0] + kClassMeans[1]);
  return (label == 0 ? m.lt(mid) : m.gt(mid)).to(torch::kFloat64).mean().item<double>();
}

CheckpointData points_checkpoint(const NoiseSchedule& schedule) {
  CheckpointData d;
  d.model = model_preset("mlp", {2});
  d.schedule = schedule.spec();
  d.data_spec = "gaussians8";
  d.normalisation = Normalisation::identity(2);
  d.sample_shape = {2};
  return d;
}

}  // namespace

class TestClassifierGuidance : public QObject {
  Q_OBJECT

 private slots:
  // With the exact posterior and s = 1, ε̂ − √(1 − ᾱ) ∇ log p(y | x_t) is exactly the
  // class-conditional ε*_y: ∇ log p(x_t | y) = ∇ log p(x_t) + ∇ log p(y | x_t) (Bayes).
  void guidedEps_withTheExactPosterior_isTheClassConditionalEps() {
    const NoiseSchedule schedule = test::scaled_linear_schedule(50);
    const GaussianDiffusion diffusion(schedule);
    MixtureOracleImpl mixture(schedule);
    auto x = torch::randn({16, kDim}, torch::kFloat32) * 1.5;
    for (const std::int64_t step : {0, 10, 30, 49}) {
      const auto t = timesteps(step, 16);
      for (const std::int64_t label : {0, 1}) {
        const auto gradient = classifier_log_prob_gradient(exact_posterior(schedule), x, t, label);
        const auto guided = classifier_guided_eps(mixture.forward(x, t), gradient,
                                                  diffusion.extract(diffusion.sqrt_one_minus_alpha_bar, t, x), 1.0);
        auto oracle = test::make_oracle(schedule, kClassMeans[static_cast<std::size_t>(label)], kStd, {kDim});
        QVERIFY2(torch::allclose(guided, oracle->forward(x, t), 1e-4, 1e-5),
                 qPrintable(QString("t = %1, class %2").arg(step).arg(label)));
      }
    }
  }

  // The gradient against central differences of log p(y | x) itself, and s scales the push.
  void gradient_matchesFiniteDifferences_andScaleIsLinear() {
    const NoiseSchedule schedule = test::scaled_linear_schedule(50);
    const auto logits = exact_posterior(schedule);
    const auto x = torch::randn({4, kDim}, torch::kFloat64);
    const auto t = timesteps(20, 4);
    const auto gradient = classifier_log_prob_gradient(logits, x, t, 1);
    QCOMPARE(gradient.scalar_type(), torch::kFloat32);
    const double h = 1e-5;
    for (std::int64_t d = 0; d < kDim; ++d) {
      auto plus = x.clone(), minus = x.clone();
      plus.select(1, d).add_(h);
      minus.select(1, d).sub_(h);
      const auto difference = (torch::log_softmax(logits(plus, t), 1).select(1, 1) -
                               torch::log_softmax(logits(minus, t), 1).select(1, 1)) / (2 * h);
      QVERIFY(torch::allclose(gradient.select(1, d).to(torch::kFloat64), difference, 1e-4, 1e-5));
    }
    const auto eps = torch::zeros({4, kDim});
    const auto sigma = torch::full({4, 1}, 0.5);
    QVERIFY(torch::allclose(classifier_guided_eps(eps, gradient, sigma, 3.0), -1.5 * gradient));
    QVERIFY(torch::equal(classifier_guided_eps(eps, gradient, sigma, 0.0), eps));
  }

  // Inside the sampler's InferenceMode, on inference tensors, the gradient still works.
  void gradient_worksUnderInferenceMode() {
    const NoiseSchedule schedule = test::scaled_linear_schedule(50);
    const auto outside = classifier_log_prob_gradient(exact_posterior(schedule), torch::ones({2, kDim}), timesteps(5, 2), 0);
    c10::InferenceMode inference;
    const auto x = torch::ones({2, kDim});
    QVERIFY(x.is_inference());
    QVERIFY(torch::allclose(classifier_log_prob_gradient(exact_posterior(schedule), x, timesteps(5, 2), 0), outside));
  }

  // Whole runs: the unconditional mixture guided by its exact posterior at s = 1 samples
  // what the exact class-conditional model samples, from the same seed, step for step.
  void guidedRuns_equalTheClassConditionalSampler() {
    const NoiseSchedule schedule = test::scaled_linear_schedule(50);
    for (const auto kind : {SamplerKind::DDPM, SamplerKind::DDIM, SamplerKind::DPMSolverPP}) {
      for (const std::int64_t label : {0, 1}) {
        SamplerOptions guided;
        guided.kind = kind;
        guided.steps = kind == SamplerKind::DDPM ? 0 : 20;
        guided.classifier = exact_guidance(schedule, label, 1.0);
        SamplerOptions plain = guided;
        plain.classifier = {};
        const auto a = sample(std::make_shared<MixtureOracleImpl>(schedule), schedule, guided);
        const auto b = sample(test::make_oracle(schedule, kClassMeans[static_cast<std::size_t>(label)], kStd, {kDim}),
                              schedule, plain);
        QVERIFY2(torch::allclose(a, b, 1e-3, 1e-4),
                 qPrintable(QString::fromStdString(to_string(kind)) + QString(", class %1").arg(label)));
      }
    }
  }

  // s = 0 is the unguided mixture (about half each way); s = 1 and more put (nearly)
  // every sample in the asked-for class. 256 samples: binomial sd ≤ 0.031.
  void scale_movesSamplesIntoTheClass() {
    const NoiseSchedule schedule = test::scaled_linear_schedule(50);
    SamplerOptions o;
    o.kind = SamplerKind::DDIM;
    o.steps = 20;
    o.classifier = exact_guidance(schedule, 0, 0.0);
    const double unguided = fraction_nearer(sample(std::make_shared<MixtureOracleImpl>(schedule), schedule, o), 0);
    QVERIFY2(std::abs(unguided - 0.5) < 0.15, qPrintable(QString::number(unguided)));
    o.classifier.scale = 1.0;
    QVERIFY(fraction_nearer(sample(std::make_shared<MixtureOracleImpl>(schedule), schedule, o), 0) > 0.97);
    o.classifier.class_label = 1;
    o.classifier.scale = 4.0;
    QVERIFY(fraction_nearer(sample(std::make_shared<MixtureOracleImpl>(schedule), schedule, o), 1) > 0.97);
  }

  void badChoices_areRefusedWithAClearMessage() {
    const NoiseSchedule schedule = test::scaled_linear_schedule(50);
    ModelConfig unconditional;
    unconditional.sample_shape = {kDim};
    EXPECT_ERROR(validate_classifier_guidance(exact_guidance(schedule, 2, 1.0), unconditional),
                 "a class of the classifier, 0..1, got 2");
    EXPECT_ERROR(validate_classifier_guidance(exact_guidance(schedule, 0, -1.0), unconditional), "from 0 to 100, got -1");
    EXPECT_ERROR(validate_classifier_guidance(exact_guidance(schedule, 0, std::nan("")), unconditional), "got nan");
    EXPECT_ERROR(validate_classifier_guidance(exact_guidance(schedule, 0, 1e9), unconditional), "from 0 to 100");
    ClassifierGuidance no_classifier;
    no_classifier.scale = 2.0;
    EXPECT_ERROR(validate_classifier_guidance(no_classifier, unconditional), "needs a noise-aware classifier");
    ModelConfig conditional = unconditional;
    conditional.num_classes = 2;
    EXPECT_ERROR(validate_classifier_guidance(exact_guidance(schedule, 0, 1.0), conditional),
                 "classifier-free guidance");
    // The sampler refuses it before drawing anything.
    SamplerOptions o;
    o.classifier = exact_guidance(schedule, 5, 1.0);
    EXPECT_ERROR(ReverseProcess(std::make_shared<MixtureOracleImpl>(schedule), GaussianDiffusion(schedule), {kDim}, o),
                 "0..1, got 5");
    // Logits of the wrong shape.
    const NoisyLogits wrong = [](const torch::Tensor& x, const torch::Tensor&) { return x.sum(); };
    EXPECT_ERROR(classifier_log_prob_gradient(wrong, torch::ones({2, kDim}), timesteps(0, 2), 0), "logits of shape");
  }

  void network_takesTimeAndGivesLogits() {
    NoisyClassifierOptions images;
    images.sample_shape = {1, 28, 28};
    images.classes = 10;
    images.width = 8;
    NoisyClassifier cnn(images);
    QCOMPARE(cnn->forward(torch::zeros({3, 1, 28, 28}), timesteps(7, 3)).sizes().vec(), (std::vector<std::int64_t>{3, 10}));
    // The timestep changes the output: it is an input, not ignored.
    const auto x = torch::randn({2, 1, 28, 28});
    QVERIFY(!torch::allclose(cnn->forward(x, timesteps(0, 2)), cnn->forward(x, timesteps(900, 2))));
    EXPECT_ERROR(cnn->forward(torch::zeros({3, 1, 32, 32}), timesteps(0, 3)), "[B, 1, 28, 28], not [3, 1, 32, 32]");
    EXPECT_ERROR(cnn->forward(torch::zeros({3, 1, 28, 28}), timesteps(0, 2)), "one timestep per sample");
    NoisyClassifierOptions bad = images;
    bad.sample_shape = {1, 2, 28};
    EXPECT_ERROR(NoisyClassifier{bad}, "image height");
    bad = images;
    bad.classes = 1;
    EXPECT_ERROR(NoisyClassifier{bad}, "class count");
    bad.sample_shape = {2, 2};
    EXPECT_ERROR(NoisyClassifier{bad}, "points {D} or images {C, H, W}");
  }

  // Trained on noised eight Gaussians: near perfect on clean points, near chance (1/8)
  // where x_t is almost pure noise, and worse as t grows.
  void training_learnsTheClassesAtLowNoise_andNotAtHighNoise() {
    const NoiseSchedule schedule = test::scaled_linear_schedule(100);
    const GaussianDiffusion diffusion(schedule);
    DataOptions loading;
    loading.toy_points = 4000;
    const Dataset train = load_dataset("gaussians8", loading);
    loading.split = Split::Test;
    const Dataset test = load_dataset("gaussians8", loading);
    NoisyClassifierOptions shape;
    shape.sample_shape = {2};
    shape.classes = 8;
    ClassifierTrainOptions options;
    options.epochs = 4;
    options.seed = 3;
    NoisyClassifier model = make_noisy_classifier(shape, options);
    const auto result = train_noisy_classifier(*model, diffusion, train.x, train.labels, options);
    QCOMPARE(result.epoch_losses.size(), std::size_t(4));
    QVERIFY(result.epoch_losses.back() < result.epoch_losses.front());
    const double clean = noisy_classifier_accuracy(*model, diffusion, test.x, test.labels, 0);
    const double middle = noisy_classifier_accuracy(*model, diffusion, test.x, test.labels, 40);
    const double noise = noisy_classifier_accuracy(*model, diffusion, test.x, test.labels, 99);
    QVERIFY2(clean > 0.95, qPrintable(QString::number(clean)));
    QVERIFY2(noise < 0.3, qPrintable(QString::number(noise)));
    QVERIFY2(clean > middle && middle > noise, qPrintable(QString("%1 %2 %3").arg(clean).arg(middle).arg(noise)));
    QCOMPARE(accuracy_timesteps(1000), (std::vector<std::int64_t>{0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 999}));
  }

  void file_roundTrips_andChecksTheModelItGuides() {
    QTemporaryDir dir;
    const NoiseSchedule schedule = test::scaled_linear_schedule(100);
    const CheckpointData model = points_checkpoint(schedule);
    NoisyClassifierJobOptions job;
    job.trained_for = "test model";
    job.data.toy_points = 800;
    job.training.epochs = 1;
    NoisyClassifierJobResult trained = train_noisy_classifier_for(model, job);
    QCOMPARE(trained.info.class_names.size(), std::size_t(8));
    QCOMPARE(trained.info.accuracy_by_t.size(), accuracy_timesteps(100).size());
    const std::string path = (dir.path() + "/g8.safetensors").toStdString();
    save_noisy_classifier(path, *trained.model, trained.info);
    QVERIFY(is_noisy_classifier_file(path));

    LoadedNoisyClassifier loaded = load_noisy_classifier(path);
    QCOMPARE(loaded.info.class_names, trained.info.class_names);
    QCOMPARE(loaded.info.trained_for, std::string("test model"));
    QCOMPARE(loaded.info.accuracy_by_t, trained.info.accuracy_by_t);
    const auto x = torch::randn({5, 2});
    QVERIFY(torch::allclose(loaded.model->forward(x, timesteps(3, 5)), trained.model->forward(x, timesteps(3, 5))));
    check_classifier_fits(loaded.info, model);  // the model it was trained for

    CheckpointData other = model;
    other.schedule.beta_end = 0.05;
    EXPECT_ERROR(check_classifier_fits(loaded.info, other), "another noise schedule");
    other = model;
    other.normalisation = Normalisation{{0.5}, {2.0}};
    EXPECT_ERROR(check_classifier_fits(loaded.info, other), "other coordinates");
    other = model;
    other.sample_shape = {1, 28, 28};
    EXPECT_ERROR(check_classifier_fits(loaded.info, other), "classifies samples of shape [2]");

    // Other files are refused by what they are.
    CheckpointData diffusion = model;
    diffusion.weights = named_weights(*make_denoiser(diffusion.model));
    const std::string diffusion_path = (dir.path() + "/model.safetensors").toStdString();
    save_checkpoint(diffusion_path, diffusion);
    EXPECT_ERROR(load_noisy_classifier(diffusion_path), "it is a diffusion checkpoint");
    QVERIFY(!is_noisy_classifier_file(diffusion_path));
    const std::string bytes = test::read_bytes(path);
    const std::string truncated = (dir.path() + "/truncated.safetensors").toStdString();
    test::write_bytes(truncated, bytes.substr(0, bytes.size() / 2));
    EXPECT_ERROR(load_noisy_classifier(truncated), "truncated.safetensors");
    EXPECT_ERROR(load_noisy_classifier((dir.path() + "/missing.safetensors").toStdString()), "missing.safetensors");
    // A label-free data set cannot train one.
    job.data_spec = "swissroll";
    EXPECT_ERROR(train_noisy_classifier_for(model, job), "no class labels");
  }
};

QTEST_GUILESS_MAIN(TestClassifierGuidance)
#include "test_classifier_guidance.moc"
