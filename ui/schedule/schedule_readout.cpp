#include "core/schedule/noise_schedule.h"

#include "ui/schedule/schedule_readout.h"

#include "ui/shared/maths_format.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QLabel>
#include <QPainter>
#include <QPixmap>

namespace ddpm::ui {

namespace {

QIcon swatch(const QColor& colour) {
  QPixmap pixmap(28, 12);
  pixmap.fill(Qt::transparent);
  QPainter painter(&pixmap);
  painter.setRenderHint(QPainter::Antialiasing);
  painter.setPen(QPen(colour, 3, Qt::SolidLine, Qt::RoundCap));
  painter.drawLine(QPointF(3, 6), QPointF(25, 6));
  return QIcon(pixmap);
}

}  // namespace

ScheduleReadout::ScheduleReadout(QWidget* parent)
    : QWidget(parent), m_header(new QLabel(this)), m_compareHeader(new QLabel(this)) {
  auto* grid = new QGridLayout(this);
  grid->setContentsMargins(0, 0, 0, 0);
  grid->setHorizontalSpacing(10);
  grid->setVerticalSpacing(4);
  m_header->setObjectName(QStringLiteral("caption"));
  m_compareHeader->setObjectName(QStringLiteral("caption"));
  m_header->setAlignment(Qt::AlignRight);
  m_compareHeader->setAlignment(Qt::AlignRight);
  grid->addWidget(m_header, 0, 1);
  grid->addWidget(m_compareHeader, 0, 2);
  int row = 1;
  for (ScheduleSeries s : allScheduleSeries()) {
    const auto i = static_cast<std::size_t>(s);
    auto* box = new QCheckBox(seriesLabel(s), this);
    box->setObjectName(QStringLiteral("series_") + seriesKey(s));
    box->setIcon(swatch(seriesColour(s)));
    box->setIconSize(QSize(28, 12));
    box->setChecked(true);
    box->setToolTip(seriesMeaning(s));
    connect(box, &QCheckBox::toggled, this, [this, s](bool on) { emit seriesToggled(s, on); });
    auto* value = new QLabel(this);
    auto* compare = new QLabel(this);
    for (QLabel* label : {value, compare}) {
      label->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
      label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    compare->setObjectName(QStringLiteral("caption"));
    grid->addWidget(box, row, 0);
    grid->addWidget(value, row, 1);
    grid->addWidget(compare, row, 2);
    m_toggles[i] = box;
    m_values[i] = value;
    m_compareValues[i] = compare;
    ++row;
  }
  grid->setColumnStretch(0, 1);
}

void ScheduleReadout::setValues(const NoiseSchedule& schedule, const NoiseSchedule* compare, int t) {
  m_header->setText(tr("at t = %1").arg(t));
  m_compareHeader->setText(compare ? tr("compare") : QString());
  for (ScheduleSeries s : allScheduleSeries()) {
    const auto i = static_cast<std::size_t>(s);
    m_values[i]->setText(t < schedule.steps() ? formatNumber(seriesValue(schedule, s, t)) : QStringLiteral("—"));
    m_compareValues[i]->setVisible(compare != nullptr);
    if (compare)
      m_compareValues[i]->setText(t < compare->steps() ? formatNumber(seriesValue(*compare, s, t))
                                                       : QStringLiteral("—"));
  }
}

void ScheduleReadout::setSeriesChecked(ScheduleSeries series, bool checked) {
  m_toggles[static_cast<std::size_t>(series)]->setChecked(checked);
}

bool ScheduleReadout::isSeriesChecked(ScheduleSeries series) const {
  return m_toggles[static_cast<std::size_t>(series)]->isChecked();
}

QString ScheduleReadout::valueText(ScheduleSeries series, bool compare) const {
  return (compare ? m_compareValues : m_values)[static_cast<std::size_t>(series)]->text();
}

}  // namespace ddpm::ui
