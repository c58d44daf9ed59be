// The quality-score classifier: shapes of its logits and features, input checks,
// training on a two-class toy (loss falls, accuracy rises, one seed gives one run,
// cancel stops it), the classifier file (round trip, clear errors for broken or
// foreign files), 8-bit quantisation and the image score of a set against itself.
#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/classifier_checkpoint.h"
#include "core/metrics/image_quality_score.h"
#include "core/models/denoiser.h"
#include "core/models/fmnist_classifier.h"
#include "core/runtime/random.h"
#include "core/training/classifier_training.h"
#include "core/util/error.h"
#include "core_test_support.h"

#include <torch/torch.h>

#include <QTemporaryDir>
#include <QtTest>

using namespace ddpm;

namespace {

FmnistClassifierOptions small_shape(std::int64_t classes = 2) {
  return FmnistClassifierOptions().channels1(4).channels2(8).channels3(8).feature_dim(16).classes(classes);
}

// Class 0: top half bright, bottom dark; class 1 the reverse; plus N(0, 0.3²) noise, in [−1, 1].
struct Toy {
  torch::Tensor images, labels;
};
Toy two_class_toy(std::int64_t n, std::uint64_t seed) {
  auto generator = make_generator(seed);
  Toy toy;
  toy.labels = torch::arange(n, torch::kLong).remainder(2);
  torch::Tensor top = torch::ones({n, 1, 14, 28}), bottom = -torch::ones({n, 1, 14, 28});
  torch::Tensor images = torch::cat({top, bottom}, 2);
  const torch::Tensor flip = toy.labels.eq(1).view({n, 1, 1, 1});
  images = torch::where(flip, images.flip({2}), images);
  toy.images = (images + 0.3 * at::randn({n, 1, 28, 28}, generator)).clamp(-1, 1);
  return toy;
}

double mean_loss(FmnistClassifierImpl& model, const Toy& toy) {
  torch::NoGradGuard no_grad;
  model.eval();
  return torch::nn::functional::cross_entropy(model.forward(toy.images), toy.labels).item<double>();
}

std::string temp_path(const QTemporaryDir& dir, const char* name) {
  return dir.filePath(name).toStdString();
}

}  // namespace

class TestFmnistClassifier : public QObject {
  Q_OBJECT

 private slots:
  void forward_givesLogitsAndFeaturesOfStatedShapes() {
    torch::manual_seed(0);
    FmnistClassifier model;
    const torch::Tensor x = torch::rand({3, 1, 28, 28}) * 2 - 1;
    const torch::Tensor logits = model->forward(x);
    const torch::Tensor features = model->features(x);
    QCOMPARE(logits.sizes().vec(), (std::vector<std::int64_t>{3, 10}));
    QCOMPARE(features.sizes().vec(), (std::vector<std::int64_t>{3, 128}));
    QVERIFY(features.min().item<float>() >= 0);  // after ReLU
    QVERIFY(torch::allclose(model->logits_from_features(features), logits));
    // The batched helpers agree with one forward pass, on the CPU.
    QVERIFY(torch::allclose(classifier_features(*model, x, 2), features, 1e-5, 1e-6));
    QCOMPARE(classifier_predictions(*model, x, 2).sizes().vec(), (std::vector<std::int64_t>{3}));
  }

  void wrongInput_reportsError() {
    FmnistClassifier model;
    EXPECT_ERROR(model->forward(torch::zeros({2, 1, 32, 32})), "[B, 1, 28, 28], not [2, 1, 32, 32]");
    EXPECT_ERROR(model->forward(torch::zeros({2, 28, 28})), "[B, 1, 28, 28]");
    EXPECT_ERROR(model->forward(torch::zeros({2, 3, 28, 28})), "[B, 1, 28, 28]");
    EXPECT_ERROR(FmnistClassifier(FmnistClassifierOptions().feature_dim(0)), "feature_dim");
  }

