#include "ui/sampling/run_progress.h"

#include "ui/shared/maths_format.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>

#include <algorithm>

namespace ddpm::ui {

namespace {

QString megabytes(std::size_t bytes) {
  return QLocale().toString(static_cast<double>(bytes) / (1024.0 * 1024.0), 'f', 1) + QStringLiteral(" MB");
}

}  // namespace

RunProgress::RunProgress(QWidget* parent) : QWidget(parent), m_bar(new QProgressBar(this)), m_rate(new QLabel(this)) {
  m_bar->setTextVisible(true);
  m_bar->setFormat(tr("%v / %m steps"));
  m_bar->setMinimumWidth(150);
  m_rate->setObjectName(QStringLiteral("caption"));
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(12, 0, 12, 0);
  row->addWidget(m_bar, 1);
  row->addWidget(m_rate);
}

void RunProgress::showLoading() {
  m_bar->setRange(0, 1);
  m_bar->setValue(0);
  m_rate->setText(tr("loading the model…"));
}

void RunProgress::showStarted(int totalSteps) {
  m_bar->setRange(0, totalSteps);
  m_bar->setValue(0);
  m_rate->setText(QString());
}

void RunProgress::showRecording(int frames, double stepsPerSecond, std::size_t bytes) {
  m_bar->setValue(std::max(0, frames - 1));
  m_rate->setText(tr("%1 steps/s · %2 recorded").arg(formatNumber(stepsPerSecond, 3), megabytes(bytes)));
}

void RunProgress::showFinished(bool cancelled, int stepsDone, int totalSteps, double seconds, double stepsPerSecond,
                               std::size_t bytes) {
  m_rate->setText(cancelled ? tr("stopped after %1 of %2 steps · %3 recorded").arg(stepsDone).arg(totalSteps).arg(megabytes(bytes))
                            : tr("done in %1 s · %2 steps/s · %3 recorded")
                                  .arg(formatNumber(seconds, 3), formatNumber(stepsPerSecond, 3), megabytes(bytes)));
}

void RunProgress::clearRate() {
  m_rate->setText(QString());
}

}  // namespace ddpm::ui
