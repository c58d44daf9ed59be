#include "ui/sampling/sampling_settings.h"

#include <QSettings>

#include <algorithm>

namespace ddpm::ui {

void writeSamplerChoice(QSettings& settings, const SamplingSettings& s) {
  settings.setValue(QStringLiteral("sampler"), s.sampler == SamplingSettings::Sampler::DDIM ? QStringLiteral("ddim")
                                                                                            : QStringLiteral("ddpm"));
  settings.setValue(QStringLiteral("steps"), s.steps);
  settings.setValue(QStringLiteral("eta"), s.eta);
  settings.setValue(QStringLiteral("posteriorVariance"), s.posteriorVariance);
  settings.setValue(QStringLiteral("seed"), static_cast<qulonglong>(s.seed));
}

SamplingSettings readSamplerChoice(const QSettings& settings, SamplingSettings s) {
  const QString sampler = settings.value(QStringLiteral("sampler")).toString();
  if (sampler == QLatin1String("ddim")) s.sampler = SamplingSettings::Sampler::DDIM;
  if (sampler == QLatin1String("ddpm")) s.sampler = SamplingSettings::Sampler::DDPM;
  s.steps = std::max(0, settings.value(QStringLiteral("steps"), s.steps).toInt());
  s.eta = std::clamp(settings.value(QStringLiteral("eta"), s.eta).toDouble(), 0.0, 1.0);
  s.posteriorVariance = settings.value(QStringLiteral("posteriorVariance"), s.posteriorVariance).toBool();
  s.seed = settings.value(QStringLiteral("seed"), static_cast<qulonglong>(s.seed)).toULongLong();
  return s;
}

}  // namespace ddpm::ui
