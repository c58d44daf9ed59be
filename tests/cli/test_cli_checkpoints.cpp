// Shipped checkpoints by name (search order, a path that exists wins, an unknown name
// lists the known ones, `ddpm checkpoints`), `ddpm export` (f16 weights within fp16
// rounding, smaller file, resume data dropped or kept), and the quality-score
// classifier from the command line (`ddpm classifier train`, `ddpm score` on images,
// clear errors for a missing or corrupt classifier).
#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/classifier_checkpoint.h"

#include <torch/torch.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include "cli_run.h"

namespace {

using Run = cli_test::CliRun;

// Runs ddpm with DDPM_CHECKPOINT_DIR = `checkpoint_dir` (unset when empty) in `cwd`.
Run run_ddpm(const QStringList& arguments, const QString& checkpoint_dir = {}, const QString& cwd = {}) {
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.remove("DDPM_CHECKPOINT_DIR");
  if (!checkpoint_dir.isEmpty()) env.insert("DDPM_CHECKPOINT_DIR", checkpoint_dir);
  return cli_test::run_ddpm(arguments, env, cwd);
}

bool has_fashion_mnist() {
  return QFile::exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");
}

QJsonObject json(const QString& text) {
  return QJsonDocument::fromJson(text.toUtf8()).object();
}

}  // namespace

