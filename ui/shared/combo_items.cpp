#include "ui/shared/combo_items.h"

#include <QComboBox>
#include <QStandardItemModel>

namespace ddpm::ui {

void setItemEnabled(QComboBox* box, int index, bool enabled, const QString& why) {
  auto* model = qobject_cast<QStandardItemModel*>(box->model());
  if (!model) return;
  QStandardItem* item = model->item(index);
  item->setFlags(enabled ? item->flags() | Qt::ItemIsEnabled : item->flags() & ~Qt::ItemIsEnabled);
  item->setToolTip(why);
}

bool itemEnabled(QComboBox* box, int index) {
  auto* model = qobject_cast<QStandardItemModel*>(box->model());
  return !model || model->item(index)->isEnabled();
}

}  // namespace ddpm::ui
