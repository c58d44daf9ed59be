#include "core/sampling/ddim.h"
#include "core/sampling/ode_steps.h"
#include "core/schedule/noise_schedule.h"

#include "ui/sampling/sampling_formula.h"

#include "ui/shared/maths_format.h"
#include "ui/sampling/sampler_options.h"
#include "ui/sampling/trajectory_store.h"
#include "ui/shared/studio_style.h"

#include <QCoreApplication>

#include <algorithm>

namespace ddpm::ui {

namespace {

QString tr(const char* text) {
  return QCoreApplication::translate("ddpm::ui::SamplingView", text);
}

// The updates of the probability-flow ODE solvers (core/sampling/ode_steps.h), each written
// once: odeUpdate shows one alone, odeStepHtml follows it with the step's live coefficients.
const char* const kDpmSolverUpdate =
    "x<sub>s</sub> = σ<sub>s</sub>/σₜ · xₜ + α<sub>s</sub>(1 − e<sup>−h</sup>) · D";
const char* const kEulerUpdate = "x<sub>s</sub> = α<sub>s</sub>/αₜ · xₜ + α<sub>s</sub>(σ̃<sub>s</sub> − σ̃ₜ) · %1";

// The slope an Euler-type step takes: ε_θ at xₜ, or for Heun the mean of it and of ε_θ at
// the Euler step's guess x′_s.
QString eulerSlope(bool heun) {
  return heun ? tr("½(ε<sub>θ</sub>(xₜ, t) + ε<sub>θ</sub>(x′<sub>s</sub>, s))") : tr("ε<sub>θ</sub>(xₜ, t)");
}

QString odeUpdate(SamplingSettings::Sampler sampler) {
  if (sampler == SamplingSettings::Sampler::DPMSolverPP)
    return tr(kDpmSolverUpdate) + tr(", &nbsp; D = (1 + 1/2r) f<sub>θ</sub>(xₜ) − 1/2r · f<sub>θ</sub>(x<sub>u</sub>)");
  return tr(kEulerUpdate).arg(eulerSlope(sampler == SamplingSettings::Sampler::Heun));
}

// One step of an ODE solver from code index t to s (−1: x₀), with its live coefficients.
// `u` is the index of the step before (−1 at the first step), which DPM-Solver++(2M) uses.
QString odeStepHtml(SamplingSettings::Sampler sampler, const NoiseSchedule& schedule, int t, int s, int u) {
  const QString big = QStringLiteral("<div style='font-size:x-large; margin-top:6px'>%1</div>");
  const QString note = QStringLiteral("<div style='font-size:large; margin-top:4px'>%1</div>");
  if (sampler == SamplingSettings::Sampler::DPMSolverPP) {
    const DpmSolverCoefficients c = u >= 0 ? dpm_solver_2m(schedule, u, t, s) : dpm_solver_first_order(schedule, t, s);
    const bool second = c.previous != 0.0;
    QString html = big.arg(tr(kDpmSolverUpdate) + tr(" &nbsp;=&nbsp; <b>%1</b> · xₜ %2 · D")
                                                     .arg(formatNumber(c.x), addedTermHtml(c.x0)));
    html += note.arg(second ? tr("second order (2M): D = <b>%1</b> · f<sub>θ</sub>(xₜ) %2 · f<sub>θ</sub>(x<sub>u</sub>), "
                                 "the predicted x₀ of this step and of the step before (u = %3), h = λ<sub>s</sub> − λₜ, "
                                 "λ = log(α/σ)")
                                  .arg(formatNumber(c.current), addedTermHtml(c.previous))
                                  .arg(u)
                            : tr("first order: D = f<sub>θ</sub>(xₜ), the predicted x₀ (%1)")
                                  .arg(u < 0 ? tr("the first step has no step before it")
                                             : tr("the last step lands on the data, where h = ∞")));
    return html;
  }
  const EulerCoefficients c = euler_coefficients(schedule, t, s);
  const bool heunStep = sampler == SamplingSettings::Sampler::Heun && s >= 0;  // Heun's last step is Euler's
  const QString slope = eulerSlope(heunStep);
  const QString html = big.arg(tr(kEulerUpdate).arg(slope) + tr(" &nbsp;=&nbsp; <b>%1</b> · xₜ %2 · %3")
                                                                  .arg(formatNumber(c.x), addedTermHtml(c.eps), slope));
  if (heunStep)
    return html + note.arg(tr("x′<sub>s</sub> is the Euler step's guess; the slope there is the second network "
                              "evaluation. σ̃ = σ/α = √((1 − ᾱ)/ᾱ) (Karras et al. 2022)"));
  return html + note.arg(sampler == SamplingSettings::Sampler::Heun
                             ? tr("Heun's last step is an Euler step: it lands on σ̃ = 0, where there is no second slope")
                             : tr("the same step as DDIM with η = 0; σ̃ = σ/α = √((1 − ᾱ)/ᾱ) (Karras et al. 2022)"));
}

// Classifier-free guidance: which ε the step above used, with this run's weights and how
// far apart the two predictions were at this step.
QString guidanceHtml(const SamplingSettings& settings, const TrajectoryFrame* frame) {
  if (settings.classLabel < 0) return {};
  const double w = settings.guidance;
  QString html = QStringLiteral("<div style='font-size:large; margin-top:4px'>");
  if (w == 0.0) {
    html += tr("class %1: ε<sub>θ</sub> = ε<sub>θ</sub>(xₜ, c), the conditional prediction (guidance w = 0)")
                .arg(settings.classLabel);
  } else {
    html += tr("class %1, classifier-free guidance (Ho &amp; Salimans 2022): ε<sub>θ</sub> = (1 + w) ε<sub>θ</sub>(xₜ, c) − "
               "w ε<sub>θ</sub>(xₜ, ∅) = <b>%2</b> · ε<sub>θ</sub>(xₜ, c) − <b>%3</b> · ε<sub>θ</sub>(xₜ, ∅)")
                .arg(settings.classLabel)
                .arg(formatNumber(1.0 + w, 4, true), formatNumber(w, 4, true));
    if (frame && frame->step > 0)
      html += tr(" &nbsp; RMS of ε<sub>θ</sub>(xₜ, c) − ε<sub>θ</sub>(xₜ, ∅) here: <b>%1</b>").arg(formatNumber(frame->guidanceGap, 3));
  }
  return html + QStringLiteral("</div>");
}

// Classifier guidance: the push the step above added to ε, with this run's s √(1 − ᾱₜ) and
// the size of the classifier's gradient at this step.
QString classifierHtml(const SamplingSettings& settings, const TrajectoryFrame* frame, const NoiseSchedule* schedule) {
  if (settings.noisyClassifier.isEmpty() || settings.classifierClass < 0) return {};
  QString html = QStringLiteral("<div style='font-size:large; margin-top:4px'>");
  html += tr("class %1, classifier guidance (Dhariwal &amp; Nichol 2021): ε<sub>θ</sub> ← ε<sub>θ</sub>(xₜ) − s √(1 − ᾱₜ) "
             "∇ log p<sub>φ</sub>(y | xₜ)")
              .arg(settings.classifierClass);
  if (frame && frame->step > 0 && schedule && frame->t >= 0 && frame->t < schedule->steps()) {
    const double push = settings.classifierScale * schedule->sqrt_one_minus_alpha_bar[static_cast<std::size_t>(frame->t)];
    html += tr(" = ε<sub>θ</sub>(xₜ) − <b>%1</b> · ∇ log p<sub>φ</sub> &nbsp; RMS of ∇ log p<sub>φ</sub>(y | xₜ) here: <b>%2</b>")
                .arg(formatNumber(push, 4, true), formatNumber(frame->classifierGradient, 3));
  }
  return html + QStringLiteral("</div>");
}

// Rich text only: Qt misplaces combining marks (x + U+0302) at these sizes, so the
// predicted x₀ is written as DDIM's f_θ(xₜ) (Song et al. 2021, eq. 9) instead of x̂₀.
QString stepFormulaHtml(const TrajectoryStore& store, int frame, const SamplingSettings& settings,
                        const NoiseSchedule* schedule) {
  const QString muted = colours::kMutedText.name();
  const TrajectoryStore& s = store;
  auto header = [&](const QString& title, const QString& note) {
    return QStringLiteral("<div style='font-size:large'><b>%1</b> &nbsp;<span style='color:%2'>%3</span></div>")
        .arg(title, muted, note);
  };
  if (s.isEmpty() || !schedule) {
    return header(tr("Reverse process p<sub>θ</sub>(xₜ₋₁ | xₜ) = N(μ<sub>θ</sub>(xₜ, t), σₜ² I)"), tr("(eq. 1, Algorithm 2)")) +
           QStringLiteral("<div style='font-size:x-large; margin-top:6px'>xₜ₋₁ = 1/√αₜ · (xₜ − βₜ/√(1 − ᾱₜ) · "
                          "ε<sub>θ</sub>(xₜ, t)) + σₜ z, &nbsp; x<sub>T</sub> ~ N(0, I)</div>");
  }
  frame = std::clamp(frame, 0, s.count() - 1);
  const TrajectoryLayout& layout = s.layout();
  const int K = layout.totalSteps();
  const int T = layout.scheduleSteps;
  const TrajectoryFrame& f = s.frame(frame);
  const bool ddim = settings.sampler == SamplingSettings::Sampler::DDIM;
  const bool ode = skipsSteps(settings.sampler) && !ddim;
  if (frame == 0) {
    const QString update =
        ode ? odeUpdate(settings.sampler)
            : ddim ? tr("x<sub>s</sub> = √ᾱ<sub>s</sub> · f<sub>θ</sub> + √(1 − ᾱ<sub>s</sub> − σ²) · ε<sub>θ</sub>(xₜ, t) + σ z")
                   : tr("xₜ₋₁ = 1/√αₜ · (xₜ − βₜ/√(1 − ᾱₜ) · ε<sub>θ</sub>(xₜ, t)) + σₜ z");
    return header(tr("Start: x<sub>T</sub> ~ N(0, I)"), tr("%1 samples, seed %2 · %3 steps to go").arg(layout.count).arg(settings.seed).arg(K)) +
           QStringLiteral("<div style='font-size:x-large; margin-top:6px'>%1</div>").arg(update);
  }
  const auto t = static_cast<std::size_t>(f.t);
  const QString where = tr("step %1 of %2 · t = %3 (paper t = %4 of %5)").arg(frame).arg(K).arg(f.t).arg(f.t + 1).arg(T);
  const QString measured = tr("<div style='font-size:large; margin-top:4px'>σ = <b>%1</b>%2 &nbsp;&nbsp; std of the new "
                              "sample: <b>%3</b></div>")
                               .arg(formatNumber(f.sigma, 4),
                                    f.sigma == 0.0 ? tr(" (no noise: z = 0)") : QString(), formatNumber(f.xtStd, 3));
  if (!skipsSteps(settings.sampler)) {  // DDPM
    const QString var = settings.posteriorVariance ? tr("σₜ² = β̃ₜ") : tr("σₜ² = βₜ");
    QString html = header(tr("DDPM reverse step (Algorithm 2, μ<sub>θ</sub> from eq. 11)"), where + QStringLiteral(" · ") + var);
    html += QStringLiteral("<div style='font-size:x-large; margin-top:6px'>xₜ₋₁ = 1/√αₜ · (xₜ − βₜ/√(1 − ᾱₜ) · ε<sub>θ</sub>) + σₜ z "
                           "&nbsp;=&nbsp; <b>%1</b> · (xₜ − <b>%2</b> · ε<sub>θ</sub>) + <b>%3</b> · z</div>")
                .arg(formatNumber(schedule->sqrt_recip_alpha[t]),
                     formatNumber(schedule->beta_over_sqrt_one_minus_alpha_bar[t]), formatNumber(f.sigma));
    if (settings.clipX0)
      html += tr("<div style='font-size:large; margin-top:4px'>with the predicted x₀ = f<sub>θ</sub> clipped to [−1, 1], the mean is the posterior mean "
                 "<b>%1</b> · f<sub>θ</sub> + <b>%2</b> · xₜ (eq. 7), the same as above when nothing is clipped</div>")
                  .arg(formatNumber(schedule->posterior_mean_coef1[t]), formatNumber(schedule->posterior_mean_coef2[t]));
    return html + measured;
  }
  // DDIM or an ODE solver from code index t to s, the next index visited (−1: x₀ with ᾱ = 1).
  const int s_index = frame < K ? layout.timesteps[static_cast<std::size_t>(frame)] : -1;
  if (ode) {
    const int u = frame >= 2 ? layout.timesteps[static_cast<std::size_t>(frame - 2)] : -1;
    const QString to = s_index >= 0 ? tr("s = %1").arg(s_index) : tr("x₀ (ᾱ = 1)");
    return header(tr("%1 step from t = %2 to %3").arg(samplerName(settings.sampler)).arg(f.t).arg(to),
                  where + tr(" · no noise: the probability-flow ODE")) +
           odeStepHtml(settings.sampler, *schedule, f.t, s_index, u) + measured;
  }
  const DdimCoefficients c = ddim_coefficients(*schedule, f.t, s_index, settings.eta);  // eq. 12, the run's η
  const QString to = s_index >= 0 ? tr("s = %1").arg(s_index) : tr("x₀ (ᾱ = 1)");
  QString html = header(tr("DDIM step (Song et al. 2021, eq. 12) from t = %1 to %2").arg(f.t).arg(to),
                        where + tr(" · η = %1").arg(formatNumber(settings.eta, 3, true)));
  html += QStringLiteral("<div style='font-size:x-large; margin-top:6px'>x<sub>s</sub> = √ᾱ<sub>s</sub> · f<sub>θ</sub> + √(1 − ᾱ<sub>s</sub> − σ²) · "
                         "ε<sub>θ</sub> + σ z &nbsp;=&nbsp; <b>%1</b> · f<sub>θ</sub> + <b>%2</b> · ε<sub>θ</sub> + <b>%3</b> · z</div>")
              .arg(formatNumber(c.sqrt_alpha_bar_prev), formatNumber(c.direction), formatNumber(c.sigma));
  html += tr("<div style='font-size:large; margin-top:4px'>predicted x₀: f<sub>θ</sub> = (xₜ − √(1 − ᾱₜ) ε<sub>θ</sub>) / √ᾱₜ = (xₜ − <b>%1</b> · ε<sub>θ</sub>) / "
             "<b>%2</b></div>")
              .arg(formatNumber(schedule->sqrt_one_minus_alpha_bar[t]), formatNumber(schedule->sqrt_alpha_bar[t]));
  return html + measured;
}

}  // namespace

QString samplingFormulaHtml(const TrajectoryStore& store, int frame, const SamplingSettings& settings,
                            const NoiseSchedule* schedule) {
  const TrajectoryFrame* shown = store.isEmpty() ? nullptr : &store.frame(std::clamp(frame, 0, store.count() - 1));
  return stepFormulaHtml(store, frame, settings, schedule) + guidanceHtml(settings, shown) +
         classifierHtml(settings, shown, schedule);
}

}  // namespace ddpm::ui
