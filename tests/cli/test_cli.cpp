// The `ddpm` command line as scripts see it: exit codes (0 ok, 1 runtime, 2 usage),
// one-line `ddpm: error: …` messages, the schedule CSV contract and `ddpm noise` files.
#include <QtTest>

#include <cmath>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QtEndian>

#include "cli_run.h"

namespace {

using Run = cli_test::CliRun;

Run ddpm(const QStringList& arguments) {
  return cli_test::run_ddpm(arguments);
}

QByteArray readAll(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QStringList readLines(const QString& path) {
  return QString::fromUtf8(readAll(path)).split('\n', Qt::SkipEmptyParts);
}

}  // namespace

class TestCli : public QObject {
  Q_OBJECT

 private slots:
  void schedule_printsContractCsv() {
    const Run r = ddpm({"schedule", "--kind", "linear", "--steps", "1000"});
    QCOMPARE(r.exit_code, 0);
    const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 1001);
    QCOMPARE(lines[0], QStringLiteral("t,beta,alpha,alpha_bar,alpha_bar_prev,sqrt_alpha_bar,sqrt_one_minus_alpha_bar,"
                                      "posterior_variance,posterior_log_variance_clipped,posterior_mean_coef1,"
                                      "posterior_mean_coef2,snr"));
    QVERIFY(lines[1].startsWith("0,0.0001,"));
    const QStringList last = lines[1000].split(',');
    QCOMPARE(last[0], QStringLiteral("999"));
    QCOMPARE(last[1].toDouble(), 0.02);
    QVERIFY(std::fabs(last[3].toDouble() - 4.04e-5) < 0.01e-5);
    QVERIFY(r.err.isEmpty());
  }

  void schedule_writesJsonToFile() {
    QTemporaryDir dir;
    const QString out = dir.filePath("s.json");
    const Run r = ddpm({"schedule", "--kind", "cosine", "--steps", "50", "--format", "json", "--out", out});
    QCOMPARE(r.exit_code, 0);
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonObject json = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(json["kind"].toString(), QStringLiteral("cosine"));
    QCOMPARE(json["steps"].toInt(), 50);
    QCOMPARE(json["columns"].toObject()["alpha_bar"].toArray().size(), 50);
    QCOMPARE(json["columns"].toObject()["beta"].toArray().last().toDouble(), 0.999);
  }

