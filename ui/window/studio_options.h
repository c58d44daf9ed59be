#pragma once

#include "core/schedule/noise_schedule.h"

#include <QSize>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>

namespace ddpm::ui {

/// What ddpm-studio's command line asks for: a view, a t, a schedule, data, and
/// optionally a screenshot to take and quit (so pictures for docs are scripted).
struct StudioOptions {
  QString view;                          ///< "schedule", "forward", "training" or "sampling"
  std::optional<int> t;                  ///< code index 0..T−1
  std::optional<ScheduleSpec> schedule;  ///< set when any schedule option was given
  QString compare;                       ///< a schedule kind to overlay in the Schedule view
  QString data;                          ///< fashion-mnist | swissroll | moons | gaussians8 | circles
  QString image;                         ///< a picture file to use as x₀
  QString images;                        ///< Fashion-MNIST image numbers, "0-15"
  std::optional<std::uint64_t> noiseSeed;
  QSize size;                            ///< window size, empty: as saved
  QString screenshot;                    ///< PNG path: save the window and quit
  int screenshotDelayMs = 700;
  bool fresh = false;                    ///< ignore saved settings and save none; runs go to a temporary folder
  bool automation = false;               ///< answer state questions on stdin (AutomationProbe; scripted GUI tests)
  bool play = false;                     ///< start playing t
  QString checkpoint;                    ///< a checkpoint to open as the current model
  bool noModel = false;                  ///< start without a model (no last or shipped checkpoint)
  bool sample = false;                   ///< sample the current model in the Sampling view at start
  QString sampler;                       ///< "ddpm", "ddim", … (empty: the view's choice)
  std::optional<int> sampleSteps;        ///< DDIM steps K
  std::optional<int> samples;            ///< number of samples N
  std::optional<std::uint64_t> seed;     ///< sampling seed
  std::optional<double> eta;             ///< DDIM's η
  std::optional<int> classLabel;         ///< a conditional model's class
  std::optional<double> guidance;        ///< classifier-free guidance w (with a class)
  QString noisyClassifier;               ///< classifier guidance: a noise-aware classifier file or shipped name
  std::optional<double> classifierScale; ///< classifier guidance scale s
  QString precision;                     ///< "fp32" or "bf16" for the network (empty: the view's choice)
  std::optional<int> frame;              ///< once sampling is done, show this step (−1: the last)
  bool train = false;                    ///< start training in the Training view (its settings, --data, --model)
  std::optional<qint64> trainSteps;      ///< steps for --train
  QString trainResume;                   ///< --train continues this checkpoint's run (in place)
  QString model;                         ///< Training view's model preset
  QString objective;                     ///< Training view's objective: eps, mu or x0 (empty: as it was)
  QString loss;                          ///< Training view's loss: simple or bound (empty: as it was)
  bool lossHeatmap = false;              ///< Training view: show the loss heatmap tab
  QString evaluate;                      ///< Evaluate view: run "bound" or "quality" at start (screenshots wait)
  std::optional<int> evalExamples;       ///< Evaluate view: test examples for the bound
  std::optional<int> evalTerms;          ///< Evaluate view: stratified terms for the bound (0: all T)
  QString evalSteps;                     ///< Evaluate view: step list K ("10, 20, 50, T")
  QString evalSamplers;                  ///< Evaluate view: samplers for the step list ("ddim,dpm-solver++")
};

/// Outcome of parsing: run, or print `text` and exit (help/version: 0, error: 2).
struct StudioOptionsResult {
  enum class Action { Run, Help, Version, Error };
  Action action = Action::Run;
  QString text;
  StudioOptions options;
};

/// Parses the arguments (argv[0] first) with QCommandLineParser; checks values (a
/// schedule core refuses, a t below 0, an unknown view) and says what is wrong.
StudioOptionsResult parseStudioOptions(const QStringList& arguments);

}  // namespace ddpm::ui
