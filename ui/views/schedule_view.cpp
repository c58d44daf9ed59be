#include "schedule/noise_schedule.h"

#include "views/schedule_view.h"

#include <qcustomplot.h>

#include <QVBoxLayout>

namespace ddpm::ui {

ScheduleView::ScheduleView(QWidget* parent)
    : QWidget(parent), m_plot(new QCustomPlot(this)), m_schedule(std::make_unique<NoiseSchedule>()) {
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(m_plot);
  m_plot->addGraph();  // β_t on the left axis
  m_plot->addGraph(m_plot->xAxis, m_plot->yAxis2);  // ᾱ_t on the right axis
  m_plot->graph(0)->setName(QStringLiteral("β_t"));
  m_plot->graph(0)->setPen(QPen(QColor(0xd9, 0x5f, 0x02), 2));
  m_plot->graph(1)->setName(QStringLiteral("ᾱ_t"));
  m_plot->graph(1)->setPen(QPen(QColor(0x1b, 0x9e, 0x77), 2));
  m_plot->xAxis->setLabel(tr("timestep t"));
  m_plot->yAxis->setLabel(QStringLiteral("β_t"));
  m_plot->yAxis2->setLabel(QStringLiteral("ᾱ_t"));
  m_plot->yAxis2->setVisible(true);
  m_plot->legend->setVisible(true);
  replot();
}

ScheduleView::~ScheduleView() = default;

void ScheduleView::setSchedule(const ScheduleSpec& spec) {
  m_schedule = std::make_unique<NoiseSchedule>(spec);
  replot();
}

const NoiseSchedule& ScheduleView::schedule() const {
  return *m_schedule;
}

void ScheduleView::replot() {
  const auto& s = *m_schedule;
  QVector<double> t(static_cast<int>(s.steps()));
  for (int i = 0; i < t.size(); ++i) t[i] = i;
  m_plot->graph(0)->setData(t, QVector<double>(s.beta.begin(), s.beta.end()), true);
  m_plot->graph(1)->setData(t, QVector<double>(s.alpha_bar.begin(), s.alpha_bar.end()), true);
  m_plot->rescaleAxes();
  m_plot->yAxis2->setRange(0, 1.02);
  m_plot->replot();
}

}  // namespace ddpm::ui