  void schedule_readsBetasFileAndWarns() {
    QTemporaryDir dir;
    QFile file(dir.filePath("betas.txt"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("0.1\n0.2\n0.3\n");
    file.close();
    const Run r = ddpm({"schedule", "--betas-file", file.fileName()});
    QCOMPARE(r.exit_code, 0);
    QCOMPARE(r.out.split('\n', Qt::SkipEmptyParts).size(), 4);
    QVERIFY2(r.err.startsWith("ddpm: warning: ") && r.err.contains("x_T is not pure noise"), qPrintable(r.err));
  }

  // A β file's bad values, a file of more than the largest T, and schedule flags beside
  // the file that do not agree with it are usage errors (exit 2) naming the file or flag;
  // flags that agree are fine.
  void betasFile_badValuesAndFlagsBesideIt_areUsageErrors() {
    QTemporaryDir dir;
    const auto write = [&](const QString& name, const QByteArray& text) {
      QFile file(dir.filePath(name));
      if (file.open(QIODevice::WriteOnly)) file.write(text);
      return file.fileName();
    };
    const QString three = write("three.txt", "0.1\n0.2\n0.3\n");
    const QString bad = write("bad.txt", "0.1\n1.5\n");
    const QString huge = write("huge.txt", QByteArray("0.01\n").repeated(100001));
    const struct {
      QStringList arguments;
      QString fragment;
    } refused[] = {
        {{"schedule", "--betas-file", bad}, bad + ":2: beta 1.5 is outside (0, 1)"},
        {{"schedule", "--betas-file", huge}, huge + ":100001: more than 100000 beta values"},
        {{"schedule", "--betas-file", three, "--steps", "1000"}, "--steps 1000 does not match the 3 values"},
        {{"schedule", "--betas-file", three, "--kind", "cosine"}, "--kind cosine does not go with --betas-file"},
        {{"schedule", "--betas-file", three, "--beta-end", "0.5"}, "--beta-end does not apply"},
        {{"noise", "--data", "moons", "--t", "1", "--out", dir.filePath("n.csv"), "--betas-file", three, "--steps", "4"},
         "--steps 4 does not match"},
    };
    for (const auto& c : refused) {
      const Run r = ddpm(c.arguments);
      QVERIFY2(r.exit_code == 2 && r.err.startsWith("ddpm: error: ") && r.err.contains(c.fragment),
               qPrintable(c.arguments.join(' ') + ": " + r.err));
    }
    const Run r = ddpm({"schedule", "--betas-file", three, "--steps", "3", "--kind", "custom"});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QCOMPARE(r.out.split('\n', Qt::SkipEmptyParts).size(), 4);
  }

  void usageErrors_exitTwoWithOneLine_data() {
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("no subcommand") << QStringList{} << "";
    QTest::newRow("unknown subcommand") << QStringList{"frobnicate"} << "";
    QTest::newRow("unknown option") << QStringList{"schedule", "--bogus"} << "--bogus";
    QTest::newRow("bad kind") << QStringList{"schedule", "--kind", "exp"} << "--kind";
    QTest::newRow("steps not a number") << QStringList{"schedule", "--steps", "many"} << "--steps";
    QTest::newRow("steps zero") << QStringList{"schedule", "--steps", "0"} << "between 1 and 100000";
    QTest::newRow("start > end") << QStringList{"schedule", "--beta-start", "0.5", "--beta-end", "0.1"}
                                 << "must not exceed beta_end";
    QTest::newRow("custom without file") << QStringList{"schedule", "--kind", "custom"} << "--betas-file";
    QTest::newRow("bad format") << QStringList{"schedule", "--format", "xml"} << "--format";
    QTest::newRow("noise without data") << QStringList{"noise", "--t", "3", "--out", "x.csv"} << "--data";
    QTest::newRow("noise unknown data") << QStringList{"noise", "--data", "mnist", "--t", "3", "--out", "x.csv"}
                                        << "unknown data 'mnist'";
    QTest::newRow("noise t too large") << QStringList{"noise", "--data", "moons", "--t", "1000", "--out", "x.csv"}
                                       << "--t must be in 0..999";
    QTest::newRow("noise 2D as png") << QStringList{"noise", "--data", "moons", "--t", "3", "--out", "x.png"}
                                     << "2D data is written as CSV";
    QTest::newRow("ddim steps 0") << QStringList{"sample", "--checkpoint", "x.safetensors", "--sampler", "ddim",
                                                 "--steps", "0", "--out", "x.png"}
                                  << "--steps: must be a positive number, got 0";
    QTest::newRow("unknown sampler") << QStringList{"sample", "--checkpoint", "x.safetensors", "--sampler", "dpm-solver",
                                                    "--out", "x.png"}
                                     << "--sampler";
    QTest::newRow("unknown spacing") << QStringList{"sample", "--checkpoint", "x.safetensors", "--sampler", "euler",
                                                    "--spacing", "karras", "--out", "x.png"}
                                     << "--spacing";
    QTest::newRow("nll batch 0") << QStringList{"nll", "--checkpoint", "x.safetensors", "--data", "moons", "--batch", "0"}
                                 << "--batch: must be a positive number, got 0";
    QTest::newRow("train batch 0") << QStringList{"train", "--data", "moons", "--steps", "1", "--batch", "0", "--out", "x.safetensors"}
                                   << "batch size must be between 1 and 65536";
    QTest::newRow("train lr 0") << QStringList{"train", "--data", "moons", "--steps", "1", "--lr", "0", "--out", "x.safetensors"}
                                << "learning rate must be a positive number";
    QTest::newRow("train ema 1.5") << QStringList{"train", "--data", "moons", "--steps", "1", "--ema", "1.5", "--out", "x.safetensors"}
                                   << "EMA decay must be in [0, 1)";
    QTest::newRow("train unknown objective")
        << QStringList{"train", "--data", "moons", "--steps", "1", "--objective", "v", "--out", "x.safetensors"}
        << "--objective";
    QTest::newRow("train unknown loss")
        << QStringList{"train", "--data", "moons", "--steps", "1", "--loss", "hybrid", "--out", "x.safetensors"}
        << "--loss";
    QTest::newRow("progressive of points")
        << QStringList{"figure", "progressive", "--checkpoint", "moons", "--out", "x.png"} << "makes 2D points";
    QTest::newRow("progressive snapshots 0")
        << QStringList{"figure", "progressive", "--checkpoint", "fashion-mnist", "--snapshots", "0", "--out", "x.png"}
        << "--snapshots must be from 1 to T = 1000";
    QTest::newRow("shared latent t 0")
        << QStringList{"figure", "shared-latent", "--checkpoint", "fashion-mnist", "--t", "1000,0", "--out", "x.png"}
        << "--t must list values from 1 to T = 1000";
    QTest::newRow("shared latent of points")
        << QStringList{"figure", "shared-latent", "--checkpoint", "swissroll", "--out", "x.png"} << "makes 2D points";
    QTest::newRow("progressive csv")
        << QStringList{"figure", "progressive", "--checkpoint", "fashion-mnist", "--out", "x.csv"} << ".png";
  }

  void usageErrors_exitTwoWithOneLine() {
    QFETCH(QStringList, arguments);
    QFETCH(QString, fragment);
    const Run r = ddpm(arguments);
    QCOMPARE(r.exit_code, 2);
    QVERIFY2(r.err.startsWith("ddpm: error: "), qPrintable(r.err));
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY2(r.err.contains(fragment), qPrintable(r.err));
  }

  void runtimeErrors_exitOne_data() {
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("missing betas file") << QStringList{"schedule", "--betas-file", "/nonexistent/b.txt"}
                                        << "cannot read beta schedule";
    QTest::newRow("missing csv") << QStringList{"noise", "--data", "csv:/nonexistent.csv", "--t", "1", "--out", "x.csv"}
                                 << "cannot read point file";
    QTest::newRow("missing fashion-mnist")
        << QStringList{"noise", "--data", "fashion-mnist", "--data-dir", "/nonexistent", "--t", "1", "--out", "x.png"}
        << "dataset-fashion-mnist";
    QTest::newRow("unwritable output") << QStringList{"schedule", "--out", "/nonexistent/dir/s.csv"}
                                       << "cannot write '/nonexistent/dir/s.csv'";
  }

  void runtimeErrors_exitOne() {
    QFETCH(QStringList, arguments);
    QFETCH(QString, fragment);
    const Run r = ddpm(arguments);
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(r.err.startsWith("ddpm: error: ") && r.err.contains(fragment), qPrintable(r.err));
    QCOMPARE(r.err.count('\n'), 1);
  }

  void help_isAvailableForEverySubcommand_data() {
    QTest::addColumn<QStringList>("arguments");
    QTest::newRow("top") << QStringList{"--help"};
    QTest::newRow("schedule") << QStringList{"schedule", "--help"};
    for (const char* command : {"noise", "train", "sample", "nll", "info", "figure"})
      QTest::newRow(command) << QStringList{command, "--help"};
  }

  void help_isAvailableForEverySubcommand() {
    QFETCH(QStringList, arguments);
    const Run r = ddpm(arguments);
    QCOMPARE(r.exit_code, 0);
    QVERIFY(r.out.contains("Usage:"));
    if (arguments.size() > 1) QVERIFY(r.out.contains(arguments[0]));
  }

  void trainSampleInfoNll_workEndToEndOnA2dToy() {
    QTemporaryDir dir;
    const QString ck = dir.filePath("moons.safetensors");
    Run r = ddpm({"train", "--data", "moons", "--model", "mlp", "--steps", "30", "--batch", "64", "--timesteps", "50",
                  "--kind", "cosine", "--seed", "3", "--out", ck});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains("saved " + ck + " at step 30"), qPrintable(r.err));

    r = ddpm({"info", ck});
    QCOMPARE(r.exit_code, 0);
    const QJsonObject info = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(info["training"].toObject()["step"].toInt(), 30);
    QCOMPARE(info["model_config"].toObject()["preset"].toString(), QStringLiteral("mlp"));
    QCOMPARE(info["schedule"].toObject()["kind"].toString(), QStringLiteral("cosine"));
    QCOMPARE(info["schedule"].toObject()["steps"].toInt(), 50);
    QCOMPARE(info["data"].toObject()["spec"].toString(), QStringLiteral("moons"));
    // --lr and --ema left out: the MLP's run defaults, the Training view's too (1e-3, 0.995).
    QCOMPARE(info["training"].toObject()["learning_rate"].toDouble(), 1e-3);
    QCOMPARE(info["training"].toObject()["ema_decay"].toDouble(), 0.995);
    QCOMPARE(info["training"].toObject()["batch_size"].toInt(), 64);

    // A continuation keeps the run as it was set up: a flag that differs from the
    // checkpoint is refused (exit 2, naming both values) and the checkpoint is untouched;
    // the command that started the run, plus --resume, continues it.
    const QStringList differing[] = {{"--data", "swissroll"}, {"--lr", "0.0005"}, {"--batch", "32"},
                                     {"--timesteps", "100"}, {"--kind", "linear"}, {"--ema", "0.5"},
                                     {"--model", "unet-tiny"}, {"--seed", "4"}, {"--objective", "x0"},
                                     {"--loss", "bound"}};
    for (const QStringList& flag : differing) {
      r = ddpm(QStringList{"train", "--steps", "40", "--resume", ck, "--out", ck} + flag);
      QVERIFY2(r.exit_code == 2, qPrintable(flag.join(' ') + ": " + r.err));
      QVERIFY2(r.err.contains(flag[0] + " " + flag[1] + " differs from the checkpoint's"), qPrintable(r.err));
    }
    QCOMPARE(QJsonDocument::fromJson(ddpm({"info", ck}).out.toUtf8()).object()["training"].toObject()["step"].toInt(), 30);

    // Resuming trains up to the new total, and says where it starts.
    r = ddpm({"train", "--data", "moons", "--model", "mlp", "--steps", "40", "--batch", "64", "--timesteps", "50",
              "--kind", "cosine", "--seed", "3", "--resume", ck, "--out", ck});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains("resuming " + ck + " from step 30"), qPrintable(r.err));
    QCOMPARE(QJsonDocument::fromJson(ddpm({"info", ck}).out.toUtf8()).object()["training"].toObject()["step"].toInt(), 40);
    r = ddpm({"train", "--steps", "40", "--resume", ck, "--out", ck});
    QCOMPARE(r.exit_code, 0);
    QVERIFY(r.err.contains("nothing to do"));

    // Samples come back in the data's own coordinates, with a trajectory folder.
    const QString samples = dir.filePath("s.csv");
    const QString frames = dir.filePath("frames");
    r = ddpm({"sample", "--checkpoint", ck, "--n", "200", "--seed", "1", "--out", samples, "--trajectory", frames,
              "--frames", "5"});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const QStringList lines = readLines(samples);
    QCOMPARE(lines.size(), 201);
    QCOMPARE(lines[0], QStringLiteral("x,y"));
    QCOMPARE(QDir(frames).entryList({"frame_*.png"}).size(), 5);

    r = ddpm({"sample", "--checkpoint", ck, "--sampler", "ddim", "--steps", "10", "--n", "50", "--out",
              dir.filePath("ddim.csv")});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    // Every ODE solver, on either spacing, writes its n points; Euler on uniform steps is
    // DDIM with η = 0, so its file equals DDIM's up to float rounding in the last digits.
    for (const char* sampler : {"dpm-solver++", "euler", "heun"})
      for (const char* spacing : {"uniform", "logsnr"}) {
        const QString out = dir.filePath(QStringLiteral("%1-%2.csv").arg(sampler, spacing));
        r = ddpm({"sample", "--checkpoint", ck, "--sampler", sampler, "--steps", "10", "--spacing", spacing, "--n",
                  "50", "--out", out});
        QVERIFY2(r.exit_code == 0, qPrintable(r.err));
        QCOMPARE(readLines(out).size(), 51);
      }
    const QStringList ddimRows = readLines(dir.filePath("ddim.csv")), eulerRows = readLines(dir.filePath("euler-uniform.csv"));
    for (int i = 1; i < ddimRows.size(); ++i)
      for (int c = 0; c < 2; ++c)
        QVERIFY(std::abs(ddimRows[i].split(',')[c].toDouble() - eulerRows[i].split(',')[c].toDouble()) < 1e-4);

    r = ddpm({"nll", "--checkpoint", ck, "--n", "64"});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QVERIFY2(QRegularExpression("^bits/dim: -?[0-9.]+\n").match(r.out).hasMatch(), qPrintable(r.out));

    // Checkpoint-dependent usage errors.
    r = ddpm({"sample", "--checkpoint", ck, "--n", "5", "--out", dir.filePath("x.png")});
    QCOMPARE(r.exit_code, 2);
    QVERIFY(r.err.contains("use --out FILE.csv"));
    r = ddpm({"sample", "--checkpoint", ck, "--sampler", "ddim", "--steps", "500", "--out", dir.filePath("x.csv")});
    QCOMPARE(r.exit_code, 2);
    r = ddpm({"sample", "--checkpoint", ck, "--sampler", "heun", "--steps", "500", "--out", dir.filePath("x.csv")});
    QCOMPARE(r.exit_code, 2);
    QVERIFY2(r.err.contains("the number of Heun steps must be between 1 and T = "), qPrintable(r.err));
    QVERIFY(!QFileInfo::exists(dir.filePath("x.csv")));
  }

