#include "ui/window/studio_options.h"

#include "core/sampling/reverse_process.h"
#include "core/schedule/betas_file.h"
#include "core/util/error.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>

#include <functional>
#include <vector>

namespace ddpm::ui {

namespace {

bool toDouble(const QString& text, double* value) {
  bool ok = false;
  *value = text.toDouble(&ok);
  return ok;
}

/// What applying an option's value says: empty when it was taken, else what is wrong.
using Applied = QString;
/// Takes the value of an option that was given (flags get an empty value) into the options.
using Apply = std::function<Applied(const QString& value, StudioOptions& o)>;

/// One command-line option of ddpm-studio: its names, the name of its value (empty for a
/// flag), its --help line, and how a given value is checked and taken.
struct OptionRow {
  QStringList names;
  QString help;
  QString valueName;
  Apply apply;
};

ScheduleSpec& scheduleOf(StudioOptions& o) {
  if (!o.schedule) o.schedule = ScheduleSpec{};
  return *o.schedule;
}

/// A whole number >= lowest into `field`, else "--NAME must be a whole number >= lowest".
Apply wholeNumber(const QString& name, std::optional<int> StudioOptions::*field, int lowest) {
  return [name, field, lowest](const QString& value, StudioOptions& o) -> Applied {
    bool ok = false;
    o.*field = value.toInt(&ok);
    if (ok && *(o.*field) >= lowest) return {};
    return QStringLiteral("--%1 must be a whole number >= %2, got '%3'").arg(name).arg(lowest).arg(value);
  };
}

Apply seedNumber(const QString& name, std::optional<std::uint64_t> StudioOptions::*field) {
  return [name, field](const QString& value, StudioOptions& o) -> Applied {
    bool ok = false;
    o.*field = value.toULongLong(&ok);
    if (ok) return {};
    return QStringLiteral("--%1 must be a whole number >= 0, got '%2'").arg(name, value);
  };
}

Apply text(QString StudioOptions::*field) {
  return [field](const QString& value, StudioOptions& o) -> Applied {
    o.*field = value;
    return {};
  };
}

Apply flag(bool StudioOptions::*field) {
  return [field](const QString&, StudioOptions& o) -> Applied {
    o.*field = true;
    return {};
  };
}

/// `value` (lowered when `lower`) into `field` when it is one of `choices`, else "--NAME
/// must be one of …, got" what was stored.
Apply oneOf(const QString& name, QString StudioOptions::*field, const QStringList& choices, bool lower) {
  return [name, field, choices, lower](const QString& value, StudioOptions& o) -> Applied {
    o.*field = lower ? value.toLower() : value;
    if (choices.contains(o.*field)) return {};
    return QStringLiteral("--%1 must be one of %2, got '%3'").arg(name, choices.join(QStringLiteral(", ")), o.*field);
  };
}

Applied applyView(const QString& value, StudioOptions& o) {
  static const QStringList kViews = {QStringLiteral("schedule"), QStringLiteral("forward"), QStringLiteral("training"),
                                     QStringLiteral("sampling"), QStringLiteral("compare"),  QStringLiteral("evaluate")};
  o.view = value.toLower();
  if (kViews.contains(o.view)) return {};
  return QStringLiteral("--view must be one of %1, got '%2'").arg(kViews.join(QStringLiteral(", ")), value);
}

Applied applyT(const QString& value, StudioOptions& o) {
  bool ok = false;
  const int t = value.toInt(&ok);
  if (!ok || t < 0) return QStringLiteral("--t must be a whole number >= 0, got '%1'").arg(value);
  o.t = t;
  return {};
}

Applied applySteps(const QString& value, StudioOptions& o) {
  bool ok = false;
  scheduleOf(o).steps = value.toLongLong(&ok);
  return ok ? Applied() : QStringLiteral("--steps must be a whole number, got '%1'").arg(value);
}

Apply scheduleNumber(const QString& name, double ScheduleSpec::*field) {
  return [name, field](const QString& value, StudioOptions& o) -> Applied {
    if (toDouble(value, &(scheduleOf(o).*field))) return {};
    return QStringLiteral("--%1 must be a number, got '%2'").arg(name, value);
  };
}

Applied applyBetasFile(const QString& value, StudioOptions& o) {
  ScheduleSpec& spec = scheduleOf(o);
  spec.kind = ScheduleKind::Custom;
  spec.custom_source = value.toStdString();
  spec.custom_betas = read_betas_file(spec.custom_source);
  return {};
}

Applied applyCompare(const QString& value, StudioOptions& o) {
  if (schedule_kind_from_string(value.toStdString()) == ScheduleKind::Custom)
    return QStringLiteral("--compare takes linear, cosine, quadratic or sigmoid");
  o.compare = value;
  return {};
}

Applied applySize(const QString& value, StudioOptions& o) {
  static const QRegularExpression pattern(QStringLiteral("^(\\d+)[xX](\\d+)$"));
  const auto match = pattern.match(value);
  if (!match.hasMatch()) return QStringLiteral("--size must look like 1440x900, got '%1'").arg(value);
  o.size = QSize(match.captured(1).toInt(), match.captured(2).toInt());
  if (o.size.width() < 320 || o.size.height() < 240 || o.size.width() > 10000 || o.size.height() > 10000)
    return QStringLiteral("--size must be between 320x240 and 10000x10000");
  return {};
}

Applied applyDelay(const QString& value, StudioOptions& o) {
  bool ok = false;
  o.screenshotDelayMs = value.toInt(&ok);
  if (!ok || o.screenshotDelayMs < 0) return QStringLiteral("--screenshot-delay must be a whole number of milliseconds");
  return {};
}

Applied applySample(const QString&, StudioOptions& o) {
  o.sample = true;  // the --checkpoint, else the model the window opens with
  return {};
}

Applied applySampler(const QString& value, StudioOptions& o) {
  o.sampler = value.toLower();
  try {
    sampler_kind_from_string(o.sampler.toStdString());
  } catch (const Error&) {
    return QStringLiteral("--sampler must be ddpm, ddim, dpm-solver++, euler or heun, got '%1'").arg(value);
  }
  return {};
}

Applied applyEta(const QString& value, StudioOptions& o) {
  double eta = 0;
  if (!toDouble(value, &eta) || !(eta >= 0.0 && eta <= 1.0))
    return QStringLiteral("--eta must be a number in [0, 1], got '%1'").arg(value);
  o.eta = eta;
  return {};
}

Applied applyPrecision(const QString& value, StudioOptions& o) {
  o.precision = value.toLower();
  if (o.precision != QLatin1String("fp32") && o.precision != QLatin1String("bf16"))
    return QStringLiteral("--precision must be fp32 or bf16, got '%1'").arg(value);
  return {};
}

Applied applyGuidance(const QString& value, StudioOptions& o) {
  double w = 0;
  if (!toDouble(value, &w) || !(w >= 0.0 && w <= 10.0))
    return QStringLiteral("--guidance must be a number in [0, 10], got '%1'").arg(value);
  o.guidance = w;
  return {};
}

Applied applyNoisyClassifier(const QString& value, StudioOptions& o) {
  o.noisyClassifier = value;
  return {};
}

Applied applyClassifierScale(const QString& value, StudioOptions& o) {
  double s = 0;
  if (!toDouble(value, &s) || !(s >= 0.0 && s <= 20.0))
    return QStringLiteral("--classifier-scale must be a number in [0, 20], got '%1'").arg(value);
  o.classifierScale = s;
  return {};
}

Applied applyTrainSteps(const QString& value, StudioOptions& o) {
  bool ok = false;
  o.trainSteps = value.toLongLong(&ok);
  if (!ok || *o.trainSteps < 1) return QStringLiteral("--train-steps must be a whole number >= 1, got '%1'").arg(value);
  return {};
}

Applied applyTrainResume(const QString& value, StudioOptions& o) {
  o.trainResume = value;
  return !o.trainResume.isEmpty() && !o.train ? QStringLiteral("--train-resume needs --train") : Applied();
}

Applied applyEvaluate(const QString& value, StudioOptions& o) {
  o.evaluate = value.toLower();
  if (o.evaluate != QLatin1String("bound") && o.evaluate != QLatin1String("quality") &&
      o.evaluate != QLatin1String("rate-distortion"))
    return QStringLiteral("--evaluate must be bound, quality or rate-distortion, got '%1'").arg(value);
  return {};
}

/// Help, version, the view, t, the schedule, the data and the window.
std::vector<OptionRow> viewRows() {
  using O = StudioOptions;
  static const QStringList kData = {QStringLiteral("fashion-mnist"), QStringLiteral("swissroll"), QStringLiteral("moons"),
                                    QStringLiteral("gaussians8"), QStringLiteral("circles")};
  return {
      {{QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."), {}, {}},
      {{QStringLiteral("version")}, QStringLiteral("Show the version."), {}, {}},
      {{QStringLiteral("view")}, QStringLiteral("View to open: schedule, forward, training, sampling, compare or evaluate."),
       QStringLiteral("name"), applyView},
      {{QStringLiteral("t")}, QStringLiteral("Timestep (code index 0..T-1, the paper's t - 1)."), QStringLiteral("t"), applyT},
      {{QStringLiteral("schedule")}, QStringLiteral("Schedule kind: linear, cosine, quadratic or sigmoid."),
       QStringLiteral("kind"),
       [](const QString& value, O& o) -> Applied {
         scheduleOf(o).kind = schedule_kind_from_string(value.toStdString());
         return {};
       }},
      {{QStringLiteral("steps")}, QStringLiteral("Number of steps T."), QStringLiteral("T"), applySteps},
      {{QStringLiteral("beta-start")}, QStringLiteral("First beta."), QStringLiteral("B0"),
       scheduleNumber(QStringLiteral("beta-start"), &ScheduleSpec::beta_start)},
      {{QStringLiteral("beta-end")}, QStringLiteral("Last beta."), QStringLiteral("B1"),
       scheduleNumber(QStringLiteral("beta-end"), &ScheduleSpec::beta_end)},
      {{QStringLiteral("cosine-s")}, QStringLiteral("Offset s of the cosine schedule."), QStringLiteral("S"),
       scheduleNumber(QStringLiteral("cosine-s"), &ScheduleSpec::cosine_s)},
      {{QStringLiteral("betas-file")}, QStringLiteral("Custom schedule: a file with one beta per line."),
       QStringLiteral("file"), applyBetasFile},
      {{QStringLiteral("compare")}, QStringLiteral("Overlay a second schedule of this kind in the Schedule view."),
       QStringLiteral("kind"), applyCompare},
      {{QStringLiteral("data")},
       QStringLiteral("Forward- and Training-view data: fashion-mnist, swissroll, moons, gaussians8 or circles."),
       QStringLiteral("spec"), oneOf(QStringLiteral("data"), &O::data, kData, false)},
      {{QStringLiteral("image")}, QStringLiteral("Use a picture file as x0 in the Forward view."), QStringLiteral("file"),
       text(&O::image)},
      {{QStringLiteral("images")}, QStringLiteral("Fashion-MNIST test images to show, e.g. 0-15 or 3,17,42."),
       QStringLiteral("list"), text(&O::images)},
      {{QStringLiteral("noise-seed")}, QStringLiteral("Seed of the noise epsilon."), QStringLiteral("n"),
       seedNumber(QStringLiteral("noise-seed"), &O::noiseSeed)},
      {{QStringLiteral("size")}, QStringLiteral("Window size, e.g. 1440x900."), QStringLiteral("WxH"), applySize},
      {{QStringLiteral("screenshot")}, QStringLiteral("Save a PNG of the window once it is drawn, then quit."),
       QStringLiteral("file"), text(&O::screenshot)},
      {{QStringLiteral("screenshot-delay")}, QStringLiteral("Milliseconds to wait before the screenshot (default 700)."),
       QStringLiteral("ms"), applyDelay},
      {{QStringLiteral("fresh")}, QStringLiteral("Start from defaults: ignore saved settings and save none; new "
                                                 "training runs go to a temporary folder (ddpm-studio-runs)."),
       {},
       flag(&O::fresh)},
      {{QStringLiteral("play")}, QStringLiteral("Start playing t from where it is."), {}, flag(&O::play)},
      {{QStringLiteral("automation")},
       QStringLiteral("Answer questions about the window's state on standard input, one per line (view, rect, "
                      "state, dialogs, focus): for scripted tests that drive the window with keyboard and mouse."),
       {},
       flag(&O::automation)},
  };
}

/// The model and the Sampling view.
std::vector<OptionRow> samplingRows() {
  using O = StudioOptions;
  return {
      {{QStringLiteral("checkpoint")}, QStringLiteral("Open a checkpoint (.safetensors)."), QStringLiteral("file"),
       text(&O::checkpoint)},
      {{QStringLiteral("no-model")},
       QStringLiteral("Start without a model (by default the last one, else the shipped Fashion-MNIST model)."), {},
       flag(&O::noModel)},
      {{QStringLiteral("sample")}, QStringLiteral("Sample the --checkpoint, or the model the window opens with, in the Sampling view (screenshots wait for it)."),
       {}, applySample},
      {{QStringLiteral("sampler")}, QStringLiteral("Sampler: ddpm, ddim, dpm-solver++, euler or heun."), QStringLiteral("name"), applySampler},
      {{QStringLiteral("sample-steps")}, QStringLiteral("DDIM steps K."), QStringLiteral("K"),
       wholeNumber(QStringLiteral("sample-steps"), &O::sampleSteps, 1)},
      {{QStringLiteral("samples")}, QStringLiteral("Number of samples."), QStringLiteral("N"),
       wholeNumber(QStringLiteral("samples"), &O::samples, 1)},
      {{QStringLiteral("seed")}, QStringLiteral("Sampling seed."), QStringLiteral("n"),
       seedNumber(QStringLiteral("seed"), &O::seed)},
      {{QStringLiteral("eta")}, QStringLiteral("DDIM's eta in [0, 1]."), QStringLiteral("E"), applyEta},
      {{QStringLiteral("class")}, QStringLiteral("Class of every sample (class-conditional models)."), QStringLiteral("c"),
       wholeNumber(QStringLiteral("class"), &O::classLabel, 0)},
      {{QStringLiteral("guidance")}, QStringLiteral("Classifier-free guidance weight w in [0, 10], with --class."),
       QStringLiteral("w"), applyGuidance},
      {{QStringLiteral("noisy-classifier")},
       QStringLiteral("Classifier guidance of an unconditional model: a noise-aware classifier (file or shipped name); "
                      "--class then picks its class."),
       QStringLiteral("file"), applyNoisyClassifier},
      {{QStringLiteral("classifier-scale")}, QStringLiteral("Classifier guidance scale s in [0, 20]."),
       QStringLiteral("s"), applyClassifierScale},
      {{QStringLiteral("precision")},
       QStringLiteral("The network's precision when sampling: fp32, or bf16 (CUDA, or a CPU with AVX512_BF16)."),
       QStringLiteral("p"), applyPrecision},
      {{QStringLiteral("frame")}, QStringLiteral("Step to show once sampling is done (-1: the last)."), QStringLiteral("k"),
       wholeNumber(QStringLiteral("frame"), &O::frame, -1)},
  };
}

/// The Training and Evaluate views.
std::vector<OptionRow> trainingRows() {
  using O = StudioOptions;
  static const QStringList kPresets = {QStringLiteral("mlp"), QStringLiteral("unet-tiny"), QStringLiteral("unet-small"),
                                       QStringLiteral("unet-paper")};
  return {
      {{QStringLiteral("train")},
       QStringLiteral("Start training in the Training view (with --data, --model, --train-steps)."), {}, flag(&O::train)},
      {{QStringLiteral("train-steps")}, QStringLiteral("Training steps for --train."), QStringLiteral("N"),
       applyTrainSteps},
      {{QStringLiteral("model")}, QStringLiteral("Training view's model: mlp, unet-tiny, unet-small or unet-paper."),
       QStringLiteral("preset"), oneOf(QStringLiteral("model"), &O::model, kPresets, true)},
      {{QStringLiteral("objective")}, QStringLiteral("Training view's objective: eps, mu or x0 (the paper's Table 2)."),
       QStringLiteral("what"),
       oneOf(QStringLiteral("objective"), &O::objective, {QStringLiteral("eps"), QStringLiteral("mu"), QStringLiteral("x0")},
             true)},
      {{QStringLiteral("loss")}, QStringLiteral("Training view's loss: simple or bound."), QStringLiteral("which"),
       oneOf(QStringLiteral("loss"), &O::loss, {QStringLiteral("simple"), QStringLiteral("bound")}, true)},
      {{QStringLiteral("train-resume")},
       QStringLiteral("With --train: continue the run saved in this checkpoint (it is updated in place)."),
       QStringLiteral("file"), applyTrainResume},
      {{QStringLiteral("loss-heatmap")}, QStringLiteral("Training view: show the heatmap of the loss against t and step."),
       {}, flag(&O::lossHeatmap)},
      {{QStringLiteral("evaluate")},
       QStringLiteral("Evaluate view: run 'bound' (bits per t), 'quality' (quality against steps) or "
                      "'rate-distortion' (the bound, showing Fig. 5's curves) on the model at start (screenshots wait "
                      "for it)."),
       QStringLiteral("what"), applyEvaluate},
      {{QStringLiteral("eval-examples")}, QStringLiteral("Evaluate view: test examples for the bound."),
       QStringLiteral("N"), wholeNumber(QStringLiteral("eval-examples"), &O::evalExamples, 1)},
      {{QStringLiteral("eval-terms")}, QStringLiteral("Evaluate view: stratified terms of the bound (0: all T)."),
       QStringLiteral("K"), wholeNumber(QStringLiteral("eval-terms"), &O::evalTerms, 0)},
      {{QStringLiteral("eval-steps")}, QStringLiteral("Evaluate view: step counts K, e.g. \"10,20,50,100,T\"."),
       QStringLiteral("list"), text(&O::evalSteps)},
      {{QStringLiteral("eval-samplers")},
       QStringLiteral("Evaluate view: samplers run at each K, e.g. \"ddim,dpm-solver++,euler,heun\"."),
       QStringLiteral("list"), text(&O::evalSamplers)},
  };
}

/// ddpm-studio's options in --help order (help and version first, handled by the parser's caller).
const std::vector<OptionRow>& optionTable() {
  static const std::vector<OptionRow> table = [] {
    std::vector<OptionRow> rows = viewRows();
    for (auto group : {samplingRows, trainingRows}) {
      std::vector<OptionRow> more = group();
      rows.insert(rows.end(), more.begin(), more.end());
    }
    return rows;
  }();
  return table;
}

StudioOptionsResult finished(StudioOptionsResult::Action action, const QString& text) {
  StudioOptionsResult result;
  result.action = action;
  result.text = text;
  return result;
}

}  // namespace

StudioOptionsResult parseStudioOptions(const QStringList& arguments) {
  using Action = StudioOptionsResult::Action;
  QCommandLineParser parser;
  parser.setApplicationDescription(QCoreApplication::translate(
      "ddpm-studio", "DDPM Studio: denoising diffusion models (Ho et al. 2020) shown step by step: the noise "
      "schedule, the forward process, training with live loss plots, sampling (DDPM and DDIM), "
      "A/B comparisons and the variational bound."));
  std::vector<QCommandLineOption> options;
  for (const OptionRow& row : optionTable()) {
    options.emplace_back(row.names, row.help, row.valueName);
    parser.addOption(options.back());
  }
  if (!parser.parse(arguments)) return finished(Action::Error, parser.errorText());
  if (!parser.positionalArguments().isEmpty())
    return finished(Action::Error,
                    QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));
  if (parser.isSet(QStringLiteral("help"))) return finished(Action::Help, parser.helpText());
  if (parser.isSet(QStringLiteral("version")))
    return finished(Action::Version,
                    QCoreApplication::applicationName() + QLatin1Char(' ') + QCoreApplication::applicationVersion());

  StudioOptionsResult result;
  try {
    for (std::size_t i = 0; i < optionTable().size(); ++i) {
      const OptionRow& row = optionTable()[i];
      if (row.apply && parser.isSet(options[i])) {
        const QString wrong = row.apply(parser.value(options[i]), result.options);
        if (!wrong.isEmpty()) return finished(Action::Error, wrong);
      }
      // The schedule's options are done: refuse what core refuses, with core's words.
      if (row.names.first() == QLatin1String("betas-file") && result.options.schedule) {
        NoiseSchedule check(*result.options.schedule);
      }
    }
  } catch (const std::exception& error) {
    return finished(Action::Error, QString::fromStdString(error.what()));
  }
  return result;
}

}  // namespace ddpm::ui
