// The denoisers ε_θ(x_t, t): the sinusoidal time embedding against its formula, the
// paper's parameter count, shapes, dependence on t and x, gradients to every
// parameter, seeding, dropout in eval mode, preset/shape errors and the JSON form of
// a config.
#include "core/models/denoiser.h"
#include "core/models/model_config_json.h"
#include "core/models/timestep_embedding.h"
#include "core/util/error.h"
#include "core_test_support.h"

#include <torch/torch.h>

#include <QtTest>

#include <cmath>
#include <string>
#include <vector>

using namespace ddpm;

Q_DECLARE_METATYPE(std::vector<std::int64_t>)

namespace {


torch::Tensor batch_of(std::int64_t batch, const std::vector<std::int64_t>& shape) {
  std::vector<std::int64_t> sizes = {batch};
  sizes.insert(sizes.end(), shape.begin(), shape.end());
  return torch::randn(sizes);
}

torch::Tensor steps(std::vector<std::int64_t> values) {
  return torch::tensor(values, torch::TensorOptions().dtype(torch::kLong));
}

/// max |a − b| relative to max |a|: scale-free, since the last layer starts near zero.
double relative_difference(const torch::Tensor& a, const torch::Tensor& b) {
  return (a - b).abs().max().item<double>() / a.abs().max().item<double>();
}

Denoiser build(const std::string& preset, const std::vector<std::int64_t>& shape) {
  return make_denoiser(model_preset(preset, shape));
}

/// Moves every weight away from its start, as training would: the reference
/// initialisation puts the last layer of each residual branch (and conv_out) at
/// ~1e-5, so a fresh network barely sees t or dropout by design.
void perturb_weights(DenoiserImpl& model) {
  torch::NoGradGuard no_grad;
  for (auto& parameter : model.parameters()) parameter.add_(0.05 * torch::randn_like(parameter));
}

}  // namespace

