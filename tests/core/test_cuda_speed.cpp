// The fast paths (runtime/precision.h, training/fused_adam.h,
// training/gradient_clipping.h). On the CPU: gradient clipping against its formula and
// against LibTorch's clip_grad_norm_, the precision checks, and bf16 autocast on the CPU
// (sampling with it stays near fp32). With a CUDA device (label gpu): autocast gives bf16 products inside the
// scope and float32 after it, and the fused Adam step equals torch::optim::Adam's.
#include "core/data/dataset.h"
#include "core/models/denoiser.h"
#include "core/runtime/precision.h"
#include "core/sampling/reverse_process.h"
#include "core/training/adam_state.h"
#include "core/training/fused_adam.h"
#include "core/training/gradient_clipping.h"
#include "core/training/train_options.h"
#include "core/training/trainer.h"
#include "core/util/error.h"

#include <ATen/autocast_mode.h>
#include <torch/torch.h>

#include <cmath>

#include <QtTest>

using namespace ddpm;

Q_DECLARE_METATYPE(std::vector<std::int64_t>)

namespace {

// Parameters with the given gradients (float32).
std::vector<torch::Tensor> with_gradients(const std::vector<torch::Tensor>& grads) {
  std::vector<torch::Tensor> params;
  for (const auto& g : grads) {
    auto p = torch::zeros_like(g).requires_grad_(true);
    p.mutable_grad() = g.clone();
    params.push_back(p);
  }
  return params;
}

// √(Σ g²) over all gradients, in double, element by element.
double global_norm(const std::vector<torch::Tensor>& grads) {
  double sum = 0;
  for (const auto& g : grads) {
    const auto d = g.to(torch::kFloat64).contiguous();
    const double* v = d.data_ptr<double>();
    for (std::int64_t i = 0; i < d.numel(); ++i) sum += v[i] * v[i];
  }
  return std::sqrt(sum);
}

bool autocast_on_cuda() {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
  return at::autocast::is_autocast_enabled(at::kCUDA);
#else
  return at::autocast::is_enabled();
#endif
}

}  // namespace

class TestCudaSpeed : public QObject {
  Q_OBJECT

 private slots:
  void clipping_scalesByMaxNormOverTheGlobalNorm() {
    torch::manual_seed(3);
    const std::vector<torch::Tensor> grads = {torch::randn({7, 5}) * 3, torch::randn({11}) * 2, torch::randn({2, 3, 4})};
    const double norm = global_norm(grads);
    QVERIFY(norm > 5);  // well above the limit below
    auto params = with_gradients(grads);
    clip_gradient_norm(params, 1.5);
    const double factor = 1.5 / (norm + 1e-6);
    for (std::size_t i = 0; i < grads.size(); ++i)
      QVERIFY(torch::allclose(params[i].grad(), grads[i] * factor, 1e-6, 1e-7));
    QVERIFY(std::abs(global_norm({params[0].grad(), params[1].grad(), params[2].grad()}) - 1.5) < 1e-5);
  }

  void clipping_leavesSmallGradientsExactlyAlone() {
    torch::manual_seed(4);
    const std::vector<torch::Tensor> grads = {torch::randn({6}) * 0.01, torch::randn({3, 3}) * 0.01};
    QVERIFY(global_norm(grads) < 1);
    auto params = with_gradients(grads);
    clip_gradient_norm(params, 1.0);  // factor min(1, 1/(norm + 1e-6)) = 1
    for (std::size_t i = 0; i < grads.size(); ++i) QVERIFY(torch::equal(params[i].grad(), grads[i]));
  }

  void clipping_matchesLibTorchsClipGradNorm() {
    torch::manual_seed(5);
    const std::vector<torch::Tensor> grads = {torch::randn({64, 32}), torch::randn({32}), torch::randn({8, 8, 3, 3})};
    auto ours = with_gradients(grads), theirs = with_gradients(grads);
    clip_gradient_norm(ours, 0.7);
    torch::nn::utils::clip_grad_norm_(theirs, 0.7);
    for (std::size_t i = 0; i < grads.size(); ++i) QVERIFY(torch::allclose(ours[i].grad(), theirs[i].grad(), 1e-6, 1e-8));
  }

