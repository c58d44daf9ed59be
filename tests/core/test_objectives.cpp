// What the network predicts and what it is trained on (Ho et al. 2020, Table 2): the one
// conversion to ε inverts each objective's target; an oracle that outputs x_0 or μ̃ (each
// written out here from the paper's formulas) samples and scores exactly as the ε oracle
// through load_denoiser's conversion; the bound loss for ε is the closed-form weighted MSE
// plus its constant; training with each objective and loss runs, records them in the
// checkpoint and samples; checkpoints without an objective read as ε.
#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/shipped_checkpoints.h"
#include "core/data/dataset.h"
#include "core/diffusion/gaussian_diffusion.h"
#include "core/diffusion/parameterisation.h"
#include "core/jobs/checkpoint_model.h"
#include "core/models/model_config_json.h"
#include "core/runtime/random.h"
#include "core/sampling/reverse_process.h"
#include "core/sampling/variational_bound.h"
#include "core/training/objective_loss.h"
#include "core/training/trainer.h"
#include "core/util/error.h"
#include "core_test_support.h"
#include "oracle_denoiser.h"

#include <torch/torch.h>

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <memory>

using namespace ddpm;

namespace {

constexpr std::int64_t kT = 40;

// The ε oracle's prediction re-expressed as x̂_0 (eq. 15) or as μ_θ (eq. 11), in float64
// from the schedule's numbers: a network trained for that objective, at its optimum.
class OracleInObjective : public DenoiserImpl {
 public:
  OracleInObjective(const NoiseSchedule& schedule, Objective objective, std::vector<std::int64_t> shape)
      : eps_(std::make_shared<test::OracleDenoiserImpl>(schedule, 0.1, 0.5, shape)), schedule_(schedule) {
    config_ = eps_->config();
    config_.objective = objective;
  }
  torch::Tensor forward(const torch::Tensor& x_t, const torch::Tensor& t, const torch::Tensor& labels = {}) override {
    const auto eps = eps_->forward(x_t, t, labels).to(torch::kFloat64);
    const auto x = x_t.to(torch::kFloat64);
    auto out = torch::empty_like(x);
    for (std::int64_t i = 0; i < x.size(0); ++i) {
      const auto k = static_cast<std::size_t>(t[i].item<std::int64_t>());
      const double abar = schedule_.alpha_bar[k], beta = schedule_.beta[k], alpha = 1.0 - beta;
      out[i] = config_.objective == Objective::X0
                   ? (x[i] - std::sqrt(1.0 - abar) * eps[i]) / std::sqrt(abar)
                   : (x[i] - beta / std::sqrt(1.0 - abar) * eps[i]) / std::sqrt(alpha);
    }
    return out.to(x_t.scalar_type());
  }
  const ModelConfig& config() const override { return config_; }

 private:
  Denoiser eps_;
  NoiseSchedule schedule_;
  ModelConfig config_;
};

double max_difference(const torch::Tensor& a, const torch::Tensor& b) {
  return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}

}  // namespace

class TestObjectives : public QObject {
  Q_OBJECT

 private slots:
  void names_roundTrip_andUnknownAreErrors() {
    for (const Objective o : {Objective::Eps, Objective::Mu, Objective::X0}) QCOMPARE(objective_from_string(to_string(o)), o);
    QVERIFY_THROWS_EXCEPTION(Error, objective_from_string("score"));
    QCOMPARE(loss_kind_from_string("bound"), LossKind::Bound);
    QVERIFY_THROWS_EXCEPTION(Error, loss_kind_from_string("hybrid"));
    TrainOptions options;
    options.loss = "hybrid";
    QVERIFY_THROWS_EXCEPTION(Error, options.validate());
  }

  // eps_from_output(target) gives back the ε that made x_t, for every objective and t
  // (the two directions are written from different formulas: eq. 7's posterior mean and
  // eq. 4 against eq. 11 and eq. 4 solved for ε).
  void conversion_invertsTheTarget() {
    const GaussianDiffusion diffusion(test::scaled_linear_schedule(kT));
    auto generator = make_generator(3);
    const auto x0 = randn({64, 2}, generator);
    const auto eps = randn({64, 2}, generator);
    const auto t = torch::arange(kT, torch::kLong).repeat({2}).narrow(0, 0, 64);
    const auto x_t = diffusion.q_sample(x0, t, eps);
    for (const Objective o : {Objective::Eps, Objective::Mu, Objective::X0}) {
      const auto target = objective_target(diffusion, o, x0, x_t, t, eps);
      const double error = max_difference(eps_from_output(diffusion, o, x_t, t, target), eps);
      QVERIFY2(error < 2e-3, qPrintable(QString("%1: %2").arg(QString::fromStdString(to_string(o))).arg(error)));
    }
  }