  // No command may write over a file it reads, however the path is spelled: each refusal
  // is a usage error (exit 2) naming the output flag and what it would destroy, and the
  // input is byte for byte what it was.
  // Classifier-free guidance from the command line: a conditional model of the eight
  // Gaussians (trained 600 steps, seeded), its class names in `ddpm info`, samples of
  // the asked-for class by number or name; every bad choice is exit 2 with nothing written.
  void conditionalTrainingAndGuidedSampling() {
    QTemporaryDir dir;
    const QString ck = dir.filePath("g8.safetensors");
    Run r = ddpm({"train", "--data", "gaussians8", "--conditional", "--label-dropout", "0.2", "--steps", "600",
                  "--timesteps", "100", "--seed", "1", "--out", ck});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains("class-conditional: 8 classes"), qPrintable(r.err));
    r = ddpm({"info", ck});
    const QJsonObject info = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(info["model_config"].toObject()["num_classes"].toInt(), 8);
    QCOMPARE(info["data"].toObject()["class_names"].toArray().at(2).toString(), QStringLiteral("90°"));
    QCOMPARE(info["training"].toObject()["label_dropout"].toDouble(), 0.2);

    for (const QString& asked : {QStringLiteral("2"), QStringLiteral("270°")}) {
      const QString out = dir.filePath("class.csv");
      r = ddpm({"sample", "--checkpoint", ck, "--sampler", "ddim", "--steps", "50", "--class", asked, "--guidance", "2",
                "--n", "200", "--out", out});
      QVERIFY2(r.exit_code == 0, qPrintable(r.err));
      const double centre = asked == "2" ? M_PI / 2 : 3 * M_PI / 2;
      int in_sector = 0;
      const QStringList rows = readLines(out).mid(1);
      for (const QString& row : rows) {
        const double angle = std::atan2(row.section(',', 1, 1).toDouble(), row.section(',', 0, 0).toDouble());
        in_sector += std::fabs(std::remainder(angle - centre, 2 * M_PI)) < M_PI / 8;
      }
      QCOMPARE(rows.size(), 200);
      QVERIFY2(in_sector > 170, qPrintable(QString("%1 of 200 in the asked class's sector").arg(in_sector)));
    }

