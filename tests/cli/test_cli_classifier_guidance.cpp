// Classifier guidance from the command line: `ddpm classifier train --noisy` for the
// shipped eight-Gaussians model (its accuracy against t, its file), `ddpm sample` and
// `ddpm score` steered by it (the asked-for class, measured), and every bad choice a
// usage error (exit 2) that writes nothing.
#include "core/checkpoint/noisy_classifier_checkpoint.h"
#include "core/data/picture_decoders.h"

#include <torch/torch.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include "cli_run.h"

namespace {

using cli_test::run_ddpm;

// The PNG at `path` decoded (stb_image, as core reads pictures); empty when it is missing.
ddpm::Rgba8Picture read_png(const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return {};
  const QByteArray bytes = file.readAll();
  return ddpm::decode_with_stb(bytes.toStdString(), path.toStdString(), [](int, int) {});
}

// The red channel of the w × h block at (x, y).
std::vector<std::uint8_t> block(const ddpm::Rgba8Picture& p, int x, int y, int w, int h) {
  std::vector<std::uint8_t> out;
  for (int r = y; r < y + h; ++r)
    for (int c = x; c < x + w; ++c) out.push_back(p.rgba[4 * (static_cast<std::size_t>(r) * p.width + c)]);
  return out;
}

double printed(const QString& out, const QString& label) {
  const auto match = QRegularExpression("^" + QRegularExpression::escape(label) + ": ([0-9.e+-]+)$",
                                        QRegularExpression::MultilineOption)
                         .match(out);
  return match.hasMatch() ? match.captured(1).toDouble() : -1.0;
}

}  // namespace

