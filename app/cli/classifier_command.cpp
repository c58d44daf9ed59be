#include "core/checkpoint/classifier_checkpoint.h"
#include "app/cli/cli_support.h"
#include "app/cli/commands.h"
#include "app/cli/interrupt.h"
#include "app/cli/progress_line.h"
#include "core/models/fmnist_classifier.h"
#include "core/runtime/device.h"
#include "core/training/classifier_training.h"
#include "core/util/error.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

namespace ddpm::cli {

namespace {

struct ClassifierArguments {
  std::string out;
  std::int64_t epochs = 3;
  std::uint64_t seed = 0;
  std::int64_t batch = 128;
  double lr = 1e-3;
  std::string data_dir;
  std::int64_t limit = 0;
  std::string device = "auto";
};

// Trains the classifier the flags describe, reports its test accuracy and saves it.
void run_classifier_training(const ClassifierArguments& o) {
  const auto folder = std::filesystem::path(o.out).parent_path();
  std::error_code error;
  if (!folder.empty() && !std::filesystem::is_directory(folder, error))
    throw UsageError("--out " + o.out + ": the folder " + folder.string() + " does not exist");

  DataOptions data;
  data.data_dir = o.data_dir;
  data.limit = o.limit;
  data.split = Split::Train;
  const Dataset train = load_dataset("fashion-mnist", data);
  data.split = Split::Test;
  data.limit = 0;
  const Dataset test = load_dataset("fashion-mnist", data);

  ClassifierTrainOptions training;
  training.epochs = o.epochs;
  training.batch_size = o.batch;
  training.learning_rate = o.lr;
  training.seed = o.seed;
  training.device = resolve_device(o.device);
  FmnistClassifier model = make_classifier(FmnistClassifierOptions{}, training);

  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<ProgressLine> progress;
  char detail[64];
  const ClassifierTrainResult result = train_classifier(
      *model, train.x, train.labels, training,
      [&](const ClassifierStepReport& r) {
        if (!progress) progress = std::make_unique<ProgressLine>("classifier", r.total_steps);
        std::snprintf(detail, sizeof detail, "epoch %lld  loss %.4f", static_cast<long long>(r.epoch + 1), r.loss);
        progress->update(r.step, detail);
      },
      &interrupt_flag());
  if (progress) progress->finish();
  if (result.status == RunStatus::Cancelled) {
    std::cerr << "ddpm: stopped; nothing written\n";
    throw Interrupted();
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  ClassifierInfo info;
  info.test_accuracy = classifier_accuracy(*model, test.x, test.labels);
  info.epochs = o.epochs;
  info.seed = o.seed;
  info.train_images = train.size();
  model->to(torch::kCPU);
  save_classifier(o.out, *model, info);
  std::fprintf(stderr, "trained on %lld images for %lld epochs in %s (final epoch's mean loss %.4f); saved %s\n",
               static_cast<long long>(train.size()), static_cast<long long>(o.epochs),
               format_duration(seconds).c_str(), result.epoch_losses.back(), o.out.c_str());
  std::printf("test accuracy: %.4f\n", info.test_accuracy);
}

}  // namespace

void add_classifier_command(CLI::App& app) {
  auto options = std::make_shared<ClassifierArguments>();
  auto* group = app.add_subcommand("classifier", "The Fashion-MNIST classifier behind the image quality score");
  group->require_subcommand(1);
  auto* command = group->add_subcommand(
      "train", "Train the classifier on Fashion-MNIST's training set, report its test accuracy, save it");
  command->add_option("--out", options->out, "Classifier file to write (.safetensors)")->required();
  command->add_option("--epochs", options->epochs, "Passes over the training set")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  command->add_option("--seed", options->seed, "Seed for the initial weights and the shuffling")->capture_default_str();
  command->add_option("--batch", options->batch, "Images per Adam step")->check(CLI::Range(1, 65536))->capture_default_str();
  command->add_option("--lr", options->lr, "Adam learning rate")->check(positive_number())->capture_default_str();
  command->add_option("--data-dir", options->data_dir, "Fashion-MNIST folder (default: the Debian package's)");
  command->add_option("--limit", options->limit, "Train on at most this many images (0: all 60,000)")
      ->check(non_negative_number());
  command->add_option("--device", options->device, "auto, cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
      ->capture_default_str();

  command->callback([options] { run_classifier_training(*options); });
}

}  // namespace ddpm::cli
