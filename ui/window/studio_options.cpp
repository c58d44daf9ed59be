#include "ui/window/studio_options.h"

#include "core/schedule/betas_file.h"
#include "core/util/error.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>

namespace ddpm::ui {

namespace {

bool toDouble(const QString& text, double* value) {
  bool ok = false;
  *value = text.toDouble(&ok);
  return ok;
}

}  // namespace

StudioOptionsResult parseStudioOptions(const QStringList& arguments) {
  StudioOptionsResult result;
  QCommandLineParser parser;
  parser.setApplicationDescription(QCoreApplication::translate(
      "ddpm-studio", "DDPM Studio: see the noise schedule and the forward process of diffusion models."));
  const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
  const QCommandLineOption version(QStringLiteral("version"), QStringLiteral("Show the version."));
  const QCommandLineOption view(QStringLiteral("view"),
                                QStringLiteral("View to open: schedule, forward, training, sampling, compare or evaluate."),
                                QStringLiteral("name"));
  const QCommandLineOption t(QStringLiteral("t"), QStringLiteral("Timestep (code index 0..T-1, the paper's t - 1)."),
                             QStringLiteral("t"));
  const QCommandLineOption kind(QStringLiteral("schedule"),
                                QStringLiteral("Schedule kind: linear, cosine, quadratic or sigmoid."),
                                QStringLiteral("kind"));
  const QCommandLineOption steps(QStringLiteral("steps"), QStringLiteral("Number of steps T."), QStringLiteral("T"));
  const QCommandLineOption betaStart(QStringLiteral("beta-start"), QStringLiteral("First beta."), QStringLiteral("B0"));
  const QCommandLineOption betaEnd(QStringLiteral("beta-end"), QStringLiteral("Last beta."), QStringLiteral("B1"));
  const QCommandLineOption cosineS(QStringLiteral("cosine-s"), QStringLiteral("Offset s of the cosine schedule."),
                                   QStringLiteral("S"));
  const QCommandLineOption betasFile(QStringLiteral("betas-file"),
                                     QStringLiteral("Custom schedule: a file with one beta per line."),
                                     QStringLiteral("file"));
  const QCommandLineOption compare(QStringLiteral("compare"),
                                   QStringLiteral("Overlay a second schedule of this kind in the Schedule view."),
                                   QStringLiteral("kind"));
  const QCommandLineOption data(QStringLiteral("data"),
                                QStringLiteral("Forward- and Training-view data: fashion-mnist, swissroll, moons, "
                                               "gaussians8 or circles."),
                                QStringLiteral("spec"));
  const QCommandLineOption image(QStringLiteral("image"), QStringLiteral("Use a picture file as x0 in the Forward view."),
                                 QStringLiteral("file"));
  const QCommandLineOption images(QStringLiteral("images"),
                                  QStringLiteral("Fashion-MNIST test images to show, e.g. 0-15 or 3,17,42."),
                                  QStringLiteral("list"));
  const QCommandLineOption noiseSeed(QStringLiteral("noise-seed"), QStringLiteral("Seed of the noise epsilon."),
                                     QStringLiteral("n"));
  const QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Window size, e.g. 1440x900."),
                                QStringLiteral("WxH"));
  const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                      QStringLiteral("Save a PNG of the window once it is drawn, then quit."),
                                      QStringLiteral("file"));
  const QCommandLineOption delay(QStringLiteral("screenshot-delay"),
                                 QStringLiteral("Milliseconds to wait before the screenshot (default 700)."),
                                 QStringLiteral("ms"));
  const QCommandLineOption fresh(QStringLiteral("fresh"),
                                 QStringLiteral("Start from defaults: ignore saved settings and save none."));
  const QCommandLineOption play(QStringLiteral("play"), QStringLiteral("Start playing t from where it is."));
  const QCommandLineOption checkpoint(QStringLiteral("checkpoint"), QStringLiteral("Open a checkpoint (.safetensors)."),
                                     QStringLiteral("file"));
  const QCommandLineOption noModel(QStringLiteral("no-model"),
                                   QStringLiteral("Start without a model (by default the last one, else the shipped Fashion-MNIST model)."));
  const QCommandLineOption sample(QStringLiteral("sample"),
                                  QStringLiteral("Sample the checkpoint in the Sampling view (screenshots wait for it)."));
  const QCommandLineOption sampler(QStringLiteral("sampler"), QStringLiteral("Sampler: ddpm or ddim."),
                                   QStringLiteral("name"));
  const QCommandLineOption sampleSteps(QStringLiteral("sample-steps"), QStringLiteral("DDIM steps K."),
                                       QStringLiteral("K"));
  const QCommandLineOption samples(QStringLiteral("samples"), QStringLiteral("Number of samples."), QStringLiteral("N"));
  const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Sampling seed."), QStringLiteral("n"));
  const QCommandLineOption eta(QStringLiteral("eta"), QStringLiteral("DDIM's eta in [0, 1]."), QStringLiteral("E"));
  const QCommandLineOption frame(QStringLiteral("frame"),
                                 QStringLiteral("Step to show once sampling is done (-1: the last)."),
                                 QStringLiteral("k"));
  parser.addOptions({help, version, view, t, kind, steps, betaStart, betaEnd, cosineS, betasFile, compare, data, image,
                     images, noiseSeed, size, screenshot, delay, fresh, play});
  parser.addOptions({checkpoint, noModel, sample, sampler, sampleSteps, samples, seed, eta, frame});
  const QCommandLineOption train(QStringLiteral("train"),
                                 QStringLiteral("Start training in the Training view (with --data, --model, --train-steps)."));
  const QCommandLineOption trainSteps(QStringLiteral("train-steps"), QStringLiteral("Training steps for --train."),
                                      QStringLiteral("N"));
  const QCommandLineOption model(QStringLiteral("model"),
                                 QStringLiteral("Training view's model: mlp, unet-tiny, unet-small or unet-paper."),
                                 QStringLiteral("preset"));
  const QCommandLineOption trainResume(QStringLiteral("train-resume"),
                                       QStringLiteral("With --train: continue the run saved in this checkpoint (it is "
                                                      "updated in place)."),
                                       QStringLiteral("file"));
  parser.addOptions({train, trainSteps, model, trainResume});
  const QCommandLineOption lossHeatmap(QStringLiteral("loss-heatmap"),
                                       QStringLiteral("Training view: show the heatmap of the loss against t and step."));
  const QCommandLineOption evaluate(QStringLiteral("evaluate"),
                                    QStringLiteral("Evaluate view: run 'bound' (bits per t) or 'quality' (quality "
                                                   "against steps) on the model at start (screenshots wait for it)."),
                                    QStringLiteral("what"));
  const QCommandLineOption evalExamples(QStringLiteral("eval-examples"),
                                        QStringLiteral("Evaluate view: test examples for the bound."), QStringLiteral("N"));
  const QCommandLineOption evalTerms(QStringLiteral("eval-terms"),
                                     QStringLiteral("Evaluate view: stratified terms of the bound (0: all T)."),
                                     QStringLiteral("K"));
  const QCommandLineOption evalSteps(QStringLiteral("eval-steps"),
                                     QStringLiteral("Evaluate view: DDIM step counts, e.g. \"10,20,50,100,T\"."),
                                     QStringLiteral("list"));
  parser.addOptions({lossHeatmap, evaluate, evalExamples, evalTerms, evalSteps});

  auto fail = [&](const QString& message) {
    result.action = StudioOptionsResult::Action::Error;
    result.text = message;
    return result;
  };
  if (!parser.parse(arguments)) return fail(parser.errorText());
  if (!parser.positionalArguments().isEmpty())
    return fail(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));
  if (parser.isSet(help)) {
    result.action = StudioOptionsResult::Action::Help;
    result.text = parser.helpText();
    return result;
  }
  if (parser.isSet(version)) {
    result.action = StudioOptionsResult::Action::Version;
    result.text = QCoreApplication::applicationName() + QLatin1Char(' ') + QCoreApplication::applicationVersion();
    return result;
  }

  StudioOptions& o = result.options;
  if (parser.isSet(view)) {
    o.view = parser.value(view).toLower();
    static const QStringList kViews = {QStringLiteral("schedule"), QStringLiteral("forward"),
                                       QStringLiteral("training"), QStringLiteral("sampling"),
                                       QStringLiteral("compare"),  QStringLiteral("evaluate")};
    if (!kViews.contains(o.view))
      return fail(QStringLiteral("--view must be one of %1, got '%2'").arg(kViews.join(QStringLiteral(", ")), parser.value(view)));
  }
  if (parser.isSet(t)) {
    bool ok = false;
    const int value = parser.value(t).toInt(&ok);
    if (!ok || value < 0) return fail(QStringLiteral("--t must be a whole number >= 0, got '%1'").arg(parser.value(t)));
    o.t = value;
  }
  const bool anySchedule = parser.isSet(kind) || parser.isSet(steps) || parser.isSet(betaStart) ||
                           parser.isSet(betaEnd) || parser.isSet(cosineS) || parser.isSet(betasFile);
  if (anySchedule) {
    ScheduleSpec spec;
    try {
      if (parser.isSet(kind)) spec.kind = schedule_kind_from_string(parser.value(kind).toStdString());
      if (parser.isSet(steps)) {
        bool ok = false;
        spec.steps = parser.value(steps).toLongLong(&ok);
        if (!ok) return fail(QStringLiteral("--steps must be a whole number, got '%1'").arg(parser.value(steps)));
      }
      if (parser.isSet(betaStart) && !toDouble(parser.value(betaStart), &spec.beta_start))
        return fail(QStringLiteral("--beta-start must be a number, got '%1'").arg(parser.value(betaStart)));
      if (parser.isSet(betaEnd) && !toDouble(parser.value(betaEnd), &spec.beta_end))
        return fail(QStringLiteral("--beta-end must be a number, got '%1'").arg(parser.value(betaEnd)));
      if (parser.isSet(cosineS) && !toDouble(parser.value(cosineS), &spec.cosine_s))
        return fail(QStringLiteral("--cosine-s must be a number, got '%1'").arg(parser.value(cosineS)));
      if (parser.isSet(betasFile)) {
        spec.kind = ScheduleKind::Custom;
        spec.custom_source = parser.value(betasFile).toStdString();
        spec.custom_betas = read_betas_file(spec.custom_source);
      }
      NoiseSchedule check(spec);  // refuse what core refuses, with core's words
    } catch (const std::exception& error) {
      return fail(QString::fromStdString(error.what()));
    }
    o.schedule = spec;
  }
  if (parser.isSet(compare)) {
    try {
      const auto k = schedule_kind_from_string(parser.value(compare).toStdString());
      if (k == ScheduleKind::Custom) return fail(QStringLiteral("--compare takes linear, cosine, quadratic or sigmoid"));
    } catch (const std::exception& error) {
      return fail(QString::fromStdString(error.what()));
    }
    o.compare = parser.value(compare);
  }
  if (parser.isSet(data)) {
    o.data = parser.value(data);
    static const QStringList known = {QStringLiteral("fashion-mnist"), QStringLiteral("swissroll"),
                                      QStringLiteral("moons"), QStringLiteral("gaussians8"), QStringLiteral("circles")};
    if (!known.contains(o.data))
      return fail(QStringLiteral("--data must be one of %1, got '%2'").arg(known.join(QStringLiteral(", ")), o.data));
  }
  o.image = parser.value(image);
  o.images = parser.value(images);
  if (parser.isSet(noiseSeed)) {
    bool ok = false;
    o.noiseSeed = parser.value(noiseSeed).toULongLong(&ok);
    if (!ok) return fail(QStringLiteral("--noise-seed must be a whole number >= 0, got '%1'").arg(parser.value(noiseSeed)));
  }
  if (parser.isSet(size)) {
    static const QRegularExpression pattern(QStringLiteral("^(\\d+)[xX](\\d+)$"));
    const auto match = pattern.match(parser.value(size));
    if (!match.hasMatch()) return fail(QStringLiteral("--size must look like 1440x900, got '%1'").arg(parser.value(size)));
    o.size = QSize(match.captured(1).toInt(), match.captured(2).toInt());
    if (o.size.width() < 320 || o.size.height() < 240 || o.size.width() > 10000 || o.size.height() > 10000)
      return fail(QStringLiteral("--size must be between 320x240 and 10000x10000"));
  }
  o.screenshot = parser.value(screenshot);
  if (parser.isSet(delay)) {
    bool ok = false;
    o.screenshotDelayMs = parser.value(delay).toInt(&ok);
    if (!ok || o.screenshotDelayMs < 0)
      return fail(QStringLiteral("--screenshot-delay must be a whole number of milliseconds"));
  }
  o.checkpoint = parser.value(checkpoint);
  o.sample = parser.isSet(sample);
  if (o.sample && o.checkpoint.isEmpty()) return fail(QStringLiteral("--sample needs --checkpoint FILE"));
  if (parser.isSet(sampler)) {
    o.sampler = parser.value(sampler).toLower();
    if (o.sampler != QLatin1String("ddpm") && o.sampler != QLatin1String("ddim"))
      return fail(QStringLiteral("--sampler must be ddpm or ddim, got '%1'").arg(parser.value(sampler)));
  }
  auto positive = [&](const QCommandLineOption& option, std::optional<int>* value, int lowest) {
    if (!parser.isSet(option)) return true;
    bool ok = false;
    *value = parser.value(option).toInt(&ok);
    return ok && **value >= lowest;
  };
  if (!positive(sampleSteps, &o.sampleSteps, 1))
    return fail(QStringLiteral("--sample-steps must be a whole number >= 1, got '%1'").arg(parser.value(sampleSteps)));
  if (!positive(samples, &o.samples, 1))
    return fail(QStringLiteral("--samples must be a whole number >= 1, got '%1'").arg(parser.value(samples)));
  if (!positive(frame, &o.frame, -1))
    return fail(QStringLiteral("--frame must be a whole number >= -1, got '%1'").arg(parser.value(frame)));
  if (parser.isSet(seed)) {
    bool ok = false;
    o.seed = parser.value(seed).toULongLong(&ok);
    if (!ok) return fail(QStringLiteral("--seed must be a whole number >= 0, got '%1'").arg(parser.value(seed)));
  }
  if (parser.isSet(eta)) {
    double value = 0;
    if (!toDouble(parser.value(eta), &value) || !(value >= 0.0 && value <= 1.0))
      return fail(QStringLiteral("--eta must be a number in [0, 1], got '%1'").arg(parser.value(eta)));
    o.eta = value;
  }
  o.train = parser.isSet(train);
  o.trainResume = parser.value(trainResume);
  if (!o.trainResume.isEmpty() && !o.train) return fail(QStringLiteral("--train-resume needs --train"));
  if (parser.isSet(trainSteps)) {
    bool ok = false;
    o.trainSteps = parser.value(trainSteps).toLongLong(&ok);
    if (!ok || *o.trainSteps < 1)
      return fail(QStringLiteral("--train-steps must be a whole number >= 1, got '%1'").arg(parser.value(trainSteps)));
  }
  if (parser.isSet(model)) {
    o.model = parser.value(model).toLower();
    static const QStringList presets = {QStringLiteral("mlp"), QStringLiteral("unet-tiny"), QStringLiteral("unet-small"),
                                        QStringLiteral("unet-paper")};
    if (!presets.contains(o.model))
      return fail(QStringLiteral("--model must be one of %1, got '%2'").arg(presets.join(QStringLiteral(", ")), o.model));
  }
  o.lossHeatmap = parser.isSet(lossHeatmap);
  if (parser.isSet(evaluate)) {
    o.evaluate = parser.value(evaluate).toLower();
    if (o.evaluate != QLatin1String("bound") && o.evaluate != QLatin1String("quality"))
      return fail(QStringLiteral("--evaluate must be bound or quality, got '%1'").arg(parser.value(evaluate)));
  }
  if (!positive(evalExamples, &o.evalExamples, 1))
    return fail(QStringLiteral("--eval-examples must be a whole number >= 1, got '%1'").arg(parser.value(evalExamples)));
  if (!positive(evalTerms, &o.evalTerms, 0))
    return fail(QStringLiteral("--eval-terms must be a whole number >= 0, got '%1'").arg(parser.value(evalTerms)));
  o.evalSteps = parser.value(evalSteps);
  o.fresh = parser.isSet(fresh);
  o.noModel = parser.isSet(noModel);
  o.play = parser.isSet(play);
  return result;
}

}  // namespace ddpm::ui
