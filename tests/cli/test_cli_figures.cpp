// `ddpm figure …`: the paper's figures from the command line. Each figure is the same
// bytes for the same seed, has the grid or table its flags ask for, and bad input exits 2
// with one line and nothing written. The maths of each is tested in core (test_jobs).
#include <QtTest>

#include <cmath>

#include <QTemporaryDir>
#include <QtEndian>

#include "cli_run.h"

namespace {

using Run = cli_test::CliRun;

Run ddpm(const QStringList& arguments) { return cli_test::run_ddpm(arguments); }

bool haveFashionMnist() { return QFile::exists("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"); }

QByteArray readAll(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

quint32 be32(const QByteArray& bytes, int at) { return qFromBigEndian<quint32>(bytes.constData() + at); }

// Runs a `ddpm figure …` twice: both runs succeed and write the same bytes, a PNG grid
// of `columns` × `rows` Fashion-MNIST images (28 px, 2 px gaps) by its header.
void check_figure(const QStringList& arguments, quint32 columns, quint32 rows) {
  const QTemporaryDir dir;
  QByteArray first;
  for (const QString name : {"a.png", "b.png"}) {
    const Run r = ddpm(arguments + QStringList{"--out", dir.filePath(name)});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const QByteArray bytes = readAll(dir.filePath(name));
    if (first.isEmpty()) first = bytes;
    QCOMPARE(bytes, first);
  }
  QCOMPARE(be32(first, 16), columns * 28 + (columns + 1) * 2);
  QCOMPARE(be32(first, 20), rows * 28 + (rows + 1) * 2);
}

// Rows of a CSV file without its header, split at commas.
QList<QStringList> csvRows(const QString& path, const QString& header) {
  const QStringList lines = QString::fromUtf8(readAll(path)).split('\n', Qt::SkipEmptyParts);
  if (lines.isEmpty() || lines[0] != header) return {};
  QList<QStringList> rows;
  for (qsizetype i = 1; i < lines.size(); ++i) rows.push_back(lines[i].split(','));
  return rows;
}

}  // namespace

class TestCliFigures : public QObject {
  Q_OBJECT

  QTemporaryDir m_dir;
  QString m_tiny;  // an (untrained) unet-tiny on Fashion-MNIST with T = 40: the bound in a second

 private slots:
  void initTestCase() {
    if (!haveFashionMnist()) QSKIP("dataset-fashion-mnist is not installed");
    m_tiny = m_dir.filePath("tiny.safetensors");
    const Run r = ddpm({"train", "--data", "fashion-mnist", "--model", "unet-tiny", "--limit", "64", "--steps", "2",
                        "--batch", "4", "--timesteps", "40", "--out", m_tiny});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
  }

  // Fig. 6 from the shipped model: one row per sample, S + 1 columns (11 and 2 rows of
  // 28 px with 2 px gaps), the same bytes for the same seed.
  void progressive_writesOneRowPerSample() {
    check_figure({"figure", "progressive", "--checkpoint", "fashion-mnist", "--n", "2", "--seed", "4", "--sampler",
                  "ddim", "--steps", "10"},
                 11, 2);
  }

  // Fig. 7: a row per --t, x_t then the continuations; the same bytes for the same seed.
  void sharedLatent_writesOneRowPerStop() {
    check_figure({"figure", "shared-latent", "--checkpoint", "fashion-mnist", "--t", "1000,500", "--continuations",
                  "2", "--sampler", "ddim", "--steps", "10"},
                 3, 2);
  }

  // Figs. 8–9: a row per --t, x_0 | λ = 0 … 1 | x'_0.
  void interpolate_writesOneRowPerT() {
    check_figure({"figure", "interpolate", "--checkpoint", "fashion-mnist", "--images", "0,1", "--t", "0,500,1000",
                  "--lambdas", "3", "--seed", "2", "--sampler", "ddim", "--steps", "10"},
                 5, 3);
  }

  // The curve against `ddpm nll` on the same test images and noise (same --n, --seed):
  // each step's rate grows by the nll term of the x_t it reaches, the last rate is nll's
  // bits/dim, the last distortion 0; one row per k = 0..T.
  void rateDistortion_addsTheBoundsTerms() {
    const QString curve = m_dir.filePath("rd.csv"), terms = m_dir.filePath("terms.csv");
    Run r = ddpm({"figure", "rate-distortion", "--checkpoint", m_tiny, "--n", "3", "--seed", "5", "--out", curve});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("rate (bits/dim)"), qPrintable(r.out));
    r = ddpm({"nll", "--checkpoint", m_tiny, "--n", "3", "--seed", "5", "--terms-out", terms});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const double nll = r.out.section('\n', 0, 0).section(' ', 1, 1).toDouble();

