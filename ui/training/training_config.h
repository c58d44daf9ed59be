#pragma once

#include "core/schedule/noise_schedule.h"

#include <QMetaType>
#include <QString>
#include <QStringList>

#include <cstdint>

namespace ddpm::ui {

/// Everything one training run from the GUI needs, as plain values (it crosses to the
/// worker thread by value). A new run trains `model` on `data` with `schedule`; a
/// continued run (resumePath set) takes model, schedule and data from that checkpoint
/// and trains on until `totalSteps` steps in all, as `ddpm train --resume` does.
struct TrainingConfig {
  QString data = QStringLiteral("moons");       ///< SPEC: fashion-mnist | swissroll | … | csv:PATH | images:DIR
  QString model = QStringLiteral("mlp");        ///< preset: mlp | unet-tiny | unet-small | unet-paper
  QString objective = QStringLiteral("eps");    ///< what the network predicts: eps | mu | x0 (Table 2)
  QString loss = QStringLiteral("simple");      ///< simple (L_simple) | bound (the variational bound's term)
  ScheduleSpec schedule;                        ///< ignored when continuing (the checkpoint's is used)
  qint64 totalSteps = 2000;                     ///< train until this many steps in all
  qint64 batchSize = 128;
  double learningRate = 2e-4;
  double emaDecay = 0.999;
  quint64 seed = 0;
  QString outputPath;                           ///< .safetensors written by autosaves and at the end
  qint64 autosaveEvery = 0;                     ///< steps between saves; 0: a tenth of the run (as the CLI)
  QString device = QStringLiteral("cpu");       ///< "auto", "cpu" or "cuda"
  QString precision = QStringLiteral("fp32");   ///< "fp32" or, on CUDA, "bf16" autocast (core/runtime/precision.h)
  QString resumePath;                           ///< continue this checkpoint's run (empty: a new run)
  int threads = 0;                              ///< torch intra-op threads; 0: recommended for the model
  double previewSeconds = 5.0;                  ///< at most one sample preview per this many seconds (0: none)
  int previewImages = 16;                       ///< images in an image preview
  int previewPoints = 512;                      ///< points in a 2D preview
  quint64 runId = 0;                            ///< set by TrainingSession; echoed in TrainingOutcome

  /// True when this run continues a checkpoint.
  bool isContinuation() const { return !resumePath.isEmpty(); }
  /// The autosave interval in force: autosaveEvery, or a tenth of the steps still to
  /// take from `firstStep` (at least 1).
  qint64 autosaveInterval(qint64 firstStep) const;

  /// Checks what can be checked without loading anything (numbers in range, the output
  /// file's name and folder, the data file or folder exists). Returns one sentence per
  /// problem, empty when fine. Core checks the rest when the run starts.
  QStringList problems() const;
};

/// The data SPECs the Training view offers besides csv:PATH and images:DIR.
QStringList builtInTrainingData();

/// Whether a SPEC is a 2D source (toys and csv:PATH) rather than images.
bool isPointData(const QString& spec);

}  // namespace ddpm::ui

Q_DECLARE_METATYPE(ddpm::ui::TrainingConfig)