class TestModels : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() {
    // One thread: these tensors are tiny, and on a shared two-core box two OpenMP
    // threads were 5-10x slower here (spin-waiting while the other core is busy).
    torch::set_num_threads(1);
    torch::manual_seed(0);
  }

  void timestepEmbedding_matchesSinCosFormula() {
    const std::vector<std::int64_t> ts = {0, 5, 999};
    for (const std::int64_t dim : {8, 9}) {
      const auto embedding = timestep_embedding(steps(ts), dim);
      QCOMPARE(embedding.sizes().vec(), (std::vector<std::int64_t>{3, dim}));
      const std::int64_t half = dim / 2;
      for (std::size_t row = 0; row < ts.size(); ++row) {
        for (std::int64_t i = 0; i < half; ++i) {
          const double frequency = std::exp(-std::log(10000.0) * static_cast<double>(i) / static_cast<double>(half - 1));
          const double angle = static_cast<double>(ts[row]) * frequency;
          const auto r = static_cast<std::int64_t>(row);
          // float32 angles near 999 rad carry ~6e-5 absolute error.
          QVERIFY(std::abs(embedding[r][i].item<double>() - std::sin(angle)) < 2e-4);
          QVERIFY(std::abs(embedding[r][half + i].item<double>() - std::cos(angle)) < 2e-4);
        }
        if (dim % 2 == 1) QCOMPARE(embedding[static_cast<std::int64_t>(row)][dim - 1].item<double>(), 0.0);
      }
    }
    EXPECT_ERROR(timestep_embedding(steps({1}), 3), "at least 4");
  }

  void unetPaper_hasThePapersParameterCount() {
    const auto model = build("unet-paper", {3, 32, 32});
    const auto count = parameter_count(*model);
    qInfo("unet-paper on 3x32x32: %lld parameters", static_cast<long long>(count));
    // Ho et al. 2020, appendix B: 35.7M; diffusers' google/ddpm-cifar10-32 has 35,746,307.
    QCOMPARE(count, std::int64_t{35746307});
  }

  void presetParameterCounts_areInTheirRanges() {
    const auto tiny = parameter_count(*build("unet-tiny", {1, 28, 28}));
    const auto small = parameter_count(*build("unet-small", {1, 28, 28}));
    const auto mlp = parameter_count(*build("mlp", {2}));
    qInfo("unet-tiny 1x28x28: %lld, unet-small 1x28x28: %lld, mlp 2-D: %lld parameters",
          static_cast<long long>(tiny), static_cast<long long>(small), static_cast<long long>(mlp));
    QVERIFY2(tiny >= 1000000 && tiny <= 3000000, "unet-tiny should have 1M-3M parameters");
    QVERIFY(small > 2 * tiny);
    QVERIFY(mlp > 100000 && mlp < 2000000);
  }

  void forward_keepsTheInputShape_data() {
    QTest::addColumn<QString>("preset");
    QTest::addColumn<std::vector<std::int64_t>>("shape");
    QTest::addColumn<qint64>("batch");
    QTest::newRow("mlp 2-D") << "mlp" << std::vector<std::int64_t>{2} << qint64{5};
    QTest::newRow("mlp 3-D") << "mlp" << std::vector<std::int64_t>{3} << qint64{4};
    QTest::newRow("unet-tiny 1x28x28") << "unet-tiny" << std::vector<std::int64_t>{1, 28, 28} << qint64{3};
    QTest::newRow("unet-small 1x28x28") << "unet-small" << std::vector<std::int64_t>{1, 28, 28} << qint64{1};
    QTest::newRow("unet-tiny 3x32x32") << "unet-tiny" << std::vector<std::int64_t>{3, 32, 32} << qint64{2};
    QTest::newRow("unet-paper 3x32x32") << "unet-paper" << std::vector<std::int64_t>{3, 32, 32} << qint64{1};
  }

  void forward_keepsTheInputShape() {
    QFETCH(QString, preset);
    QFETCH(std::vector<std::int64_t>, shape);
    QFETCH(qint64, batch);
    const auto model = build(preset.toStdString(), shape);
    model->eval();
    torch::NoGradGuard no_grad;
    const auto x = batch_of(batch, shape);
    const auto out = model->forward(x, torch::randint(0, 1000, {batch}, torch::kLong));
    QCOMPARE(out.sizes().vec(), x.sizes().vec());
    QCOMPARE(out.scalar_type(), torch::kFloat32);
    QVERIFY(torch::isfinite(out).all().item<bool>());
  }

  void output_dependsOnTimeAndInput_data() {
    QTest::addColumn<QString>("preset");
    QTest::addColumn<std::vector<std::int64_t>>("shape");
    QTest::newRow("mlp") << "mlp" << std::vector<std::int64_t>{2};
    QTest::newRow("unet-tiny") << "unet-tiny" << std::vector<std::int64_t>{1, 28, 28};
  }

  void output_dependsOnTimeAndInput() {
    QFETCH(QString, preset);
    QFETCH(std::vector<std::int64_t>, shape);
    const auto model = build(preset.toStdString(), shape);
    perturb_weights(*model);
    model->eval();
    torch::NoGradGuard no_grad;
    const auto x = batch_of(2, shape);
    const auto base = model->forward(x, steps({10, 10}));
    QVERIFY(relative_difference(base, model->forward(x, steps({500, 500}))) > 1e-3);  // t matters
    QVERIFY(relative_difference(base, model->forward(x + 0.5, steps({10, 10}))) > 1e-3);  // x matters
    // Each row sees only its own x and t (no batch statistics): row 1 alone equals row 1 in the batch.
    const auto alone = model->forward(x.slice(0, 1, 2), steps({10}));
    QVERIFY(relative_difference(base.slice(0, 1, 2), alone) < 1e-4);
    // A 0-d t is broadcast over the batch.
    QVERIFY(relative_difference(base, model->forward(x, torch::tensor(10, torch::kLong))) < 1e-6);
  }

  void freshNetwork_startsNearZeroOutput() {
    // conv_out starts at 1e-10 variance scale (reference code's init_scale = 0).
    const auto model = build("unet-tiny", {1, 28, 28});
    torch::NoGradGuard no_grad;
    const auto out = model->forward(batch_of(2, {1, 28, 28}), steps({0, 999}));
    QVERIFY(out.abs().max().item<double>() < 1e-3);
    QVERIFY(out.abs().max().item<double>() > 0.0);
  }

  void backward_reachesEveryParameter_data() {
    QTest::addColumn<QString>("preset");
    QTest::addColumn<std::vector<std::int64_t>>("shape");
    QTest::newRow("unet-tiny") << "unet-tiny" << std::vector<std::int64_t>{1, 28, 28};
    QTest::newRow("mlp") << "mlp" << std::vector<std::int64_t>{2};
  }

  void backward_reachesEveryParameter() {
    QFETCH(QString, preset);
    QFETCH(std::vector<std::int64_t>, shape);
    const auto model = build(preset.toStdString(), shape);
    model->train();
    const auto x = batch_of(4, shape);
    const auto loss = (model->forward(x, steps({0, 10, 500, 999})) - torch::randn_like(x)).pow(2).mean();
    loss.backward();
    QStringList missing;
    for (const auto& item : model->named_parameters()) {
      const auto& grad = item.value().grad();
      if (!grad.defined() || !(grad.abs().sum().item<double>() > 0.0) || !torch::isfinite(grad).all().item<bool>())
        missing << QString::fromStdString(item.key());
    }
    QVERIFY2(missing.isEmpty(), qPrintable("no gradient for: " + missing.join(", ")));
  }

  void sameSeed_givesIdenticalInitialWeights() {
    const auto config = model_preset("unet-tiny", {1, 28, 28});
    torch::manual_seed(1234);
    const auto a = make_denoiser(config);
    torch::manual_seed(1234);
    const auto b = make_denoiser(config);
    torch::manual_seed(1235);
    const auto c = make_denoiser(config);
    const auto pa = a->parameters(), pb = b->parameters(), pc = c->parameters();
    QCOMPARE(pa.size(), pb.size());
    bool any_differs_from_other_seed = false;
    for (std::size_t i = 0; i < pa.size(); ++i) {
      QVERIFY(torch::equal(pa[i], pb[i]));
      if (!torch::equal(pa[i], pc[i])) any_differs_from_other_seed = true;
    }
    QVERIFY(any_differs_from_other_seed);
  }

  void evalMode_makesDropoutDeterministic() {
    auto config = model_preset("unet-tiny", {1, 8, 8});
    config.dropout = 0.5;
    const auto model = make_denoiser(config);
    perturb_weights(*model);
    torch::NoGradGuard no_grad;
    const auto x = batch_of(2, {1, 8, 8});
    const auto t = steps({3, 700});
    model->train();
    QVERIFY(relative_difference(model->forward(x, t), model->forward(x, t)) > 1e-4);
    model->eval();
    QVERIFY(torch::equal(model->forward(x, t), model->forward(x, t)));
  }

  void modelPreset_rejectsUnknownNamesAndUnfitShapes() {
    EXPECT_ERROR(model_preset("unet-huge", {1, 28, 28}), "unknown model \"unet-huge\"");
    EXPECT_ERROR(model_preset("mlp", {1, 28, 28}), "for points");
    EXPECT_ERROR(model_preset("unet-tiny", {2}), "for images");
    EXPECT_ERROR(model_preset("unet-tiny", {1, 30, 30}), "divisible by 4");
    EXPECT_ERROR(model_preset("unet-paper", {1, 28, 28}), "divisible by 8");
    EXPECT_ERROR(model_preset("unet-small", {1, 0, 28}), "divisible by 4");
    auto config = model_preset("unet-tiny", {1, 28, 28});
    config.groups = 5;
    EXPECT_ERROR(make_denoiser(config), "divisible by groups");
    config = model_preset("mlp", {2});
    config.sample_shape = {3, 4};
    EXPECT_ERROR(make_denoiser(config), "takes points");
  }

  void forward_rejectsWrongShapes() {
    const auto model = build("unet-tiny", {1, 8, 8});
    EXPECT_ERROR(model->forward(torch::randn({2, 1, 8, 4}), steps({1, 2})), "expects x_t of shape [B, 1, 8, 8]");
    EXPECT_ERROR(model->forward(torch::randn({1, 8, 8}), steps({1})), "expects x_t of shape");
    EXPECT_ERROR(model->forward(torch::randn({2, 1, 8, 8}), steps({1, 2, 3})), "one timestep per batch row");
    const auto mlp = build("mlp", {2});
    EXPECT_ERROR(mlp->forward(torch::randn({4, 3}), steps({1, 2, 3, 4})), "expects x_t of shape [B, 2]");
  }

  void jsonRoundTrip_givesEqualConfigs() {
    const std::vector<std::pair<std::string, std::vector<std::int64_t>>> cases = {
        {"mlp", {2}}, {"unet-tiny", {1, 28, 28}}, {"unet-small", {1, 28, 28}}, {"unet-tiny", {3, 32, 32}},
        {"unet-paper", {3, 32, 32}}};
    for (const auto& [name, shape] : cases) {
      const auto config = model_preset(name, shape);
      const auto text = to_json(config).dump();
      const auto back = model_config_from_json(nlohmann::json::parse(text));
      QVERIFY2(back == config, text.c_str());
    }
    // Equality is not trivially true: every field the family uses counts.
    const auto unet = model_preset("unet-small", {1, 28, 28});
    for (int field = 0; field < 7; ++field) {
      auto other = unet;
      switch (field) {
        case 0: other.base_channels = 32; break;
        case 1: other.channel_mult = {1, 2}; break;
        case 2: other.res_blocks = 1; break;
        case 3: other.attention_resolutions = {7}; break;
        case 4: other.dropout = 0.2; break;
        case 5: other.groups = 16; break;
        default: other.sample_shape = {3, 28, 28}; break;
      }
      QVERIFY2(other != unet, qPrintable(QString("field %1").arg(field)));
    }
    auto mlp = model_preset("mlp", {2});
    auto wider = mlp;
    wider.hidden = 64;
    QVERIFY(wider != mlp);
    wider = mlp;
    wider.base_channels = 999;  // a UNet number means nothing to the MLP
    QVERIFY(wider == mlp);
  }

  void jsonMalformed_reportsError_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<QString>("fragment");
    const QString unet =
        R"({"preset":"unet-tiny","sample_shape":[1,28,28],"time_embedding_dim":0,"base_channels":32,)"
        R"("channel_mult":[1,2,2],"res_blocks":1,"attention_resolutions":[7],"dropout":0.0,"groups":8%1})";
    QTest::newRow("not an object") << "[1,2,3]" << "JSON object";
    QTest::newRow("missing preset") << R"({"sample_shape":[2]})" << "missing field \"preset\"";
    QTest::newRow("preset not a string") << R"({"preset":3,"sample_shape":[2]})" << "\"preset\" must be a string";
    QTest::newRow("unknown preset") << R"({"preset":"gan","sample_shape":[2]})" << "unknown model";
    QTest::newRow("mlp missing hidden")
        << R"({"preset":"mlp","sample_shape":[2],"time_embedding_dim":0,"blocks":3})" << "missing field \"hidden\"";
    QTest::newRow("sample_shape a string")
        << R"({"preset":"mlp","sample_shape":"2","time_embedding_dim":0,"hidden":8,"blocks":1})" << "list of integers";
    QTest::newRow("hidden a float")
        << R"({"preset":"mlp","sample_shape":[2],"time_embedding_dim":0,"hidden":8.5,"blocks":1})" << "\"hidden\" must be an integer";
    QTest::newRow("negative hidden")
        << R"({"preset":"mlp","sample_shape":[2],"time_embedding_dim":0,"hidden":-8,"blocks":1})" << "hidden must be between";
    QTest::newRow("huge unsigned")
        << R"({"preset":"mlp","sample_shape":[2],"time_embedding_dim":0,"hidden":18446744073709551615,"blocks":1})" << "out of range";
    QTest::newRow("unet valid but missing groups") << unet.arg("").replace(R"(,"groups":8)", "") << "missing field \"groups\"";
    QTest::newRow("negative channels") << unet.arg("").replace(R"("base_channels":32)", R"("base_channels":-32)")
                                       << "base_channels must be between";
    QTest::newRow("too many channels") << unet.arg("").replace(R"("base_channels":32)", R"("base_channels":8192)")
                                       << "base_channels must be between";
    QTest::newRow("multiplier too big") << unet.arg("").replace(R"([1,2,2])", R"([1,2,256])") << "exceeds the limit";
    QTest::newRow("float in channel_mult") << unet.arg("").replace(R"([1,2,2])", R"([1,2.5,2])") << "channel_mult entry";
    QTest::newRow("dropout a string") << unet.arg("").replace(R"("dropout":0.0)", R"("dropout":"0.1")") << "\"dropout\" must be a number";
    QTest::newRow("dropout one") << unet.arg("").replace(R"("dropout":0.0)", R"("dropout":1)") << "dropout must be in";
    QTest::newRow("groups not dividing") << unet.arg("").replace(R"("groups":8)", R"("groups":7)") << "divisible by groups";
    QTest::newRow("size not divisible") << unet.arg("").replace(R"([1,28,28])", R"([1,30,30])") << "divisible by 4";
    QTest::newRow("empty dimension") << unet.arg("").replace(R"([1,28,28])", R"([1,0,28])") << "empty dimension";
  }

  void jsonMalformed_reportsError() {
    QFETCH(QString, json);
    QFETCH(QString, fragment);
    try {
      model_config_from_json(nlohmann::json::parse(json.toStdString()));
      QFAIL(qPrintable("accepted: " + json));
    } catch (const Error& e) {
      QVERIFY2(QString::fromUtf8(e.what()).contains(fragment), e.what());
    }
  }

  void cudaForward_matchesCpu() {
    if (!torch::cuda::is_available()) QSKIP("no CUDA device");
    const auto model = build("unet-tiny", {1, 28, 28});
    model->eval();
    torch::NoGradGuard no_grad;
    const auto x = batch_of(2, {1, 28, 28});
    const auto t = steps({5, 900});
    const auto cpu = model->forward(x, t);
    model->to(torch::kCUDA);
    const auto gpu = model->forward(x.to(torch::kCUDA), t.to(torch::kCUDA)).cpu();
    QVERIFY(relative_difference(cpu, gpu) < 1e-3);
  }
};

QTEST_GUILESS_MAIN(TestModels)
#include "test_models.moc"