  // The three parameterisations of the same optimal model sample the same points (same
  // seed, DDPM and DDIM) and have the same bound.
  void oracle_sameSamplesAndBound_forEveryObjective() {
    const NoiseSchedule schedule = test::scaled_linear_schedule(kT);
    const GaussianDiffusion diffusion(schedule);
    const std::vector<std::int64_t> shape = {1, 4, 4};
    const Denoiser eps = std::make_shared<test::OracleDenoiserImpl>(schedule, 0.1, 0.5, shape);
    auto generator = make_generator(9);
    const auto x0 = (0.1 + 0.5 * randn({6, 1, 4, 4}, generator)).clamp(-1.0, 1.0);
    BoundOptions bound;
    bound.seed = 4;
    const double reference_bound = variational_bound(eps, diffusion, x0, bound).bits_per_dim;
    for (const Objective o : {Objective::Mu, Objective::X0}) {
      const Denoiser model = as_eps_predictor(std::make_shared<OracleInObjective>(schedule, o, shape), schedule);
      QCOMPARE(model->config().objective, o);
      for (const SamplerKind kind : {SamplerKind::DDPM, SamplerKind::DDIM}) {
        SamplerOptions options;
        options.kind = kind;
        options.steps = kind == SamplerKind::DDIM ? 10 : 0;
        options.n = 5;
        options.seed = 2;
        ReverseProcess a(eps, diffusion, shape, options), b(model, diffusion, shape, options);
        run_to_end(a);
        run_to_end(b);
        const double error = max_difference(a.sample(), b.sample());
        QVERIFY2(error < 1e-3, qPrintable(QString("%1, %2: %3").arg(QString::fromStdString(to_string(o)))
                                              .arg(QString::fromStdString(to_string(kind))).arg(error)));
      }
      const double value = variational_bound(model, diffusion, x0, bound).bits_per_dim;
      QVERIFY2(std::abs(value - reference_bound) < 1e-4 * std::abs(reference_bound),
               qPrintable(QString("%1 against %2").arg(value).arg(reference_bound)));
    }
  }

  // For the ε objective the bound's KL at t ≥ 1 is, per value,
  //   ½ (log β_t − log β̃_t + β̃_t / β_t − 1) + β_t / (2 α_t (1 − ᾱ_t)) (ε − ε_θ)²
  // (μ̃ − μ_θ = β_t / (√α_t √(1 − ᾱ_t)) (ε_θ − ε), σ² = β_t): the paper's weighted MSE.
  // The simple loss is the unweighted one. Both per sample, averaged over values.
  void losses_matchTheirClosedForms() {
    const NoiseSchedule schedule = test::scaled_linear_schedule(kT);
    const GaussianDiffusion diffusion(schedule);
    auto generator = make_generator(5);
    const auto x0 = randn({kT - 1, 3}, generator);
    const auto eps = randn({kT - 1, 3}, generator);
    const auto output = eps + 0.3 * randn({kT - 1, 3}, generator);
    const auto t = torch::arange(1, kT, torch::kLong);
    const auto x_t = diffusion.q_sample(x0, t, eps);
    const LossInputs in{x0, x_t, t, eps, output};
    const auto bound = training_loss(diffusion, Objective::Eps, LossKind::Bound, false, in);
    const auto simple = training_loss(diffusion, Objective::Eps, LossKind::Simple, false, in);
    const auto squared = (eps - output).to(torch::kFloat64).pow(2).mean(1);
    for (std::int64_t i = 0; i < kT - 1; ++i) {
      const auto k = static_cast<std::size_t>(i + 1);
      const double beta = schedule.beta[k], tilde = schedule.posterior_variance[k];
      const double weight = beta / (2.0 * (1.0 - beta) * schedule.one_minus_alpha_bar[k]);
      const double expected = 0.5 * (std::log(beta) - std::log(tilde) + tilde / beta - 1.0) + weight * squared[i].item<double>();
      const double got = bound[i].item<double>();
      QVERIFY2(std::abs(got - expected) <= 1e-3 * std::abs(expected) + 1e-6,
               qPrintable(QString("t = %1: %2 against %3").arg(i + 1).arg(got).arg(expected)));
      QVERIFY(std::abs(simple[i].item<double>() - squared[i].item<double>()) < 1e-5);
    }
    // t = 0: the decoder's −log density of x_0 under N(μ_θ, β_1), per value.
    const auto zero = torch::zeros({1}, torch::kLong);
    const auto x_0 = diffusion.q_sample(x0.narrow(0, 0, 1), zero, eps.narrow(0, 0, 1));
    const auto first = training_loss(diffusion, Objective::Eps, LossKind::Bound, false,
                                     {x0.narrow(0, 0, 1), x_0, zero, eps.narrow(0, 0, 1), output.narrow(0, 0, 1)});
    const auto mu = diffusion.p_mean_from_eps(x_0, zero, output.narrow(0, 0, 1)).to(torch::kFloat64);
    const double beta1 = schedule.beta[0];
    const double expected = (0.5 * std::log(2 * M_PI * beta1) +
                             (x0.narrow(0, 0, 1).to(torch::kFloat64) - mu).pow(2) / (2 * beta1)).mean().item<double>();
    QVERIFY2(std::abs(first.item<double>() - expected) < 1e-3 * std::abs(expected),
             qPrintable(QString("%1 against %2").arg(first.item<double>()).arg(expected)));
  }