  void trainingOnTwoClassToy_reducesLossAndLearnsIt() {
    const Toy toy = two_class_toy(64, 5);
    const Toy held_out = two_class_toy(64, 6);
    ClassifierTrainOptions options;
    options.epochs = 15;
    options.batch_size = 16;
    options.learning_rate = 5e-3;
    options.seed = 7;
    FmnistClassifier model = make_classifier(small_shape(), options);
    const double before = mean_loss(*model, toy);
    std::int64_t steps = 0;
    const ClassifierTrainResult result =
        train_classifier(*model, toy.images, toy.labels, options, [&](const ClassifierStepReport& r) {
          steps = r.step;
          QCOMPARE(r.total_steps, std::int64_t{60});
        });
    QCOMPARE(result.status, RunStatus::Completed);
    QCOMPARE(steps, std::int64_t{60});
    QCOMPARE(result.epoch_losses.size(), std::size_t{15});
    const double after = mean_loss(*model, toy);
    QVERIFY2(after < 0.5 * before, qPrintable(QString("loss %1 → %2").arg(before).arg(after)));
    QVERIFY(result.epoch_losses.back() < result.epoch_losses.front());
    const double accuracy = classifier_accuracy(*model, held_out.images, held_out.labels);
    QVERIFY2(accuracy >= 0.95, qPrintable(QString::number(accuracy)));

    // One seed, one run.
    FmnistClassifier again = make_classifier(small_shape(), options);
    train_classifier(*again, toy.images, toy.labels, options);
    const auto a = named_weights(*model), b = named_weights(*again);
    for (const auto& [name, tensor] : a) QVERIFY2(torch::equal(tensor, b.at(name)), name.c_str());
  }

  void training_stopsWhenCancelledAndChecksData() {
    const Toy toy = two_class_toy(32, 1);
    ClassifierTrainOptions options;
    FmnistClassifier model = make_classifier(small_shape(), options);
    const std::atomic<bool> cancel{true};
    const ClassifierTrainResult result = train_classifier(*model, toy.images, toy.labels, options, {}, &cancel);
    QCOMPARE(result.status, RunStatus::Cancelled);
    QVERIFY(result.epoch_losses.empty());
    EXPECT_ERROR(train_classifier(*model, toy.images, toy.labels.narrow(0, 0, 5), options), "one label per image");
    EXPECT_ERROR(train_classifier(*model, toy.images, toy.labels + 2, options), "labels must lie in 0..1");
    options.epochs = 0;
    EXPECT_ERROR(train_classifier(*model, toy.images, toy.labels, options), "epochs");
  }

  void saveLoad_roundTripsWeightsAndInfo() {
    QTemporaryDir dir;
    const std::string path = temp_path(dir, "c.safetensors");
    torch::manual_seed(3);
    FmnistClassifier model(small_shape(10));
    ClassifierInfo info;
    info.test_accuracy = 0.875;
    info.epochs = 2;
    info.seed = 9;
    info.train_images = 1000;
    save_classifier(path, *model, info);
    QVERIFY(is_classifier_file(path));

    LoadedClassifier loaded = load_classifier(path);
    QCOMPARE(loaded.info.test_accuracy, 0.875);
    QCOMPARE(loaded.info.epochs, std::int64_t{2});
    QCOMPARE(loaded.info.seed, std::uint64_t{9});
    QCOMPARE(loaded.info.shape.channels2(), std::int64_t{8});
    QCOMPARE(loaded.info.shape.feature_dim(), std::int64_t{16});
    QCOMPARE(QString::fromStdString(loaded.info.source), QString::fromStdString(path));
    QVERIFY(!loaded.info.created.empty());
    const torch::Tensor x = torch::rand({4, 1, 28, 28}) * 2 - 1;
    torch::NoGradGuard no_grad;
    model->eval();
    QVERIFY(torch::equal(loaded.model->forward(x), model->forward(x)));
    QCOMPARE(read_classifier_info(path).test_accuracy, 0.875);
  }

