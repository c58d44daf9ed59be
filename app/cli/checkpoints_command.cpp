#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/classifier_checkpoint.h"
#include "core/checkpoint/noisy_classifier_checkpoint.h"
#include "core/checkpoint/shipped_checkpoints.h"
#include "app/cli/commands.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

namespace ddpm::cli {
namespace {

// "unet-tiny on fashion-mnist, 20000 steps, F16" or "classifier, test accuracy 0.9012".
std::string describe(const std::string& path) {
  try {
    if (is_classifier_file(path)) {
      const ClassifierInfo info = read_classifier_info(path);
      char text[96];
      std::snprintf(text, sizeof text, "Fashion-MNIST classifier (quality score), test accuracy %.4f",
                    info.test_accuracy);
      return text;
    }
    if (is_noisy_classifier_file(path)) {
      const NoisyClassifierInfo info = read_noisy_classifier_info(path);
      const double clean = info.accuracy_by_t.empty() ? -1.0 : info.accuracy_by_t.front().second;
      char text[160];
      std::snprintf(text, sizeof text, "noise-aware classifier for %s (guidance), %lld classes, accuracy %.3f at t = 1",
                    info.trained_for.c_str(), static_cast<long long>(info.shape.classes), clean);
      return text;
    }
    const CheckpointData d = read_checkpoint_metadata(path);
    const std::string classes =
        d.model.conditional() ? ", " + std::to_string(d.model.num_classes) + " classes (guidance)" : std::string();
    const std::string objective = d.model.objective != Objective::Eps || d.training.loss != "simple"
                                      ? ", predicts " + to_string(d.model.objective) + " (" + d.training.loss + " loss)"
                                      : std::string();
    return d.model.preset + " on " + d.data_spec + classes + objective + ", " + std::to_string(d.step) + " steps, " +
           d.weights_dtype + (d.resumable ? ", resumable" : "");
  } catch (const std::exception& e) {
    return std::string("unreadable: ") + e.what();
  }
}

}  // namespace

void add_checkpoints_command(CLI::App& app) {
  auto* command = app.add_subcommand(
      "checkpoints", "List the shipped pretrained checkpoints that --checkpoint NAME accepts, and where they are");
  command->callback([] {
    const auto shipped = shipped_checkpoints();
    int width = 18;  // the name column fits the longest name
    for (const auto& c : shipped) width = std::max(width, static_cast<int>(c.name.size()));
    for (const auto& c : shipped) {
      std::error_code error;
      const auto bytes = std::filesystem::file_size(c.path, error);
      std::printf("%-*s %-70s %6.2f MB  %s\n", width, c.name.c_str(), describe(c.path).c_str(),
                  static_cast<double>(bytes) / 1e6, c.path.c_str());
    }
    if (shipped.empty()) {
      std::cerr << "ddpm: no shipped checkpoints found; searched:";
      for (const auto& dir : shipped_checkpoint_dirs()) std::cerr << ' ' << dir;
      std::cerr << " (set " << kCheckpointDirVariable << " to their folder)\n";
    }
  });
}

}  // namespace ddpm::cli