  void precision_onlyFp32OrBf16() {
    QVERIFY_THROWS_EXCEPTION(Error, check_precision("fp16"));
    check_precision("fp32");
    check_precision("bf16");
    TrainOptions options;
    options.device = "cpu";
    options.precision = "half";
    QVERIFY_THROWS_EXCEPTION(Error, options.validate());
  }

  void precision_bf16TrainsOnCudaOnly_andSamplesOnABf16Cpu() {
    for (const bool cpu_bf16 : {false, true}) {
      QVERIFY(precision_problem(torch::kCPU, "fp32", PrecisionUse::Training, cpu_bf16).empty());
      QVERIFY(precision_problem(torch::kCPU, "fp32", PrecisionUse::Sampling, cpu_bf16).empty());
      QVERIFY(precision_problem(torch::kCUDA, "bf16", PrecisionUse::Training, cpu_bf16).empty());
      QVERIFY(precision_problem(torch::kCUDA, "bf16", PrecisionUse::Sampling, cpu_bf16).empty());
      QVERIFY(precision_problem(torch::kCPU, "bf16", PrecisionUse::Training, cpu_bf16).find("CUDA") !=
              std::string::npos);
    }
    QVERIFY(precision_problem(torch::kCPU, "bf16", PrecisionUse::Sampling, true).empty());
    const std::string lacking = precision_problem(torch::kCPU, "bf16", PrecisionUse::Sampling, false);
    QVERIFY2(lacking.find("AVX512_BF16") != std::string::npos && lacking.find("fp32") != std::string::npos,
             lacking.c_str());
    QVERIFY_THROWS_EXCEPTION(Error, precision_problem(torch::kCPU, "fp16", PrecisionUse::Sampling, true));
  }

  void precision_theTrainerAndTheReverseProcessAskThisCpu() {
    TrainOptions options;
    options.device = "cpu";
    options.precision = "bf16";
    options.batch_size = 8;
    DataOptions data;
    data.toy_points = 64;
    try {
      Trainer trainer(load_dataset("moons", data), model_preset("mlp", {2}), ScheduleSpec{}, options);
      QFAIL("bf16 training on the CPU was accepted");
    } catch (const Error& e) {
      QVERIFY2(std::string(e.what()).find("CUDA") != std::string::npos, e.what());
    }

    SamplerOptions sampler;
    sampler.precision = "bf16";
    sampler.n = 4;
    const Denoiser model = make_denoiser(model_preset("mlp", {2}));
    const GaussianDiffusion diffusion{NoiseSchedule(ScheduleSpec{})};
    if (cpu_has_bf16())
      ReverseProcess(model, diffusion, {2}, sampler);
    else
      QVERIFY_THROWS_EXCEPTION(Error, ReverseProcess(model, diffusion, {2}, sampler));
  }

  // bf16 keeps 8 significant bits (relative rounding 2⁻⁹ ≈ 0.002): a bf16 sampling run
  // with the same seed stays near the fp32 one. A DDIM run of 10 steps of a random
  // network (the unet and the MLP: every normalisation they use) puts the largest
  // difference at a few hundredths of the samples' spread.
  void bf16SamplingOnTheCpu_closeToFp32_data() {
    QTest::addColumn<QString>("preset");
    QTest::addColumn<std::vector<std::int64_t>>("shape");
    QTest::newRow("unet-tiny") << QStringLiteral("unet-tiny") << std::vector<std::int64_t>{1, 28, 28};
    QTest::newRow("mlp") << QStringLiteral("mlp") << std::vector<std::int64_t>{2};
  }