  void brokenOrForeignFiles_reportClearErrors() {
    QTemporaryDir dir;
    const std::string good = temp_path(dir, "c.safetensors");
    FmnistClassifier model(small_shape());
    save_classifier(good, *model, {});
    const std::string bytes = test::read_bytes(good);

    EXPECT_ERROR(load_classifier(temp_path(dir, "missing.safetensors")), "missing.safetensors");
    const std::string truncated = temp_path(dir, "truncated.safetensors");
    test::write_bytes(truncated, bytes.substr(0, bytes.size() - 100));
    EXPECT_ERROR(load_classifier(truncated), "truncated");
    const std::string junk = temp_path(dir, "junk.safetensors");
    test::write_bytes(junk, "not a safetensors file at all");
    EXPECT_ERROR(load_classifier(junk), "is not a DDPM Studio classifier");
    QVERIFY(!is_classifier_file(junk));

    // A diffusion checkpoint is refused by name.
    CheckpointData checkpoint;
    checkpoint.model = model_preset("mlp", {2});
    checkpoint.data_spec = "moons";
    checkpoint.normalisation = Normalisation::identity(2);
    checkpoint.sample_shape = {2};
    checkpoint.weights = named_weights(*make_denoiser(checkpoint.model));
    const std::string diffusion = temp_path(dir, "moons.safetensors");
    save_checkpoint(diffusion, checkpoint);
    EXPECT_ERROR(load_classifier(diffusion), "it is a diffusion checkpoint");
    QVERIFY(!is_classifier_file(diffusion));

    // Metadata that promises another shape than the weights have.
    std::string wrong = bytes;
    const auto at = wrong.find("\\\"feature_dim\\\":16");
    QVERIFY(at != std::string::npos);
    wrong.replace(at, std::string("\\\"feature_dim\\\":16").size(), "\\\"feature_dim\\\":32");
    const std::string mismatched = temp_path(dir, "mismatched.safetensors");
    test::write_bytes(mismatched, wrong);
    EXPECT_ERROR(load_classifier(mismatched), "does not fit the model");
  }

  void quantise_roundsToPixelLevels() {
    const torch::Tensor x = torch::tensor({-1.5f, -1.0f, 0.0f, 0.0039f, 0.9999f, 2.0f});
    const torch::Tensor q = quantise_to_8bit(x);
    const torch::Tensor pixels = (q + 1) * 127.5;
    QVERIFY(torch::allclose(pixels, pixels.round(), 0, 1e-4));
    QCOMPARE(q[0].item<float>(), -1.0f);
    QCOMPARE(q[5].item<float>(), 1.0f);
    QVERIFY(std::abs(q[2].item<float>() - (128 / 127.5f - 1)) < 1e-6);  // 127.5 rounds to 128
  }

  void scoreImages_ofTheReferenceItself_isZero() {
    torch::manual_seed(4);
    FmnistClassifier model;
    const Toy toy = two_class_toy(64, 2);
    const torch::Tensor images = quantise_to_8bit(toy.images);
    const GaussianMoments reference = GaussianMoments::fit(classifier_features(*model, images));
    const ImageQualityScore same = score_images(*model, images, reference);
    QVERIFY2(same.frechet_distance < 1e-6, qPrintable(QString::number(same.frechet_distance)));
    QCOMPARE(same.count, std::int64_t{64});
    QCOMPARE(same.reference_count, std::int64_t{64});
    QCOMPARE(same.predicted_classes.size(), std::size_t{10});
    std::int64_t total = 0;
    for (auto c : same.predicted_classes) total += c;
    QCOMPARE(total, std::int64_t{64});
    // Flat grey images are far from them.
    const ImageQualityScore grey = score_images(*model, torch::zeros({64, 1, 28, 28}), reference);
    QVERIFY(grey.frechet_distance > 100 * same.frechet_distance + 1e-6);
    EXPECT_ERROR(score_images(*model, torch::zeros({1, 1, 28, 28}), reference), "at least 2 images");
  }
};

QTEST_GUILESS_MAIN(TestFmnistClassifier)
#include "test_fmnist_classifier.moc"
