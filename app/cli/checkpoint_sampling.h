#pragma once

#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/noisy_classifier_checkpoint.h"
#include "core/jobs/checkpoint_model.h"
#include "core/jobs/sample_job.h"
#include "core/sampling/reverse_process.h"
#include "core/sampling/run_status.h"

#include "app/cli/progress_line.h"

#include <CLI/CLI.hpp>

#include <memory>
#include <string>

namespace ddpm::cli {

/// The sampler options shared by `sample` and `score`: --sampler, --steps, --spacing, --eta,
/// --variance, --device, --precision, --class, --guidance, --noisy-classifier,
/// --classifier-scale (the seed and n are each command's own).
struct SamplerArguments {
  std::string sampler = "ddpm";
  std::int64_t steps = 0;
  std::string spacing = "auto";
  double eta = 0.0;
  std::string variance = "beta";
  std::string device = "auto";
  std::string precision = "fp32";
  std::string class_text;  ///< --class: a class number or one of the checkpoint's class names
  double guidance = 0.0;   ///< --guidance w
  std::string noisy_classifier;   ///< --noisy-classifier: a noise-aware classifier file or shipped name
  double classifier_scale = 0.0;  ///< --classifier-scale s

  void add_to(CLI::App& command);
  /// SamplerOptions for `n` samples with `seed` from `checkpoint` (clip_x0 left false).
  /// A class or guidance it cannot take is a usage error (exit 2).
  SamplerOptions options(std::int64_t n, std::uint64_t seed, const CheckpointData& checkpoint) const;
  /// --class and --guidance for `checkpoint`, checked (usage errors, exit 2). With
  /// --noisy-classifier the class is the classifier's, so this is none.
  ClassGuidance class_guidance(const CheckpointData& checkpoint) const;
  /// --noisy-classifier, --class and --classifier-scale for `checkpoint`, checked (usage
  /// errors, exit 2), the classifier on `device`; inactive without --noisy-classifier.
  ClassifierGuidance classifier_guidance(const CheckpointData& checkpoint, torch::Device device) const;
  /// The class the samples are asked for, by either guidance; −1 for none.
  std::int64_t requested_class(const CheckpointData& checkpoint) const;
  /// "class 3 (Dress), w = 2" or "classifier guidance to class 3 (Dress), s = 2"; "" for none.
  std::string guidance_description(const CheckpointData& checkpoint) const;

 private:
  /// classifier_guidance with the classifier wherever it is.
  ClassifierGuidance classifier_choice(const CheckpointData& checkpoint) const;
  /// The --noisy-classifier file, read once.
  const LoadedNoisyClassifier& loaded_classifier() const;
  mutable std::shared_ptr<LoadedNoisyClassifier> classifier_;
};

/// A reverse process of `model`; options it cannot take (a --steps or --eta out of range
/// for its T) are usage errors (exit 2).
ReverseProcess checked_reverse_process(const CheckpointModel& model, const SamplerOptions& sampler);

/// The sampling job of `checkpoint` (its network on options.sampler.device). Options the
/// checkpoint cannot take are usage errors (exit 2).
SampleJob checkpoint_sample_job(const CheckpointData& checkpoint, const SampleJobOptions& options);

/// The progress line of sampling runs, one line per run, and their Ctrl-C ending.
class SamplingProgress {
 public:
  /// Starts a line labelled `label` for a run of `total` steps (ending the previous one).
  void start(const std::string& label, std::int64_t total);
  /// Reports the step just taken by `process`.
  void step(const ReverseProcess& process);
  /// The same for commands that run several processes one after another (the figures): a
  /// step of another process than the last one, or of one that started over, begins a new
  /// line labelled `label`.
  void step_of_any(const std::string& label, const ReverseProcess& process);
  /// Ends the line. When `status` is Cancelled (Ctrl-C stopped the run between steps),
  /// prints `ddpm: stopped at step S of K; nothing written` and throws Interrupted (exit 130).
  void end(RunStatus status);

 private:
  std::unique_ptr<ProgressLine> line_;
  const ReverseProcess* process_ = nullptr;
  std::int64_t taken_ = 0;
  std::int64_t total_ = 0;
};

/// Runs `job` to the end with a progress line labelled `label` (see SamplingProgress).
void run_sample_job(SampleJob& job, const std::string& label);

}  // namespace ddpm::cli
