#pragma once

#include "ui/evaluate/evaluation_types.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace ddpm {
struct CheckpointData;
}

namespace ddpm::ui {

/// Runs the Evaluate view's long computations through core on the thread it lives on:
/// the variational bound term by term (variational_bound), and sampling with DDPM / DDIM
/// at several step counts, each scored (energy distance for points, the classifier's
/// Fréchet distance for Fashion-MNIST images). Only plain values leave it. Every run has
/// an id, which its signals carry, and core's cancel flag (RunCancellation::beginRun): it
/// stops before its next network call once the flag is true.
class EvaluateWorker : public QObject {
  Q_OBJECT

 public:
  explicit EvaluateWorker(QObject* parent = nullptr);

  /// Blocking, on the worker's thread. Emits progress…, then boundFinished, or finished
  /// (cancelled), or failed with a sentence (data that do not fit the model, …).
  void runBound(quint64 runId, const std::atomic<bool>* cancel, std::shared_ptr<const ddpm::CheckpointData> checkpoint,
                ddpm::ui::BoundSettings settings);
  /// Blocking. Emits progress… and one qualityRow per run, then finished, or failed.
  void runQuality(quint64 runId, const std::atomic<bool>* cancel, std::shared_ptr<const ddpm::CheckpointData> checkpoint,
                  ddpm::ui::QualitySettings settings);

 signals:
  void progress(quint64 runId, qint64 done, qint64 total, const QString& text);
  void boundFinished(quint64 runId, const ddpm::ui::BoundResult& result);
  void qualityRow(quint64 runId, const ddpm::ui::QualityRow& row);
  /// A run ended without error (cancelled or not). A bound run that completes sends
  /// boundFinished first.
  void finished(quint64 runId, bool cancelled);
  void failed(quint64 runId, const QString& message);
};

}  // namespace ddpm::ui
