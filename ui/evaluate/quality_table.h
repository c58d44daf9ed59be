#pragma once

#include "ui/evaluate/evaluation_types.h"

#include <QString>

#include <vector>

namespace ddpm::ui {

/// Reads a list of DDIM step counts such as "10, 20, 50, 100, T" ("T" is the schedule's
/// T): sorted, duplicates dropped. False with a sentence in `error` for anything else or a
/// count outside 1..T.
bool parseStepList(const QString& text, int T, std::vector<int>* steps, QString* error);

/// The quality runs as CSV: sampler,steps,nfe,samples,score,baseline,seconds (one header line,
/// `metric` names the score column's meaning in a comment-free header: score_<metric>).
QString qualityCsv(const std::vector<QualityRow>& rows, const QString& metric);

}  // namespace ddpm::ui
