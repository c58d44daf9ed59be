#pragma once

#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/noisy_classifier_checkpoint.h"
#include "core/data/dataset.h"
#include "core/sampling/classifier_guidance.h"
#include "core/training/classifier_training.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

namespace ddpm {

/// What `ddpm classifier train --noisy` asks for: a noise-aware classifier for one model.
struct NoisyClassifierJobOptions {
  std::string trained_for;     ///< how the model was named (shipped name or path), kept in the file
  std::string data_spec;       ///< labelled data; empty: the model's own
  DataOptions data;            ///< how to load it (the job picks the splits)
  std::int64_t width = 0;      ///< NoisyClassifierOptions::width; 0: 32 for images, 64 for points
  ClassifierTrainOptions training;  ///< epochs, batch, learning rate, seed, device
  std::uint64_t accuracy_seed = 0;  ///< the noise of the accuracy against t
};

/// Progress: training steps first, then one report per accuracy timestep.
struct NoisyClassifierProgress {
  ClassifierStepReport step;   ///< the last training step
  std::int64_t accuracy_done = 0, accuracy_total = 0;  ///< timesteps measured so far, of how many
};

/// The trained classifier (CPU, eval mode) and its file description, ready to save.
struct NoisyClassifierJobResult {
  RunStatus status = RunStatus::Completed;
  NoisyClassifier model{nullptr};
  NoisyClassifierInfo info;
  ClassifierTrainResult training;
};

/// The job "a noise-aware classifier for this model" (classifier guidance, Dhariwal &
/// Nichol 2021): loads the labelled data's training split in the model's coordinates,
/// trains p_φ(y | x_t, t) under the model's schedule (train_noisy_classifier), measures
/// its test accuracy at accuracy_timesteps(T), and fills in the file description (schedule,
/// coordinates, class names) that check_classifier_fits reads. Throws ddpm::Error for data
/// without labels or of another shape, or bad options; a set `cancel` returns Cancelled.
NoisyClassifierJobResult train_noisy_classifier_for(const CheckpointData& model, const NoisyClassifierJobOptions& options,
                                                    const std::function<void(const NoisyClassifierProgress&)>& progress = {},
                                                    const std::atomic<bool>* cancel = nullptr);

/// Guidance by a loaded classifier towards `class_label` with scale s, its network moved to
/// `device` (the sampler's). Checks nothing: ReverseProcess validates the choice.
ClassifierGuidance classifier_guidance_of(const LoadedNoisyClassifier& classifier, std::int64_t class_label,
                                          double scale, torch::Device device);

}  // namespace ddpm
