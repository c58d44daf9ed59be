// torch first: Qt's `slots` macro breaks ATen headers included after Qt.
#include "core/runtime/device.h"

#include "ui/training/compute_devices.h"

namespace ddpm::ui {

QString cudaUnavailableReason() {
  static const QString reason = [] {
    try {
      resolve_device("cuda");
      return QString();
    } catch (const std::exception& e) {
      return QString::fromStdString(e.what());
    }
  }();
  return reason;
}

}  // namespace ddpm::ui