  // Each objective and loss trains (a few steps on moons), is saved with its objective and
  // loss, loads back as an ε-predictor and samples finite points; a resume keeps them.
  void training_everyObjectiveAndLoss_savesAndSamples() {
    const QTemporaryDir dir;
    DataOptions data_options;
    data_options.toy_points = 512;
    for (const Objective o : {Objective::Eps, Objective::Mu, Objective::X0}) {
      for (const std::string loss : {"simple", "bound"}) {
        ModelConfig config = model_preset("mlp", {2});
        config.objective = o;
        config.hidden = 32;
        TrainOptions options;
        options.device = "cpu";
        options.batch_size = 64;
        options.learning_rate = 1e-3;
        options.loss = loss;
        ScheduleSpec schedule;
        schedule.steps = 50;
        Trainer trainer(load_dataset("moons", data_options), config, schedule, options);
        double last = NAN;
        QCOMPARE(trainer.run(20, [&](const TrainStepReport& r) { last = r.loss; }).status, TrainStatus::Finished);
        QVERIFY(std::isfinite(last));
        const std::string path = dir.filePath(QString::fromStdString(to_string(o) + loss + ".safetensors")).toStdString();
        trainer.save(path);
        const CheckpointData saved = load_checkpoint(path);
        QCOMPARE(saved.model.objective, o);
        QCOMPARE(saved.training.loss, loss);
        SamplerOptions sampling;
        sampling.n = 32;
        ReverseProcess process(load_denoiser(saved), GaussianDiffusion(NoiseSchedule(saved.schedule)), saved.sample_shape,
                               sampling);
        run_to_end(process);
        QVERIFY(torch::isfinite(process.sample()).all().item<bool>());
      }
    }
  }

  // The shipped Table 2 checkpoints are what their names say, and each samples the moons
  // through the conversion to ε: finite points, most of them within the data's box.
  void shippedCheckpoints_areTheirObjectiveAndLoss() {
    for (const char* objective : {"eps", "mu", "x0"}) {
      for (const char* loss : {"simple", "bound"}) {
        const std::string name = std::string("moons-") + objective + "-" + loss;
        const CheckpointData checkpoint = load_checkpoint(resolve_checkpoint(name));
        QCOMPARE(to_string(checkpoint.model.objective), std::string(objective));
        QCOMPARE(checkpoint.training.loss, std::string(loss));
        SamplerOptions sampling;
        sampling.kind = SamplerKind::DDIM;
        sampling.steps = 20;
        sampling.n = 256;
        // As the app samples a 2D model: x̂_0 clamped into the data's box (checkpoint_x0_range).
        ReverseProcess process = open_checkpoint_model(checkpoint, torch::kCPU).reverse_process(sampling);
        run_to_end(process);
        const auto x = checkpoint.normalisation.denormalise(process.sample().to(torch::kFloat64));
        QVERIFY2(torch::isfinite(x).all().item<bool>(), name.c_str());
        // moons lie in [−1.2, 2.2] × [−0.7, 1.2]: nearly every sample of a trained model does too
        const double inside = ((x.select(1, 0).abs() < 3.0) & (x.select(1, 1).abs() < 2.0)).to(torch::kFloat64).mean().item<double>();
        QVERIFY2(inside > 0.9, qPrintable(QString::fromStdString(name) + ": " + QString::number(inside)));
      }
    }
  }

  // A model config without "objective" (every checkpoint before it existed) is ε; a
  // written objective reads back; an unknown one is an error.
  void configJson_objectiveIsOptional() {
    ModelConfig config = model_preset("mlp", {2});
    auto json = to_json(config);
    QVERIFY(!json.contains("objective"));
    QCOMPARE(model_config_from_json(json).objective, Objective::Eps);
    config.objective = Objective::X0;
    json = to_json(config);
    QCOMPARE(json["objective"].get<std::string>(), std::string("x0"));
    QCOMPARE(model_config_from_json(json).objective, Objective::X0);
    QVERIFY(model_config_from_json(json) != model_preset("mlp", {2}));
    json["objective"] = "v";
    QVERIFY_THROWS_EXCEPTION(Error, model_config_from_json(json));
  }
};

QTEST_GUILESS_MAIN(TestObjectives)
#include "test_objectives.moc"
