#include "ui/sampling/sampling_settings.h"

#include "core/sampling/guidance.h"
#include "core/util/error.h"
#include "ui/sampling/sampler_options.h"

#include <QSettings>

#include <algorithm>
#include <cmath>

namespace ddpm::ui {

void writeSamplerChoice(QSettings& settings, const SamplingSettings& s) {
  settings.setValue(QStringLiteral("sampler"), QString::fromStdString(to_string(toSamplerKind(s.sampler))));
  settings.setValue(QStringLiteral("steps"), s.steps);
  settings.setValue(QStringLiteral("eta"), s.eta);
  settings.setValue(QStringLiteral("posteriorVariance"), s.posteriorVariance);
  settings.setValue(QStringLiteral("seed"), static_cast<qulonglong>(s.seed));
  settings.setValue(QStringLiteral("guidance"), s.guidance);
  settings.setValue(QStringLiteral("precision"), s.bf16 ? QStringLiteral("bf16") : QStringLiteral("fp32"));
}

SamplingSettings readSamplerChoice(const QSettings& settings, SamplingSettings s) {
  const QString sampler = settings.value(QStringLiteral("sampler")).toString();
  try {  // an unknown name (a newer or a damaged file) keeps s's sampler
    if (!sampler.isEmpty()) s.sampler = toSettingsSampler(sampler_kind_from_string(sampler.toStdString()));
  } catch (const Error&) {
  }
  s.steps = std::max(0, settings.value(QStringLiteral("steps"), s.steps).toInt());
  s.eta = std::clamp(settings.value(QStringLiteral("eta"), s.eta).toDouble(), 0.0, 1.0);
  s.posteriorVariance = settings.value(QStringLiteral("posteriorVariance"), s.posteriorVariance).toBool();
  s.seed = settings.value(QStringLiteral("seed"), static_cast<qulonglong>(s.seed)).toULongLong();
  const double w = settings.value(QStringLiteral("guidance"), s.guidance).toDouble();
  s.guidance = std::isfinite(w) ? std::clamp(w, 0.0, kMaxGuidanceWeight) : 0.0;
  s.bf16 = settings.value(QStringLiteral("precision"), s.bf16 ? QStringLiteral("bf16") : QStringLiteral("fp32"))
               .toString() == QLatin1String("bf16");
  return s;
}

}  // namespace ddpm::ui
