#include "app/cli/checkpoint_sampling.h"

#include "core/jobs/noisy_classifier_job.h"
#include "core/runtime/device.h"

#include "app/cli/cli_support.h"
#include "app/cli/interrupt.h"
#include "app/cli/progress_line.h"
#include "core/checkpoint/shipped_checkpoints.h"
#include "core/util/error.h"

#include <cctype>
#include <iostream>

namespace ddpm::cli {

namespace {

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// --class: a class number, or a class name of the checkpoint (case does not matter).
std::int64_t class_label_argument(const std::string& text, const std::vector<std::string>& names) {
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos && text.size() <= 9)
    return std::stoll(text);
  for (std::size_t k = 0; k < names.size(); ++k)
    if (lower(names[k]) == lower(text)) return static_cast<std::int64_t>(k);
  std::string known;
  for (std::size_t k = 0; k < names.size(); ++k) known += (k ? ", " : "") + std::to_string(k) + " " + names[k];
  throw UsageError("--class " + text + " is not a class " +
                   (names.empty() ? std::string("number (this checkpoint names no classes)") : "of this checkpoint: " + known));
}

}  // namespace

void SamplerArguments::add_to(CLI::App& command) {
  std::vector<std::string> names;
  for (const auto kind : all_sampler_kinds()) names.push_back(to_string(kind));
  command.add_option("--sampler", sampler,
                     "ddpm (Algorithm 2), ddim (Song et al. 2021), or a probability-flow ODE solver: dpm-solver++ "
                     "(2M, Lu et al. 2022), euler or heun (Karras et al. 2022; heun evaluates the network 2K-1 times)")
      ->check(CLI::IsMember(names))
      ->capture_default_str();
  command.add_option("--steps", steps, "all but ddpm: number of steps K (default: T)")->check(positive_number());
  command.add_option("--spacing", spacing,
                     "all but ddpm: which K steps of T, evenly spaced in t (uniform) or in log SNR (logsnr); "
                     "auto: logsnr for dpm-solver++, uniform for the others")
      ->check(CLI::IsMember({"auto", "uniform", "logsnr"}))
      ->capture_default_str();
  command.add_option("--eta", eta, "DDIM: eta in [0, 1] (0: deterministic)")->capture_default_str();
  command.add_option("--variance", variance, "DDPM: sigma_t^2 = beta_t or the posterior's beta~_t")
      ->check(CLI::IsMember({"beta", "posterior"}))
      ->capture_default_str();
  command.add_option("--class", class_text,
                     "Class-conditional models: draw every sample from this class (a number, or a name from "
                     "`ddpm info`, e.g. Trouser)");
  command.add_option("--guidance", guidance,
                     "Classifier-free guidance weight w >= 0 with --class: eps~ = (1 + w) eps(x_t, c) - w eps(x_t, none)")
      ->capture_default_str();
  command.add_option("--noisy-classifier", noisy_classifier,
                     "Classifier guidance of an unconditional model (Dhariwal & Nichol 2021): a noise-aware classifier "
                     "from `ddpm classifier train --noisy` (file or shipped name); --class picks its class");
  command.add_option("--classifier-scale", classifier_scale,
                     "Classifier guidance scale s >= 0: eps^ - s sqrt(1 - abar_t) grad log p(y | x_t)")
      ->capture_default_str();
  command.add_option("--device", device, "auto, cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
      ->capture_default_str();
  command.add_option("--precision", precision, "fp32 (TF32 on CUDA) or bf16 (autocast; CUDA, or a CPU with AVX512_BF16)")
      ->check(CLI::IsMember({"fp32", "bf16"}))
      ->capture_default_str();
}

const LoadedNoisyClassifier& SamplerArguments::loaded_classifier() const {
  if (!classifier_) {
    try {
      classifier_ = std::make_shared<LoadedNoisyClassifier>(load_noisy_classifier(resolve_checkpoint(noisy_classifier)));
    } catch (const Error& e) {
      throw UsageError(std::string("--noisy-classifier: ") + e.what());
    }
  }
  return *classifier_;
}

ClassifierGuidance SamplerArguments::classifier_guidance(const CheckpointData& checkpoint, torch::Device device) const {
  ClassifierGuidance chosen = classifier_choice(checkpoint);
  if (chosen.logits) {
    NoisyClassifier model = loaded_classifier().model;  // a handle to the same network
    model->to(device);
  }
  return chosen;
}

ClassifierGuidance SamplerArguments::classifier_choice(const CheckpointData& checkpoint) const {
  ClassifierGuidance chosen;
  chosen.scale = classifier_scale;
  try {
    if (!noisy_classifier.empty()) {
      const LoadedNoisyClassifier& classifier = loaded_classifier();
      if (class_text.empty()) throw UsageError("--noisy-classifier needs the class to steer towards (--class C)");
      if (guidance != 0.0)
        throw UsageError("--guidance is classifier-free guidance's weight; with --noisy-classifier use --classifier-scale");
      check_classifier_fits(classifier.info, checkpoint);
      chosen = classifier_guidance_of(classifier, class_label_argument(class_text, classifier.info.class_names),
                                      classifier_scale, classifier.model->parameters().front().device());
    }
    validate_classifier_guidance(chosen, checkpoint.model);
  } catch (const UsageError&) {
    throw;
  } catch (const Error& e) {
    throw UsageError(e.what());  // a scale out of range, a conditional model, a classifier for another model, …
  }
  return chosen;
}

std::int64_t SamplerArguments::requested_class(const CheckpointData& checkpoint) const {
  if (noisy_classifier.empty()) return class_guidance(checkpoint).class_label;
  return classifier_choice(checkpoint).class_label;
}

std::string SamplerArguments::guidance_description(const CheckpointData& checkpoint) const {
  if (noisy_classifier.empty()) return guidance_text(class_guidance(checkpoint), checkpoint.class_names);
  return classifier_guidance_text(classifier_choice(checkpoint), loaded_classifier().info.class_names);
}

ClassGuidance SamplerArguments::class_guidance(const CheckpointData& checkpoint) const {
  ClassGuidance chosen;
  if (!noisy_classifier.empty()) return chosen;  // --class is the classifier's
  chosen.weight = guidance;
  if (!class_text.empty()) chosen.class_label = class_label_argument(class_text, checkpoint.class_names);
  try {
    validate_guidance(chosen, checkpoint.model);
  } catch (const Error& e) {
    throw UsageError(e.what());  // --guidance on an unconditional model, a class out of range, w < 0, …
  }
  return chosen;
}

SamplerOptions SamplerArguments::options(std::int64_t n, std::uint64_t seed, const CheckpointData& checkpoint) const {
  SamplerOptions options;
  options.device = resolve_device(device);
  options.guidance = class_guidance(checkpoint);
  options.classifier = classifier_guidance(checkpoint, options.device);
  options.kind = sampler_kind_from_string(sampler);
  options.steps = steps;
  options.spacing = spacing == "auto" ? default_spacing(options.kind) : step_spacing_from_string(spacing);
  options.eta = eta;
  options.variance = reverse_variance_from_string(variance);
  options.n = n;
  options.seed = seed;
  options.precision = precision;
  return options;
}

ReverseProcess checked_reverse_process(const CheckpointModel& model, const SamplerOptions& sampler) {
  try {
    return model.reverse_process(sampler);
  } catch (const Error& e) {
    throw UsageError(e.what());  // bad --steps / --eta for this checkpoint
  }
}

SampleJob checkpoint_sample_job(const CheckpointData& checkpoint, const SampleJobOptions& options) {
  const CheckpointModel model = open_checkpoint_model(checkpoint, options.sampler.device);
  try {
    return SampleJob(model, options);
  } catch (const Error& e) {
    throw UsageError(e.what());  // bad --steps / --eta for this checkpoint
  }
}

void SamplingProgress::start(const std::string& label, std::int64_t total) {
  if (line_) line_->finish();
  line_ = std::make_unique<ProgressLine>(label, total);
  taken_ = 0;
  total_ = total;
}

void SamplingProgress::step(const ReverseProcess& process) {
  taken_ = process.steps_taken();
  line_->update(taken_, "t = " + std::to_string(process.t()));
}

void SamplingProgress::step_of_any(const std::string& label, const ReverseProcess& process) {
  if (!line_ || &process != process_ || process.steps_taken() <= taken_) start(label, process.total_steps());
  process_ = &process;
  step(process);
}

void SamplingProgress::end(RunStatus status) {
  if (line_) line_->finish();
  if (status == RunStatus::Cancelled) {
    std::cerr << "ddpm: stopped at step " << taken_ << " of " << total_ << "; nothing written\n";
    throw Interrupted();
  }
}

void run_sample_job(SampleJob& job, const std::string& label) {
  SamplingProgress progress;
  progress.start(label, job.process().total_steps());
  progress.end(job.run([&](const ReverseProcess& p) { progress.step(p); }, &interrupt_flag()));
}

}  // namespace ddpm::cli
