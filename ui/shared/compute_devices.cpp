// torch first: Qt's `slots` macro breaks ATen headers included after Qt.
#include "core/runtime/device.h"

#include "ui/training/compute_devices.h"

namespace ddpm::ui {

QString cudaUnavailableReason() {
  static const QString reason = QString::fromStdString(cuda_unavailable_reason());
  return reason;
}

}  // namespace ddpm::ui