    const auto rows = csvRows(curve, "steps,t,rate_bits_per_dim,distortion_rmse");
    const auto term = csvRows(terms, "t,bits_per_dim");
    QCOMPARE(rows.size(), 41);
    QCOMPARE(term.size(), 40);
    for (int k = 0; k <= 40; ++k) {
      QCOMPARE(rows[k][0].toInt(), k);
      QCOMPARE(rows[k][1].toInt(), 40 - k);
      QVERIFY(std::isfinite(rows[k][3].toDouble()) && rows[k][3].toDouble() >= 0.0);
      if (k == 0) continue;
      const double step = rows[k][2].toDouble() - rows[k - 1][2].toDouble();
      const double expected = term[40 - k][1].toDouble();
      QCOMPARE(term[40 - k][0].toInt(), 40 - k);
      QVERIFY2(std::abs(step - expected) <= 1e-6 * std::max(1.0, std::abs(expected)),
               qPrintable(QString("k = %1: %2 against %3").arg(k).arg(step).arg(expected)));
    }
    QVERIFY2(std::abs(rows[40][2].toDouble() - nll) < 1e-4, qPrintable(rows[40][2] + " against " + QString::number(nll)));
    QCOMPARE(rows[40][3].toDouble(), 0.0);
    QVERIFY(rows[0][3].toDouble() > rows[39][3].toDouble());

    const QString again = m_dir.filePath("rd2.csv");
    r = ddpm({"figure", "rate-distortion", "--checkpoint", m_tiny, "--n", "3", "--seed", "5", "--out", again});
    QCOMPARE(readAll(again), readAll(curve));

    const QString png = m_dir.filePath("rd.png");
    r = ddpm({"figure", "rate-distortion", "--checkpoint", m_tiny, "--n", "3", "--seed", "5", "--out", png});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const QByteArray bytes = readAll(png);
    QVERIFY(bytes.startsWith("\x89PNG\r\n\x1a\n"));
    QCOMPARE(be32(bytes, 16), quint32(3 * 440));  // three panels side by side
    QCOMPARE(be32(bytes, 20), quint32(340));
  }

  void badInput_exits2_data() {
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("fragment");
    const QStringList interpolate = {"figure", "interpolate", "--checkpoint", "fashion-mnist"};
    QTest::newRow("one lambda") << interpolate + QStringList{"--images", "0,1", "--lambdas", "1"} << "--lambdas";
    QTest::newRow("t above T") << interpolate + QStringList{"--images", "0,1", "--t", "1001"} << "--t";
    QTest::newRow("negative t") << interpolate + QStringList{"--images", "0,1", "--t", "-5"} << "--t";
    QTest::newRow("image out of range") << interpolate + QStringList{"--images", "0,10000"} << "--images";
    QTest::newRow("one image") << interpolate + QStringList{"--images", "3"} << "--images";
    QTest::newRow("2D model, interpolate")
        << QStringList{"figure", "interpolate", "--checkpoint", "moons", "--images", "0,1"} << "2D points";
    QTest::newRow("2D model, rate-distortion")
        << QStringList{"figure", "rate-distortion", "--checkpoint", "moons"} << "2D points";
    QTest::newRow("rate-distortion to text")
        << QStringList{"figure", "rate-distortion", "--checkpoint", "fashion-mnist", "--out", "@DIR@/rd.txt"}
        << ".csv or .png";
  }
  void badInput_exits2() {
    QFETCH(QStringList, arguments);
    QFETCH(QString, fragment);
    const QTemporaryDir dir;
    arguments.replaceInStrings("@DIR@", dir.path());
    if (!arguments.contains("--out")) arguments << "--out" << dir.filePath("figure.png");
    const Run r = ddpm(arguments);
    QCOMPARE(r.exit_code, 2);
    QVERIFY2(r.err.startsWith("ddpm: error: ") && r.err.count('\n') == 1, qPrintable(r.err));
    QVERIFY2(r.err.contains(fragment), qPrintable(r.err));
    QVERIFY(QDir(dir.path()).entryList(QDir::Files).isEmpty());
  }
};

QTEST_GUILESS_MAIN(TestCliFigures)
#include "test_cli_figures.moc"