class TestCliClassifierGuidance : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir m_dir;
  QString m_classifier;  // a noise-aware classifier for the shipped gaussians8

 private slots:
  void initTestCase() {
    QVERIFY(m_dir.isValid());
    m_classifier = m_dir.filePath("g8-noisy.safetensors");
    const auto r = run_ddpm({"--threads", "2", "classifier", "train", "--noisy", "--checkpoint", "gaussians8", "--epochs",
                             "3", "--seed", "1", "--out", m_classifier});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    // The accuracy against the paper's t: 11 rows from t = 1 to t = T, high at first, near
    // chance (1/8) at the end.
    const QStringList rows = r.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(rows.first(), QStringLiteral("t,test_accuracy"));
    QCOMPARE(rows.size(), 12);
    QVERIFY2(rows[1].startsWith("1,") && rows[1].section(',', 1).toDouble() > 0.95, qPrintable(r.out));
    QVERIFY2(rows.last().startsWith("1000,") && rows.last().section(',', 1).toDouble() < 0.3, qPrintable(r.out));
  }

  void info_describesTheClassifier() {
    const auto r = run_ddpm({"info", m_classifier});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(j["format"].toString(), QStringLiteral("ddpm-studio-noisy-classifier"));
    QCOMPARE(j["trained_for"].toString(), QStringLiteral("gaussians8"));
    QCOMPARE(j["class_names"].toArray().size(), 8);
  }

  // Guided samples fall in the class asked for; unguided ones in any of the eight.
  void score_classAccuracyRisesWithTheScale() {
    const auto score = [&](const QString& scale) {
      const auto r = run_ddpm({"score", "--checkpoint", "gaussians8", "--noisy-classifier", m_classifier, "--class", "2",
                               "--classifier-scale", scale, "--sampler", "ddim", "--steps", "25", "--n", "400"});
      if (r.exit_code != 0) qWarning("%s", qPrintable(r.err));
      return printed(r.out, "class accuracy");
    };
    const double unguided = score("0");
    const double guided = score("2");
    QVERIFY2(unguided > 0.03 && unguided < 0.3, qPrintable(QString::number(unguided)));  // about 1/8
    QVERIFY2(guided > 0.9, qPrintable(QString::number(guided)));
  }

  void sample_writesGuidedPoints() {
    const QString out = m_dir.filePath("guided.csv");
    const auto r = run_ddpm({"sample", "--checkpoint", "gaussians8", "--noisy-classifier", m_classifier, "--class", "0",
                             "--classifier-scale", "3", "--sampler", "dpm-solver++", "--steps", "15", "--n", "50",
                             "--out", out});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QFile file(out);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(file.readAll()).split('\n', Qt::SkipEmptyParts).size(), 51);
  }

  void badChoices_exit2_andWriteNothing_data() {
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    const QString c = QStringLiteral("@classifier");  // replaced by the trained file
    QTest::newRow("negative scale") << QStringList{"--checkpoint", "gaussians8", "--noisy-classifier", c, "--class", "1",
                                                   "--classifier-scale", "-1"}
                                    << "classifier scale must be a number from 0 to 100, got -1";
    QTest::newRow("nan scale") << QStringList{"--checkpoint", "gaussians8", "--noisy-classifier", c, "--class", "1",
                                              "--classifier-scale", "nan"}
                               << "got nan";
    QTest::newRow("class out of range")
        << QStringList{"--checkpoint", "gaussians8", "--noisy-classifier", c, "--class", "8"} << "0..7, got 8";
    QTest::newRow("no class") << QStringList{"--checkpoint", "gaussians8", "--noisy-classifier", c}
                              << "needs the class to steer towards";
    QTest::newRow("scale without classifier") << QStringList{"--checkpoint", "gaussians8", "--classifier-scale", "2"}
                                              << "needs a noise-aware classifier";
    QTest::newRow("conditional model") << QStringList{"--checkpoint", "gaussians8-conditional", "--noisy-classifier", c,
                                                      "--class", "1"}
                                       << "classifier-free guidance";
    QTest::newRow("another model's coordinates")
        << QStringList{"--checkpoint", "moons", "--noisy-classifier", c, "--class", "1"} << "other coordinates";
    QTest::newRow("with --guidance") << QStringList{"--checkpoint", "gaussians8", "--noisy-classifier", c, "--class", "1",
                                                    "--guidance", "2"}
                                     << "use --classifier-scale";
    QTest::newRow("a diffusion checkpoint as classifier")
        << QStringList{"--checkpoint", "gaussians8", "--noisy-classifier", "moons", "--class", "1"}
        << "it is a diffusion checkpoint";
  }
  void badChoices_exit2_andWriteNothing() {
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    arguments.replaceInStrings("@classifier", m_classifier);
    const QString out = m_dir.filePath("refused.csv");
    const auto r = run_ddpm(QStringList{"sample"} + arguments + QStringList{"--out", out});
    QCOMPARE(r.exit_code, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY(!QFile::exists(out));
  }

  // `ddpm figure guidance`: one column per strength from one seed. Two equal strengths give
  // two equal columns (the seed is shared); w = 0 and w = 7 do not.
  void figureGuidance_sameSeedOneColumnPerStrength() {
    const auto strip = [&](const QString& strengths) {
      const QString out = m_dir.filePath("strip.png");
      QFile::remove(out);
      const auto r = run_ddpm({"--threads", "2", "figure", "guidance", "--checkpoint", "fashion-mnist-conditional",
                               "--class", "Trouser", "--strengths", strengths, "--n", "2", "--sampler", "ddim",
                               "--steps", "4", "--out", out});
      if (r.exit_code != 0) qWarning("%s", qPrintable(r.err));
      return read_png(out);
    };
    const auto same = strip("3,3");
    QCOMPARE(same.width, 2 * 28 + 3 * 2);  // 2 columns, 2 rows, 2-pixel padding
    QCOMPARE(same.height, 2 * 28 + 3 * 2);
    QVERIFY(block(same, 2, 2, 28, 58) == block(same, 32, 2, 28, 58));
    const auto different = strip("0,1,3,7");
    QCOMPARE(different.width, 4 * 28 + 5 * 2);
    QVERIFY(block(different, 2, 2, 28, 58) != block(different, 2 + 3 * 30, 2, 28, 58));
    // No class: nothing to steer towards.
    const auto r = run_ddpm({"figure", "guidance", "--checkpoint", "fashion-mnist-conditional", "--out",
                             m_dir.filePath("none.png")});
    QCOMPARE(r.exit_code, 2);
    QVERIFY2(r.err.contains("needs the class"), qPrintable(r.err));
    const auto bad = run_ddpm({"figure", "guidance", "--checkpoint", "fashion-mnist-conditional", "--class", "1",
                               "--strengths", "0,-1", "--out", m_dir.filePath("none.png")});
    QCOMPARE(bad.exit_code, 2);
    QVERIFY2(bad.err.contains("guidance weight must be a number from 0"), qPrintable(bad.err));
    QVERIFY(!QFile::exists(m_dir.filePath("none.png")));
  }

  void trainNoisy_refusesWhatCannotWork() {
    const QString out = m_dir.filePath("refused.safetensors");
    auto r = run_ddpm({"classifier", "train", "--noisy", "--checkpoint", "swissroll", "--epochs", "1", "--out", out});
    QCOMPARE(r.exit_code, 1);  // the data have no labels: an error in the data, not in the flags
    QVERIFY2(r.err.contains("no class labels"), qPrintable(r.err));
    r = run_ddpm({"classifier", "train", "--noisy", "--checkpoint", "gaussians8-conditional", "--out", out});
    QCOMPARE(r.exit_code, 2);
    QVERIFY2(r.err.contains("needs no classifier"), qPrintable(r.err));
    r = run_ddpm({"classifier", "train", "--checkpoint", "gaussians8", "--out", out});
    QCOMPARE(r.exit_code, 2);
    QVERIFY2(r.err.contains("add --noisy"), qPrintable(r.err));
    QVERIFY(!QFile::exists(out));
  }
};

QTEST_GUILESS_MAIN(TestCliClassifierGuidance)
#include "test_cli_classifier_guidance.moc"
