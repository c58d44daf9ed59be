#include "core/checkpoint/noisy_classifier_checkpoint.h"
#include "core/jobs/noisy_classifier_job.h"
#include "core/runtime/device.h"
#include "core/sampling/reverse_process.h"

#include "ui/sampling/sampler_options.h"
#include "ui/shared/compute_devices.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QLocale>

namespace ddpm::ui {

SamplerKind toSamplerKind(SamplingSettings::Sampler sampler) {
  using S = SamplingSettings::Sampler;
  switch (sampler) {
    case S::DDPM: return SamplerKind::DDPM;
    case S::DDIM: return SamplerKind::DDIM;
    case S::DPMSolverPP: return SamplerKind::DPMSolverPP;
    case S::Euler: return SamplerKind::Euler;
    case S::Heun: return SamplerKind::Heun;
  }
  return SamplerKind::DDPM;
}

SamplingSettings::Sampler toSettingsSampler(SamplerKind kind) {
  using S = SamplingSettings::Sampler;
  switch (kind) {
    case SamplerKind::DDPM: return S::DDPM;
    case SamplerKind::DDIM: return S::DDIM;
    case SamplerKind::DPMSolverPP: return S::DPMSolverPP;
    case SamplerKind::Euler: return S::Euler;
    case SamplerKind::Heun: return S::Heun;
  }
  return S::DDPM;
}

QString samplerName(SamplingSettings::Sampler sampler) {
  return QString::fromStdString(display_name(toSamplerKind(sampler)));
}

bool skipsSteps(SamplingSettings::Sampler sampler) {
  return sampler != SamplingSettings::Sampler::DDPM;
}

void addSamplerItems(QComboBox* combo) {
  using S = SamplingSettings::Sampler;
  combo->addItem(QCoreApplication::translate("ddpm::ui::SamplingForm", "DDPM (Algorithm 2)"), static_cast<int>(S::DDPM));
  combo->addItem(QCoreApplication::translate("ddpm::ui::SamplingForm", "DDIM (Song et al.)"), static_cast<int>(S::DDIM));
  combo->addItem(QCoreApplication::translate("ddpm::ui::SamplingForm", "DPM-Solver++(2M) (Lu et al.)"),
                 static_cast<int>(S::DPMSolverPP));
  combo->addItem(QCoreApplication::translate("ddpm::ui::SamplingForm", "Euler (probability-flow ODE)"),
                 static_cast<int>(S::Euler));
  combo->addItem(QCoreApplication::translate("ddpm::ui::SamplingForm", "Heun (probability-flow ODE)"),
                 static_cast<int>(S::Heun));
  combo->setToolTip(QCoreApplication::translate(
      "ddpm::ui::SamplingForm",
      "DDPM takes all T ancestral steps; DDIM may skip steps and, with η = 0, adds no noise; DPM-Solver++, Euler "
      "and Heun solve the probability-flow ODE in K steps, without noise (Heun evaluates the network twice per step)"));
}

namespace {

QString samplerOnlySummary(const SamplingSettings& s) {
  auto tr = [](const char* text) { return QCoreApplication::translate("ddpm::ui::SamplingForm", text); };
  switch (s.sampler) {
    case SamplingSettings::Sampler::DDPM:
      return tr("DDPM, σₜ² = %1").arg(s.posteriorVariance ? tr("β̃ₜ") : tr("βₜ"));
    case SamplingSettings::Sampler::DDIM:
      return tr("DDIM, %1 steps, η = %2").arg(s.steps).arg(QLocale().toString(s.eta, 'g', 3));
    default: {
      const SamplerKind kind = toSamplerKind(s.sampler);
      return tr("%1, %2 steps, %3 network evaluations")
          .arg(samplerName(s.sampler))
          .arg(s.steps)
          .arg(network_evaluations(kind, s.steps));
    }
  }
}

}  // namespace

QString samplerSummary(const SamplingSettings& s) {
  QString sampler = samplerOnlySummary(s);
  if (s.bf16) sampler += QStringLiteral(", bf16");
  if (!s.noisyClassifier.isEmpty() && s.classifierClass >= 0)
    return QCoreApplication::translate("ddpm::ui::SamplingForm", "%1, classifier guidance to class %2, s = %3")
        .arg(sampler)
        .arg(s.classifierClass)
        .arg(QLocale().toString(s.classifierScale, 'g', 3));
  if (s.classLabel < 0) return sampler;
  return QCoreApplication::translate("ddpm::ui::SamplingForm", "%1, class %2, w = %3")
      .arg(sampler)
      .arg(s.classLabel)
      .arg(QLocale().toString(s.guidance, 'g', 3));
}

SamplerOptions toSamplerOptions(const SamplingSettings& settings) {
  SamplerOptions options;
  options.kind = toSamplerKind(settings.sampler);
  options.steps = skipsSteps(settings.sampler) ? settings.steps : 0;
  options.spacing = default_spacing(options.kind);
  options.eta = settings.eta;
  options.variance = settings.posteriorVariance ? ReverseVariance::Posterior : ReverseVariance::Beta;
  options.clip_x0 = settings.clipX0;
  options.n = settings.samples;
  options.seed = settings.seed;
  options.device = resolve_device("auto");
  options.guidance.class_label = settings.classLabel;
  options.guidance.weight = settings.classLabel >= 0 ? settings.guidance : 0.0;
  if (!settings.noisyClassifier.isEmpty() && settings.classifierClass >= 0)  // read here, on the worker's thread
    options.classifier = classifier_guidance_of(load_noisy_classifier(settings.noisyClassifier.toStdString()),
                                                settings.classifierClass, settings.classifierScale, options.device);
  // A kept choice of bf16 on a machine that cannot (settings from another computer) runs fp32.
  options.precision = settings.bf16 && bf16SamplingUnavailableReason().isEmpty() ? "bf16" : "fp32";
  return options;
}

}  // namespace ddpm::ui
