#pragma once

#include <QString>

class QComboBox;

namespace ddpm::ui {

/// Greys out (or restores) item `index` of `box`, with `why` as the item's tooltip: a
/// choice this machine or this model cannot take stays visible and says why.
void setItemEnabled(QComboBox* box, int index, bool enabled, const QString& why = {});
/// Whether item `index` of `box` can be chosen.
bool itemEnabled(QComboBox* box, int index);

}  // namespace ddpm::ui
