// Checkpoints written by one version must be read by the next: the format-1 file kept
// in tests/data was written by DDPM Studio 0.1.0 and is checked value by value against
// the formulas it was made from (tests/support/checkpoint_fixture.h); a file that
// claims a newer format is refused with the "newer DDPM Studio" message.
//
// Regenerate the fixtures (only when the format version changes, keeping the old
// ones): DDPM_WRITE_FIXTURES=1 ./test_checkpoint_compat writeFixtures
#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/safetensors.h"
#include "core/data/dataset.h"
#include "core/models/denoiser.h"
#include "core/training/trainer.h"

#include "checkpoint_fixture.h"
#include "core_test_support.h"

#include <QtTest>

using namespace ddpm;

namespace {

std::string fixture_path(const char* name) {
  return std::string(DDPM_TEST_DATA_DIR) + "/" + name;
}

// Every scalar of `actual` equals `expected` exactly (same names, shapes, values).
void compare_tensors(const NamedTensors& actual, const NamedTensors& expected, const char* what) {
  QCOMPARE(actual.size(), expected.size());
  for (const auto& [name, tensor] : expected) {
    const auto it = actual.find(name);
    QVERIFY2(it != actual.end(), qPrintable(QString("%1 lacks %2").arg(what, QString::fromStdString(name))));
    QCOMPARE(it->second.scalar_type(), torch::kFloat32);
    QVERIFY2(torch::equal(it->second, tensor), qPrintable(QString("%1 %2 differs").arg(what, QString::fromStdString(name))));
  }
}

}  // namespace

class TestCheckpointCompat : public QObject {
  Q_OBJECT

 private slots:
  void writeFixtures() {
    if (qgetenv("DDPM_WRITE_FIXTURES") != "1") QSKIP("set DDPM_WRITE_FIXTURES=1 to rewrite tests/data fixtures");
    const std::string v1 = fixture_path(test::kCheckpointV1Fixture);
    save_checkpoint(v1, test::fixture_checkpoint());
    SafetensorsFile newer = read_safetensors(v1);
    newer.metadata["format_version"] = "2";
    newer.metadata["app_version"] = "9.0.0";
    write_safetensors(fixture_path(test::kCheckpointNewerFixture), newer);
  }

  void loadVersion1Fixture_readsEveryMetadataField() {
    const CheckpointData d = load_checkpoint(fixture_path(test::kCheckpointV1Fixture));
    const CheckpointData expected = test::fixture_checkpoint();
    QCOMPARE(d.format_version, 1);
    QCOMPARE(d.app_version, std::string("0.1.0"));
    QCOMPARE(d.created, std::string("2026-11-25T12:00:00Z"));
    QCOMPARE(d.weights_dtype, std::string("F32"));
    QVERIFY(d.model == expected.model);
    QCOMPARE(d.model.hidden, std::int64_t{8});
    QCOMPARE(d.model.blocks, std::int64_t{1});
    QVERIFY(d.schedule == expected.schedule);
    QCOMPARE(d.schedule.steps, std::int64_t{100});
    QCOMPARE(d.schedule.beta_start, 1e-3);
    QCOMPARE(d.schedule.beta_end, 0.1);
    QCOMPARE(d.data_spec, std::string("moons"));
    QCOMPARE(d.normalisation.offset, (std::vector<double>{0.5, 0.25}));
    QCOMPARE(d.normalisation.scale, (std::vector<double>{0.875, 0.5}));
    QCOMPARE(d.sample_shape, (std::vector<std::int64_t>{2}));
    QCOMPARE(d.step, std::int64_t{120});
    QCOMPARE(d.training.learning_rate, 1e-3);
    QCOMPARE(d.training.batch_size, std::int64_t{64});
    QCOMPARE(d.training.seed, std::uint64_t{7});
    QCOMPARE(d.training.warmup_steps, std::int64_t{10});
    QCOMPARE(d.training.grad_clip, 1.0);
    QCOMPARE(d.training.ema_decay, 0.99);
  }

  void loadVersion1Fixture_readsEveryTensorValue() {
    const CheckpointData d = load_checkpoint(fixture_path(test::kCheckpointV1Fixture));
    const CheckpointData expected = test::fixture_checkpoint();
    compare_tensors(d.weights, expected.weights, "weights");
    QVERIFY(d.resumable);
    compare_tensors(d.resume.online_weights, expected.resume.online_weights, "online weights");
    compare_tensors(d.resume.adam_exp_avg, expected.resume.adam_exp_avg, "Adam exp_avg");
    compare_tensors(d.resume.adam_exp_avg_sq, expected.resume.adam_exp_avg_sq, "Adam exp_avg_sq");
    QVERIFY(d.resume.ema_weights.empty());  // float32 weights: the EMA copy is the weights themselves
    QCOMPARE(d.resume.adam_step, std::int64_t{120});
    QCOMPARE(d.resume.rng_state.scalar_type(), torch::kUInt8);
    QCOMPARE(d.resume.rng_state.dim(), std::int64_t{1});
    QVERIFY(d.resume.rng_state.numel() > 0);
    // One spot value by hand: weights are (7i + 13k) mod 41 − 20, over 64.
    const auto first = d.weights.begin();
    QCOMPARE(first->second.flatten()[3].item<float>(), static_cast<float>((3 * 7 % 41 - 20) / 64.0));
    std::int64_t scalars = 0;
    for (const auto& [name, tensor] : expected.weights) scalars += tensor.numel();
    QCOMPARE(d.weight_count, scalars);
  }

  void loadVersion1Fixture_buildsTheModelItDescribes() {
    const CheckpointData d = load_checkpoint(fixture_path(test::kCheckpointV1Fixture));
    Denoiser model = load_denoiser(d);
    QCOMPARE(parameter_count(*model), d.weight_count);
    torch::NoGradGuard no_grad;
    const torch::Tensor eps = model->forward(torch::zeros({3, 2}), torch::tensor({0, 50, 99}, torch::kLong));
    QCOMPARE(eps.sizes().vec(), (std::vector<std::int64_t>{3, 2}));
    QVERIFY(torch::isfinite(eps).all().item<bool>());
  }

  void resumeVersion1Fixture_continuesTraining() {
    const CheckpointData d = load_checkpoint(fixture_path(test::kCheckpointV1Fixture));
    TrainOptions options = d.training;
    options.device = "cpu";
    Trainer trainer(load_dataset(d.data_spec), d, options);
    QCOMPARE(trainer.step(), std::int64_t{120});
    const TrainResult result = trainer.run(3);
    QVERIFY2(result.status == TrainStatus::Finished, result.message.c_str());
    QCOMPARE(trainer.step(), std::int64_t{123});
  }

  void loadNewerFormatFixture_reportsNewerFormat() {
    const std::string path = fixture_path(test::kCheckpointNewerFixture);
    EXPECT_ERROR(load_checkpoint(path), "was written by a newer DDPM Studio (format 2); this build reads format 1");
    EXPECT_ERROR(read_checkpoint_metadata(path), "Update DDPM Studio to open it");
    // The file itself is intact: only its declared version is newer.
    QCOMPARE(read_safetensors(path).metadata.at("format_version"), std::string("2"));
  }
};

QTEST_GUILESS_MAIN(TestCheckpointCompat)
#include "test_checkpoint_compat.moc"
