#pragma once

#include <QString>

namespace ddpm::ui {

/// How the Training view names what a run minimises, for an objective ("eps", "mu", "x0")
/// and a loss ("simple", "bound"): the loss plot's title, the per-t axis label and the
/// formula panel's line (HTML).
struct ObjectiveText {
  QString plotTitle;
  QString perTLabel;
  QString formulaHtml;
};

ObjectiveText objectiveText(const QString& objective, const QString& loss);

}  // namespace ddpm::ui
