#include "ui/shared/studio_view.h"

#include <QSettings>

namespace ddpm::ui {

StudioView::StudioView(ScheduleModel* schedule, TimestepCursor* cursor, QWidget* parent)
    : QWidget(parent), m_schedule(schedule), m_cursor(cursor) {}

void StudioView::saveState(QSettings&) const {}
void StudioView::restoreState(QSettings&) {}

}  // namespace ddpm::ui