  void bf16SamplingOnTheCpu_closeToFp32() {
    if (!cpu_has_bf16()) QSKIP("this CPU has no AVX512_BF16");
    QFETCH(QString, preset);
    QFETCH(std::vector<std::int64_t>, shape);
    torch::manual_seed(3);
    const Denoiser model = make_denoiser(model_preset(preset.toStdString(), shape));
    const GaussianDiffusion diffusion{NoiseSchedule(ScheduleSpec{})};
    SamplerOptions sampler;
    sampler.kind = SamplerKind::DDIM;
    sampler.steps = 10;
    sampler.n = shape.size() == 1 ? 64 : 4;  // 64 points or 4 images
    sampler.seed = 11;
    const auto run = [&](const std::string& precision) {
      sampler.precision = precision;
      ReverseProcess process(model, diffusion, shape, sampler);
      while (!process.done()) process.step();
      return process.sample();
    };
    const auto fp32 = run("fp32"), bf16 = run("bf16");
    QCOMPARE(bf16.scalar_type(), torch::kFloat32);
    const double spread = fp32.std().item<double>();
    const double largest = (bf16 - fp32).abs().max().item<double>();
    QVERIFY2(largest > 0, "bf16 changed nothing: autocast did not run");
    QVERIFY2(largest < 0.05 * spread, (std::to_string(largest) + " vs spread " + std::to_string(spread)).c_str());
  }

  void autocastScope_onTheCpu_bf16InsideFloat32After() {
    const auto a = torch::randn({4, 4}), b = torch::randn({4, 4});
    {
      AutocastScope scope(torch::kCPU, "bf16");
      QVERIFY(!autocast_on_cuda());
      QCOMPARE(torch::matmul(a, b).scalar_type(), torch::kBFloat16);
    }
    QCOMPARE(torch::matmul(a, b).scalar_type(), torch::kFloat32);
    {
      AutocastScope scope(torch::kCPU, "fp32");
      QCOMPARE(torch::matmul(a, b).scalar_type(), torch::kFloat32);
    }
  }

  void fusedAdam_notOfferedOnTheCpu() { QVERIFY(!FusedAdam::available(torch::kCPU)); }

  void autocastScope_onCuda_bf16InsideFloat32After() {
    if (!torch::cuda::is_available()) QSKIP("no CUDA device");
    const auto a = torch::randn({64, 64}, torch::kCUDA), b = torch::randn({64, 64}, torch::kCUDA);
    {
      AutocastScope scope(torch::kCUDA, "bf16");
      QVERIFY(autocast_on_cuda());
      QCOMPARE(torch::matmul(a, b).scalar_type(), torch::kBFloat16);
    }
    QVERIFY(!autocast_on_cuda());
    QCOMPARE(torch::matmul(a, b).scalar_type(), torch::kFloat32);
    {
      AutocastScope scope(torch::kCUDA, "fp32");
      QCOMPARE(torch::matmul(a, b).scalar_type(), torch::kFloat32);
    }
  }

  void fusedAdam_onCuda_equalsTorchOptimAdam() {
    if (!torch::cuda::is_available()) QSKIP("no CUDA device");
    QVERIFY(FusedAdam::available(torch::kCUDA));
    torch::manual_seed(6);
    const std::vector<std::vector<std::int64_t>> shapes = {{32, 16}, {16}, {4, 4, 3, 3}};
    std::vector<torch::Tensor> a, b;
    for (const auto& s : shapes) {
      const auto init = torch::randn(s, torch::kCUDA);
      a.push_back(init.clone().requires_grad_(true));
      b.push_back(init.clone().requires_grad_(true));
    }
    torch::optim::Adam plain(a, torch::optim::AdamOptions(1e-3));
    torch::optim::Adam fused_state(b, torch::optim::AdamOptions(1e-3));
    FusedAdam fused;
    for (int step = 0; step < 5; ++step) {
      for (std::size_t i = 0; i < a.size(); ++i) {
        const auto g = torch::randn(a[i].sizes(), torch::kCUDA);
        a[i].mutable_grad() = g.clone();
        b[i].mutable_grad() = g.clone();
      }
      plain.step();
      fused.step(fused_state);
    }
    for (std::size_t i = 0; i < a.size(); ++i) QVERIFY(torch::allclose(a[i], b[i], 1e-5, 1e-6));
    auto& state = fused_state.state();
    const auto& s = static_cast<torch::optim::AdamParamState&>(*state.at(optimizer_state_key<AdamStateMap>(b[0])));
    QCOMPARE(s.step(), std::int64_t{5});
  }
};

QTEST_GUILESS_MAIN(TestCudaSpeed)
#include "test_cuda_speed.moc"