    const QString never = dir.filePath("never.csv");
    const std::pair<QStringList, QString> refused[] = {
        {{"--class", "8"}, "class 8 is out of range: this model knows classes 0..7"},
        {{"--class", "dog"}, "--class dog is not a class of this checkpoint: 0 0°, 1 45°"},
        {{"--class", "1", "--guidance", "-1"}, "guidance weight must be a number from 0 to 100, got -1"},
        {{"--class", "1", "--guidance", "nan"}, "got nan"},
        {{"--guidance", "3"}, "guidance needs a class"}};
    for (const auto& [flags, fragment] : refused) {
      r = ddpm(QStringList{"sample", "--checkpoint", ck, "--out", never} + flags);
      QCOMPARE(r.exit_code, 2);
      QVERIFY2(r.err.contains(fragment), qPrintable(r.err));
    }
    r = ddpm({"sample", "--checkpoint", "moons", "--class", "1", "--guidance", "1", "--out", never});
    QCOMPARE(r.exit_code, 2);
    QVERIFY2(r.err.contains("trained without classes"), qPrintable(r.err));
    r = ddpm({"train", "--data", "swissroll", "--conditional", "--steps", "5", "--out", dir.filePath("n.safetensors")});
    QCOMPARE(r.exit_code, 2);
    QVERIFY2(r.err.contains("'swissroll' has no labels"), qPrintable(r.err));
    const QString bad = dir.filePath("bad.csv");
    QFile file(bad);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("x,y,label\n1,2,0\n3,4,one\n");
    file.close();
    r = ddpm({"train", "--data", "csv:" + bad, "--conditional", "--steps", "5", "--out", dir.filePath("n.safetensors")});
    QCOMPARE(r.exit_code, 2);
    QVERIFY2(r.err.contains(":3: label 'one' is not an integer"), qPrintable(r.err));
    r = ddpm({"train", "--data", "moons", "--label-dropout", "0.3", "--steps", "5", "--out", dir.filePath("n.safetensors")});
    QCOMPARE(r.exit_code, 2);
    QVERIFY2(r.err.contains("add --conditional"), qPrintable(r.err));
    QVERIFY(!QFileInfo::exists(never));
    QVERIFY(!QFileInfo::exists(dir.filePath("n.safetensors")));
  }

  void outputs_neverReplaceTheirInputs() {
    QTemporaryDir dir;
    const QString ck = dir.filePath("model.safetensors");
    QVERIFY(QFile::copy(QStringLiteral(DDPM_TEST_DATA_DIR "/checkpoint_v1_mlp.safetensors"), ck));
    const QString ckOtherSpelling = dir.path() + "/./model.safetensors";
    const QString points = dir.filePath("points.csv");
    const QString betas = dir.filePath("betas.txt");
    for (const auto& [file, text] : {std::pair{points, QByteArray("x,y\n0.1,0.2\n0.3,0.4\n0.5,0.6\n")},
                                     std::pair{betas, QByteArray("0.1\n0.2\n0.3\n")}}) {
      QFile f(file);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(text);
    }
    struct Case {
      QStringList arguments;
      QString output_flag;
      QString input;
    };
    const std::vector<Case> cases = {
        {{"nll", "--checkpoint", ck, "--data", "moons", "--terms-out", ckOtherSpelling}, "--terms-out", ck},
        {{"sample", "--checkpoint", ck, "--out", ck}, "--out", ck},
        {{"sample", "--checkpoint", ck, "--out", dir.filePath("s.csv"), "--trajectory", ckOtherSpelling},
         "--trajectory", ck},
        {{"export", "--checkpoint", ck, "--out", ckOtherSpelling}, "--out", ck},
        {{"score", "--checkpoint", ck, "--samples-out", ck}, "--samples-out", ck},
        {{"noise", "--data", "csv:" + points, "--t", "1", "--out", points}, "--out", points},
        {{"schedule", "--betas-file", betas, "--out", betas}, "--out", betas},
    };
    for (const Case& c : cases) {
      const QByteArray before = readAll(c.input);
      const Run r = ddpm(c.arguments);
      const QString what = c.arguments.join(' ') + ": " + r.err;
      QVERIFY2(r.exit_code == 2, qPrintable(what));
      QVERIFY2(r.err.startsWith("ddpm: error: " + c.output_flag + " ") && r.err.contains("would destroy it"),
               qPrintable(what));
      QCOMPARE(readAll(c.input), before);
    }
    // Two outputs of one command may not share a file either.
    const QString csv = dir.filePath("s.csv");
    const Run r = ddpm({"sample", "--checkpoint", ck, "--out", csv, "--trajectory", csv});
    QVERIFY2(r.exit_code == 2 && r.err.contains("--trajectory") && r.err.contains("is also --out"), qPrintable(r.err));
    QVERIFY(!QFile::exists(csv));
  }

  void brokenCheckpoints_areOneLineRuntimeErrors() {
    QTemporaryDir dir;
    const QString junk = dir.filePath("junk.safetensors");
    QFile file(junk);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("\x10\x00\x00\x00\x00\x00\x00\x00{\"a\":", 13);
    file.close();
    for (const QStringList& arguments :
         {QStringList{"info", junk}, QStringList{"sample", "--checkpoint", junk, "--out", dir.filePath("s.csv")},
          QStringList{"info", dir.filePath("missing.safetensors")}}) {
      const Run r = ddpm(arguments);
      QCOMPARE(r.exit_code, 1);
      QVERIFY2(r.err.startsWith("ddpm: error: ") && r.err.count('\n') == 1, qPrintable(r.err));
    }
  }

  void noise2D_writesNormalisedPointsAsCsv() {
    QTemporaryDir dir;
    const QString out = dir.filePath("xt.csv");
    const Run r = ddpm({"noise", "--data", "swissroll", "--t", "999", "--n", "2000", "--seed", "4", "--out", out});
    QCOMPARE(r.exit_code, 0);
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2001);
    QCOMPARE(lines[0], QStringLiteral("x,y"));
    // At t = T−1 the points are N(0, I) in the normalised space: 2,000 points give a
    // variance with standard error √(2/2000) ≈ 0.032; 5 standard errors allowed.
    double sum = 0, sum2 = 0;
    for (int i = 1; i < lines.size(); ++i)
      for (const QString& v : lines[i].split(',')) {
        sum += v.toDouble();
        sum2 += v.toDouble() * v.toDouble();
      }
    const double n = 4000, mean = sum / n, var = sum2 / n - mean * mean;
    QVERIFY2(std::fabs(mean) < 5 * std::sqrt(1 / n), qPrintable(QString::number(mean)));
    QVERIFY2(std::fabs(var - 1) < 5 * std::sqrt(2 / n), qPrintable(QString::number(var)));
    // Same seed, same file.
    const QString again = dir.filePath("again.csv");
    QCOMPARE(ddpm({"noise", "--data", "swissroll", "--t", "999", "--n", "2000", "--seed", "4", "--out", again}).exit_code, 0);
    QFile second(again);
    QVERIFY(second.open(QIODevice::ReadOnly));
    file.seek(0);
    QCOMPARE(second.readAll(), file.readAll());
  }

  void noiseImages_writesPngGrid() {
    if (!QFile::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
      QSKIP("dataset-fashion-mnist is not installed");
    QTemporaryDir dir;
    const QString out = dir.filePath("xt.png");
    const Run r = ddpm({"noise", "--data", "fashion-mnist", "--t", "100", "--n", "16", "--out", out});
    QCOMPARE(r.exit_code, 0);
    // The PNG signature, then the IHDR chunk: width and height big-endian at bytes 16 and 20.
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray png = file.readAll();
    QVERIFY(png.startsWith("\x89PNG\r\n\x1a\n"));
    auto be32 = [&](int at) { return qFromBigEndian<quint32>(png.constData() + at); };
    QCOMPARE(be32(16), quint32(4 * 28 + 5 * 2));  // 4 columns, 2-pixel padding
    QCOMPARE(be32(20), quint32(4 * 28 + 5 * 2));
    QCOMPARE(png[25], char(0));  // colour type 0: grayscale
  }
};

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
