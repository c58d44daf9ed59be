#include "core/sampling/ddim.h"

#include "ui/evaluate/quality_table.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace ddpm::ui {

bool parseStepList(const QString& text, int T, std::vector<int>* steps, QString* error) {
  const auto fail = [error](const QString& why) {
    if (error) *error = why;
    return false;
  };
  std::vector<int> out;
  const QStringList parts = text.split(QRegularExpression(QStringLiteral("[,;\\s]+")), Qt::SkipEmptyParts);
  for (const QString& part : parts) {
    int k = 0;
    if (part.compare(QStringLiteral("T"), Qt::CaseInsensitive) == 0) {
      k = T;
    } else {
      bool ok = false;
      k = part.toInt(&ok);
      if (!ok)
        return fail(QCoreApplication::translate("QualityTable", "'%1' is not a number of steps (write e.g. 10, 20, 50, T)")
                        .arg(part));
    }
    if (!ddim_steps_in_range(k, T))
      return fail(QCoreApplication::translate("QualityTable", "Steps K must be between 1 and T = %1; got %2").arg(T).arg(k));
    out.push_back(k);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  if (steps) *steps = out;
  return true;
}

QString qualityCsv(const std::vector<QualityRow>& rows, const QString& metric) {
  const auto number = [](double v) { return std::isfinite(v) ? QString::number(v, 'g', 10) : QString(); };
  QString csv = QStringLiteral("sampler,steps,nfe,samples,score_%1,baseline,seconds\n").arg(metric);
  for (const QualityRow& row : rows)
    csv += QStringLiteral("%1,%2,%3,%4,%5,%6,%7\n")
               .arg(row.sampler)
               .arg(row.steps)
               .arg(row.nfe)
               .arg(row.samples)
               .arg(number(row.score), number(row.baseline), number(row.seconds));
  return csv;
}

}  // namespace ddpm::ui
