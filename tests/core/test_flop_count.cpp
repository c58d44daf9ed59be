// forward_flops against two independent counts: a tiny UNet and the MLP preset counted
// by hand, and every preset counted from the built module's own parameter shapes (each
// conv/linear weight times the positions it is applied at, taken from its name).
#include "core/models/denoiser.h"
#include "core/models/flop_count.h"
#include "core/util/error.h"
#include "core_test_support.h"

#include <torch/torch.h>

#include <QtTest>

#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

using namespace ddpm;

namespace {

/// FLOPs of one forward pass per sample from the module's parameters: a Linear weight
/// [out, in] costs 2·out·in; a conv weight [out, in, k, k] costs 2·numel·(output pixels),
/// where the output resolution follows from the parameter's name (down.i / up.i work at
/// level i, a downsample outputs level i + 1, an upsample's conv runs at level i − 1,
/// the middle at the coarsest level); each attention block (found by its q weight [C, C, 1, 1])
/// adds q kᵀ and w v, 2·n·n·C each for n pixels.
ModelFlops flops_from_parameters(DenoiserImpl& model) {
  const auto& config = model.config();
  ModelFlops flops;
  const bool unet = model_family(config.preset) == ModelFamily::UNet;
  const auto levels = static_cast<std::int64_t>(config.channel_mult.size());
  const std::regex level_pattern(R"(^(down|up)\.(\d+)\.)");
  for (const auto& item : model.named_parameters()) {
    const auto& name = item.key();
    const auto& weight = item.value();
    if (name.size() < 7 || name.substr(name.size() - 7) != ".weight") continue;
    if (weight.dim() == 2) flops.linear += 2 * weight.numel();
    if (weight.dim() != 4) continue;  // norms
    if (!unet) throw std::logic_error("the MLP has a 4-D weight: " + name);
    std::int64_t level = 0;
    std::smatch match;
    if (std::regex_search(name, match, level_pattern)) level = std::stoll(match[2].str());
    if (name.rfind("mid_", 0) == 0) level = levels - 1;
    if (name.find("downsample.") != std::string::npos) level += 1;
    if (name.find("upsample.") != std::string::npos) level -= 1;
    const auto pixels = (config.sample_shape[1] >> level) * (config.sample_shape[2] >> level);
    flops.convolution += 2 * weight.numel() * pixels;
    if (name.size() >= 8 && name.substr(name.size() - 8) == "q.weight" &&
        (name.find("attn") != std::string::npos))
      flops.attention += 2 * (2 * pixels * pixels * weight.size(0));
  }
  return flops;
}

}  // namespace

class TestFlopCount : public QObject {
  Q_OBJECT

 private slots:
  void mlpPreset_matchesHandCount() {
    // hidden 128, temb 128, 3 blocks, 2-D points: temb MLP 128·128 + 128·128; in_proj 2·128;
    // per block linear1 + linear2 (128·128 each) + temb_proj 128·128; out_proj 128·2.
    const std::int64_t macs = 128 * 128 + 128 * 128 + 2 * 128 + 3 * (3 * 128 * 128) + 128 * 2;
    const auto flops = forward_flops(model_preset("mlp", {2}));
    QCOMPARE(flops.linear, 2 * macs);
    QCOMPARE(flops.convolution, std::int64_t{0});
    QCOMPARE(flops.attention, std::int64_t{0});
    QCOMPARE(flops.total(), std::int64_t{361472});
  }

  void tinyUNet_matchesHandCount() {
    // 1×4×4 images, base 8, mult {1, 2}, one block per level, attention at 2×2, temb 32.
    ModelConfig config;
    config.preset = "unet-tiny";
    config.sample_shape = {1, 4, 4};
    config.base_channels = 8;
    config.channel_mult = {1, 2};
    config.res_blocks = 1;
    config.attention_resolutions = {2};
    config.groups = 4;
    const auto flops = forward_flops(config);
    // Counted by hand: 2·in·out·k²·pixels per conv (16 pixels at level 0, 4 at level 1).
    const std::int64_t conv =
        2304                               // conv_in 1→8
        + 18432 + 18432                    // down.0 res 8→8
        + 4608                             // downsample 8→8 to 2×2
        + 9216 + 18432 + 1024 + 8192       // down.1 res 8→16 (+1×1 shortcut), attn q,k,v,proj
        + 36864 + 8192 + 36864             // mid: res, attn, res
        + 36864 + 18432 + 4096 + 8192      // up.1 res 32→16, attn
        + 27648 + 18432 + 3072 + 8192      // up.1 res 24→16, attn
        + 73728                            // upsample conv at 4×4
        + 55296 + 18432 + 6144             // up.0 res 24→8
        + 36864 + 18432 + 4096             // up.0 res 16→8
        + 2304;                            // conv_out 8→1
    const std::int64_t linear = 2 * (8 * 32 + 32 * 32)  // time embedding
                                + 2 * 32 * (8 + 16 + 16 + 16 + 16 + 16 + 8 + 8);  // temb_proj of 8 blocks
    const std::int64_t attention = 4 * (2 * (2 * 4 * 4 * 16));  // 4 blocks, n = 4, C = 16
    QCOMPARE(flops.convolution, conv);
    QCOMPARE(flops.linear, linear);
    QCOMPARE(flops.attention, attention);
    const auto model = make_denoiser(config);
    const auto counted = flops_from_parameters(*model);
    QCOMPARE(counted.convolution, conv);
    QCOMPARE(counted.linear, linear);
    QCOMPARE(counted.attention, attention);
  }

  void presets_matchParameterShapeCount_data() {
    QTest::addColumn<QString>("preset");
    QTest::addColumn<int>("channels");
    QTest::addColumn<int>("side");
    QTest::newRow("mlp") << "mlp" << 2 << 0;
    QTest::newRow("unet-tiny 28") << "unet-tiny" << 1 << 28;
    QTest::newRow("unet-tiny 32 rgb") << "unet-tiny" << 3 << 32;
    QTest::newRow("unet-small 28") << "unet-small" << 1 << 28;
    QTest::newRow("unet-paper 32") << "unet-paper" << 3 << 32;
  }

  void presets_matchParameterShapeCount() {
    QFETCH(QString, preset);
    QFETCH(int, channels);
    QFETCH(int, side);
    const std::vector<std::int64_t> shape =
        side == 0 ? std::vector<std::int64_t>{channels} : std::vector<std::int64_t>{channels, side, side};
    const auto config = model_preset(preset.toStdString(), shape);
    const auto model = make_denoiser(config);
    const auto expected = flops_from_parameters(*model);
    const auto flops = forward_flops(config);
    QCOMPARE(flops.convolution, expected.convolution);
    QCOMPARE(flops.linear, expected.linear);
    QCOMPARE(flops.attention, expected.attention);
  }

  void badConfig_throws() {
    auto config = model_preset("unet-tiny", {1, 28, 28});
    config.groups = 5;
    EXPECT_ERROR(forward_flops(config), "groups");
  }
};

QTEST_GUILESS_MAIN(TestFlopCount)
#include "test_flop_count.moc"