class TestCliCheckpoints : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir m_dir;
  QString m_shipped;  // a folder of "shipped" checkpoints for DDPM_CHECKPOINT_DIR
  QString m_mini;     // m_shipped/mini.safetensors: a 2D MLP with resume data

 private slots:
  void initTestCase() {
    QVERIFY(m_dir.isValid());
    m_shipped = m_dir.filePath("shipped");
    QVERIFY(QDir().mkpath(m_shipped));
    m_mini = m_shipped + "/mini.safetensors";
    const Run r = run_ddpm({"train", "--data", "moons", "--model", "mlp", "--steps", "20", "--batch", "32", "--timesteps",
                        "40", "--seed", "2", "--out", m_mini});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
  }

  void bareName_resolvesInCheckpointDir() {
    Run r = run_ddpm({"info", "mini"}, m_shipped);
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QCOMPARE(json(r.out)["file"].toString(), m_mini);
    QCOMPARE(json(r.out)["training"].toObject()["step"].toInt(), 20);

    const QString out = m_dir.filePath("mini-samples.csv");
    r = run_ddpm({"sample", "--checkpoint", "mini", "--n", "7", "--out", out}, m_shipped);
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts).size(), 8);

    r = run_ddpm({"nll", "--checkpoint", "mini", "--n", "16", "--terms", "4"}, m_shipped);
    QVERIFY2(r.exit_code == 0 && r.out.startsWith("bits/dim: "), qPrintable(r.err));
  }

  void existingPath_winsOverName() {
    // A file called "mini" in the working folder is taken as a path, not a name.
    const QString work = m_dir.filePath("work");
    QVERIFY(QDir().mkpath(work));
    const Run e = run_ddpm({"export", "--checkpoint", m_mini, "--weights", "bf16", "--out", work + "/mini"});
    QVERIFY2(e.exit_code == 0, qPrintable(e.err));
    const Run r = run_ddpm({"info", "mini"}, m_shipped, work);
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QCOMPARE(json(r.out)["weights_dtype"].toString(), QStringLiteral("BF16"));
    QCOMPARE(json(r.out)["file"].toString(), QStringLiteral("mini"));
  }

  void unknownName_listsKnownNames() {
    const Run r = run_ddpm({"sample", "--checkpoint", "swissrol", "--out", m_dir.filePath("x.csv")}, m_shipped);
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(r.err.startsWith("ddpm: error: no file 'swissrol' and no shipped checkpoint of that name; shipped: "),
             qPrintable(r.err));
    QVERIFY2(r.err.contains("mini"), qPrintable(r.err));
    QCOMPARE(r.err.count('\n'), 1);
    // A path (with a folder) is never looked up by name: its own error.
    const Run p = run_ddpm({"info", m_dir.filePath("nothing/mini.safetensors")}, m_shipped);
    QCOMPARE(p.exit_code, 1);
    QVERIFY2(!p.err.contains("shipped"), qPrintable(p.err));
  }

  void checkpointDirVariable_comesFirstInTheSearch() {
    // The same name in an earlier folder wins; `ddpm checkpoints` lists the winner once.
    const QString first = m_dir.filePath("first");
    QVERIFY(QDir().mkpath(first));
    QVERIFY(QFile::copy(m_mini, first + "/moons.safetensors"));
    QVERIFY(QFile::copy(m_mini, first + "/mini.safetensors"));
    Run r = run_ddpm({"checkpoints"}, first);
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
    const auto line_of = [&](const QString& name) {
      QStringList found;
      for (const QString& line : lines)
        if (line.startsWith(name + ' ')) found << line;
      return found;
    };
    QCOMPARE(line_of("mini").size(), 1);
    QVERIFY2(line_of("mini")[0].contains(first + "/mini.safetensors"), qPrintable(r.out));
    QVERIFY2(line_of("moons")[0].contains("mlp on moons, 20 steps, F32, resumable"), qPrintable(r.out));
    r = run_ddpm({"info", "moons"}, first);
    QCOMPARE(json(r.out)["file"].toString(), first + "/moons.safetensors");
  }

  void export_f16DropResume_isSmallerAndWithinRounding() {
    const QString out = m_dir.filePath("mini-f16.safetensors");
    const Run r = run_ddpm({"export", "--checkpoint", "mini", "--weights", "f16", "--drop-resume", "--out", out}, m_shipped);
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains("F16 weights") && r.err.contains("no resume data"), qPrintable(r.err));
    QVERIFY(QFileInfo(out).size() < QFileInfo(m_mini).size() / 3);  // resume data (×3) and half-size weights gone

    const ddpm::CheckpointData original = ddpm::load_checkpoint(m_mini.toStdString());
    const ddpm::CheckpointData exported = ddpm::load_checkpoint(out.toStdString());
    QVERIFY(!original.resume.empty());
    QVERIFY(exported.resume.empty());
    QVERIFY(!exported.resumable);
    QCOMPARE(QString::fromStdString(exported.weights_dtype), QStringLiteral("F16"));
    QCOMPARE(exported.step, original.step);
    QVERIFY(exported.model == original.model);
    QCOMPARE(exported.weights.size(), original.weights.size());
    for (const auto& [name, w] : original.weights) {
      const torch::Tensor e = exported.weights.at(name);
      QCOMPARE(e.scalar_type(), torch::kFloat32);
      // fp16 rounds to nearest: relative error ≤ 2^-11 for normal numbers, absolute ≤ 2^-25 below 2^-14.
      const torch::Tensor bound = w.abs() * std::pow(2.0, -11) + std::pow(2.0, -25);
      QVERIFY2(((e - w).abs() <= bound).all().item<bool>(), name.c_str());
      QVERIFY(torch::equal(e, w.to(torch::kFloat16).to(torch::kFloat32)));
    }
  }

  void export_keepsResumeUnlessAsked() {
    const QString out = m_dir.filePath("mini-copy.safetensors");
    const Run r = run_ddpm({"export", "--checkpoint", m_mini, "--out", out});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const ddpm::CheckpointData copy = ddpm::load_checkpoint(out.toStdString());
    const ddpm::CheckpointData original = ddpm::load_checkpoint(m_mini.toStdString());
    QVERIFY(!copy.resume.empty());
    QCOMPARE(copy.resume.adam_step, original.resume.adam_step);
    for (const auto& [name, w] : original.weights) QVERIFY(torch::equal(copy.weights.at(name), w));
    // Training goes on from the copy.
    const Run more = run_ddpm({"train", "--steps", "25", "--resume", out, "--out", out});
    QVERIFY2(more.exit_code == 0, qPrintable(more.err));
    QCOMPARE(run_ddpm({"export", "--checkpoint", m_mini, "--weights", "f8", "--out", out}).exit_code, 2);
  }

  void classifierTrainAndImageScore_workEndToEnd() {
    if (!has_fashion_mnist()) QSKIP("dataset-fashion-mnist is not installed");
    const QString classifier = m_shipped + "/tiny-classifier.safetensors";
    Run r = run_ddpm({"--threads", "2", "classifier", "train", "--epochs", "1", "--limit", "512", "--batch", "64", "--seed",
                  "1", "--out", classifier});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const QRegularExpressionMatch accuracy = QRegularExpression("^test accuracy: (0\\.[0-9]{4})\n$").match(r.out);
    QVERIFY2(accuracy.hasMatch(), qPrintable(r.out));
    QVERIFY(accuracy.captured(1).toDouble() > 0.3);  // 512 images, one epoch: well above chance (0.1)
    QCOMPARE(ddpm::read_classifier_info(classifier.toStdString()).test_accuracy, accuracy.captured(1).toDouble());

    r = run_ddpm({"info", "tiny-classifier"}, m_shipped);
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QCOMPARE(json(r.out)["format"].toString(), QStringLiteral("ddpm-studio-classifier"));
    QCOMPARE(json(r.out)["train_images"].toInt(), 512);

    // The floor: training images against the test set.
    r = run_ddpm({"score", "--reference", "train", "--n", "200", "--classifier", "tiny-classifier"}, m_shipped);
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QVERIFY2(QRegularExpression("^fd: [0-9]+\\.[0-9]{4}$").match(lines[0]).hasMatch(), qPrintable(r.out));
    const QJsonObject detail = json(lines[1]);
    QCOMPARE(detail["n"].toInt(), 200);
    QCOMPARE(detail["reference_n"].toInt(), 10000);
    int counted = 0;
    for (const auto c : detail["predicted_classes"].toArray()) counted += c.toInt();
    QCOMPARE(counted, 200);
    const double floor = lines[0].mid(4).toDouble();

    // An (untrained) image model scores far worse than the floor.
    const QString model = m_dir.filePath("fm.safetensors");
    r = run_ddpm({"train", "--data", "fashion-mnist", "--model", "unet-tiny", "--limit", "64", "--steps", "1", "--batch",
              "4", "--timesteps", "20", "--out", model});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const QString grid = m_dir.filePath("scored.png");
    r = run_ddpm({"score", "--checkpoint", model, "--n", "12", "--batch", "6", "--classifier", classifier, "--sampler",
              "ddim", "--steps", "5", "--samples-out", grid});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QVERIFY2(r.out.startsWith("fd: "), qPrintable(r.out));
    QVERIFY2(r.out.section('\n', 0, 0).mid(4).toDouble() > floor, qPrintable(r.out));
    QCOMPARE(json(r.out.section('\n', 1, 1))["sampler"].toString(), QStringLiteral("ddim"));
    QVERIFY(QFileInfo(grid).size() > 0);
  }

  void scoreErrors_areOneLine_data() {
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("missing classifier") << QStringList{"score", "--reference", "train", "--classifier", "no-such"} << 1
                                        << "needs the Fashion-MNIST classifier";
    QTest::newRow("diffusion file as classifier")
        << QStringList{"score", "--reference", "train", "--classifier", "mini"} << 1 << "is a diffusion checkpoint";
    QTest::newRow("corrupt classifier") << QStringList{"score", "--reference", "train", "--classifier", "@corrupt"}
                                        << 1 << "is not a DDPM Studio classifier";
    QTest::newRow("train with checkpoint") << QStringList{"score", "--reference", "train", "--checkpoint", "mini"} << 2
                                           << "leave out --checkpoint";
    QTest::newRow("no checkpoint") << QStringList{"score"} << 2 << "--checkpoint is required";
  }

  void scoreErrors_areOneLine() {
    QFETCH(QStringList, arguments);
    QFETCH(int, code);
    QFETCH(QString, fragment);
    const QString corrupt = m_dir.filePath("corrupt.safetensors");
    QFile file(corrupt);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("\x08\x00\x00\x00\x00\x00\x00\x00{\"a\":1} ", 16);
    file.close();
    arguments.replaceInStrings("@corrupt", corrupt);
    const Run r = run_ddpm(arguments, m_shipped);
    QCOMPARE(r.exit_code, code);
    QVERIFY2(r.err.startsWith("ddpm: error: ") && r.err.contains(fragment), qPrintable(r.err));
    QCOMPARE(r.err.count('\n'), 1);
  }
};

QTEST_GUILESS_MAIN(TestCliCheckpoints)
#include "test_cli_checkpoints.moc"
