// torch first: Qt's `slots` macro breaks ATen headers included after Qt.
#include "core/runtime/device.h"
#include "core/runtime/precision.h"

#include "ui/shared/compute_devices.h"

namespace ddpm::ui {

QString cudaUnavailableReason() {
  static const QString reason = QString::fromStdString(cuda_unavailable_reason());
  return reason;
}

QString bf16SamplingUnavailableReason() {
  static const QString reason = QString::fromStdString(
      precision_problem(resolve_device("auto"), "bf16", PrecisionUse::Sampling, cpu_has_bf16()));
  return reason;
}

}  // namespace ddpm::ui
