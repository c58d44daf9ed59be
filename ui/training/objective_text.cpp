#include "ui/training/objective_text.h"

#include <QCoreApplication>

namespace ddpm::ui {

namespace {
QString tr(const char* text) { return QCoreApplication::translate("ObjectiveText", text); }
}  // namespace

ObjectiveText objectiveText(const QString& objective, const QString& loss) {
  const QString input = QStringLiteral("√ᾱ<sub>t</sub> x₀ + √(1 − ᾱ<sub>t</sub>) ε");
  if (loss == QLatin1String("bound")) {
    const QString what = objective == QLatin1String("mu") ? tr("predicting μ̃") : objective == QLatin1String("x0")
                                                                                   ? tr("predicting x₀")
                                                                                   : tr("predicting ε");
    return {tr("Loss (the bound's term at t, nats/dim; %1)").arg(what), tr("bound term / dim (nats)"),
            tr("L<sub>t−1</sub> = D<sub>KL</sub>(q(x<sub>t−1</sub> | x<sub>t</sub>, x₀) ‖ N(μ<sub>θ</sub>, β<sub>t</sub> I)), "
               "L<sub>0</sub> = −log p<sub>θ</sub>(x₀ | x₁) at t = 1; &nbsp;E<sub>t</sub>[L<sub>t−1</sub>] = (L − L<sub>T</sub>)/T "
               "&nbsp;<span style='color:gray'>(eq. 5, 8, 13; t uniform, %1)</span>")
                .arg(what)};
  }
  if (objective == QLatin1String("mu"))
    return {tr("Loss (‖μ̃ − μ_θ‖², unweighted)"), tr("mean ‖μ̃ − μ̂‖² / dim"),
            tr("L(θ) = E<sub>t, x₀, ε</sub> ‖ μ̃<sub>t</sub>(x₀, x<sub>t</sub>) − μ<sub>θ</sub>(x<sub>t</sub>, t) ‖², "
               "x<sub>t</sub> = %1 &nbsp;<span style='color:gray'>(eq. 7; the paper's μ̃ baseline)</span>")
                .arg(input)};
  if (objective == QLatin1String("x0"))
    return {tr("Loss (‖x₀ − x̂₀‖², unweighted)"), tr("mean ‖x₀ − x̂₀‖² / dim"),
            tr("L(θ) = E<sub>t, x₀, ε</sub> ‖ x₀ − x<sub>θ</sub>(%1, t) ‖² &nbsp;<span style='color:gray'>(predicting "
               "x₀)</span>")
                .arg(input)};
  return {tr("Loss (L simple, eq. 14)"), tr("mean ‖ε − ε̂‖² / dim"),
          tr("L<sub>simple</sub>(θ) = E<sub>t, x₀, ε</sub> ‖ ε − ε<sub>θ</sub>(%1, t) ‖² &nbsp;<span "
             "style='color:gray'>(eq. 14)</span>")
              .arg(input)};
}

}  // namespace ddpm::ui
