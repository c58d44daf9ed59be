#include "ui/sampling/precision_box.h"

#include "ui/shared/combo_items.h"
#include "ui/shared/compute_devices.h"

#include <QComboBox>
#include <QCoreApplication>

namespace ddpm::ui {

namespace {

QString tr(const char* text) {
  return QCoreApplication::translate("ddpm::ui::PrecisionBox", text);
}

}  // namespace

QComboBox* makePrecisionBox(QWidget* parent) {
  auto* box = new QComboBox(parent);
  box->addItem(tr("float32"), QStringLiteral("fp32"));
  box->addItem(tr("bf16 autocast"), QStringLiteral("bf16"));
  box->setToolTip(tr("The network's arithmetic. bf16: its convolutions and matrix products in bfloat16 "
                     "(8 significant bits) under autocast, faster on a GPU and on a CPU with AVX512_BF16; "
                     "x_t, the schedule and every update stay float32, so samples differ from float32's "
                     "only slightly"));
  const QString why = bf16SamplingUnavailableReason();
  setItemEnabled(box, 1, why.isEmpty(), why);
  return box;
}

bool bf16Chosen(const QComboBox* box) {
  return box->currentData().toString() == QLatin1String("bf16");
}

bool chooseBf16(QComboBox* box, bool bf16) {
  box->setCurrentIndex(bf16 && itemEnabled(box, 1) ? 1 : 0);
  return bf16Chosen(box);
}

}  // namespace ddpm::ui
