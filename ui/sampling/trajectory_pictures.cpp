#include "ui/sampling/trajectory_pictures.h"

#include "ui/sampling/eps_field.h"
#include "ui/sampling/trajectory_render.h"
#include "ui/sampling/trajectory_store.h"
#include "ui/shared/frame_render.h"
#include "ui/shared/image_panel.h"
#include "ui/shared/maths_format.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace ddpm::ui {

void TrajectoryPictures::showEmpty(const QString& placeholder) {
  m_xt->setPlaceholder(placeholder);
  m_x0->setPlaceholder(QString());
  m_xt->setCaption(QString());
  m_x0->setCaption(QString());
}

void TrajectoryPictures::show(const TrajectoryStore& s, int k, const std::vector<QRgb>& colours, EpsField* field,
                              qreal dpr) {
  const TrajectoryLayout& layout = s.layout();
  const TrajectoryFrame& f = s.frame(k);
  const bool images = layout.isImages();
  m_xt->setTitle(sampleTitle(s, k));
  if (field) {
    const int t = fieldTimestep(s, k);
    m_xt->setImage(renderPointCloud(f.xtPoints.data(), layout.count, colours, m_xt->canvasSize(), dpr,
                                    [field, t](QPainter& painter, const PlaneToCanvas& map, double scale, double ratio) {
                                      drawEpsField(painter, *field, t, map, scale, ratio);
                                    }),
                   images);
  } else {
    m_xt->setImage(renderTrajectoryLayer(s, k, TrajectoryLayer::Sample, m_xt->canvasSize(), dpr, colours), images);
  }
  m_xt->setCaption(sampleCaption(s, k, field != nullptr));
  if (f.hasPrediction()) {
    m_x0->setTitle(predictionTitle(s, k));
    m_x0->setImage(renderTrajectoryLayer(s, k, TrajectoryLayer::Prediction, m_x0->canvasSize(), dpr, colours), images);
    m_x0->setCaption(tr("x̂₀ = (xₜ − √(1 − ᾱₜ) ε_θ) / √ᾱₜ: where the model thinks the sample is going"));
  } else {
    m_x0->setTitle(predictionTitle(s, k));
    m_x0->setPlaceholder(tr("The model's first guess appears after step 1"));
    m_x0->setCaption(QString());
  }
}

QString TrajectoryPictures::sampleCaption(const TrajectoryStore& s, int k, bool field) const {
  const TrajectoryLayout& layout = s.layout();
  const TrajectoryFrame& f = s.frame(k);
  QString caption = tr("std of all values %1 (x_T: 1)").arg(formatNumber(f.xtStd, 3));
  if (layout.isPoints()) {
    int outside = 0;  // points the plot cannot show: a model that diverges should not look empty
    for (std::size_t i = 0; i + 1 < f.xtPoints.size(); i += 2)
      outside += std::abs(f.xtPoints[i]) > kPointsExtent || std::abs(f.xtPoints[i + 1]) > kPointsExtent;
    if (outside > 0) caption += tr(" · %1 of %2 points outside the plot").arg(outside).arg(layout.count);
    if (field) caption += tr(" · arrows: −ε̂_θ(x, t = %1)").arg(fieldTimestep(s, k));
  }
  return caption;
}

QString TrajectoryPictures::frameCaption(const TrajectoryStore& s, int k) {
  if (k < 0 || k >= s.count()) return {};
  const TrajectoryFrame& f = s.frame(k);
  const int K = s.layout().totalSteps();
  if (k == 0) return tr("step 0 / %1 · x_T ~ N(0, I)").arg(K);
  return tr("step %1 / %2 · t = %3 · σ = %4").arg(k).arg(K).arg(f.t).arg(formatNumber(f.sigma, 3));
}

int TrajectoryPictures::fieldTimestep(const TrajectoryStore& s, int k) {
  const TrajectoryLayout& layout = s.layout();
  if (s.isEmpty() || layout.timesteps.empty()) return -1;
  const int K = layout.totalSteps();
  // Frame k sits at the noise level of the step taken next from it; x_0 shows the last step's.
  return layout.timesteps[static_cast<std::size_t>(std::clamp(k, 0, K - 1))];
}

}  // namespace ddpm::ui
