#pragma once

#include "ui/compare/slerp_strip.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace ddpm {
struct CheckpointData;
}

namespace ddpm::ui {

/// Samples along a great circle in noise space on the thread it lives on: x_T of seed A
/// and of seed B (each drawn exactly as ReverseProcess draws x_T for that seed), then for
/// each λ core's slerp(a, b; λ) of the whole x_T (all N samples flattened) handed to ReverseProcess::continue_from at code index
/// T − 1, one run per λ with the same options. With DDIM η = 0 each run is deterministic,
/// so λ = 0 and λ = 1 give exactly the samples of plain runs with seed A and seed B; with
/// DDPM every λ draws its z from one generator seeded with seed A, so the noise is shared.
/// Only plain values leave it (SlerpStrip). Cancel as SamplingWorker: a run stops before
/// its next network call once its flag `cancel` is true.
class SlerpWorker : public QObject {
  Q_OBJECT

 public:
  explicit SlerpWorker(QObject* parent = nullptr);

  /// Blocks until done: emits progress…, then finished (strip, or cancelled) or failed.
  void run(quint64 runId, const std::atomic<bool>* cancel, std::shared_ptr<const ddpm::CheckpointData> checkpoint,
           ddpm::ui::SlerpSettings settings);

 signals:
  void progress(quint64 runId, int stepsTaken, int totalSteps);
  void finished(quint64 runId, const ddpm::ui::SlerpStrip& strip);
  void cancelled(quint64 runId);
  void failed(quint64 runId, const QString& message);
};

}  // namespace ddpm::ui
