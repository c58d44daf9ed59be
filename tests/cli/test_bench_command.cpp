// `ddpm bench` as scripts read it: one JSON object per line and case with the documented
// fields, the model's own parameter and FLOP counts, consistent rates, and usage errors.
// Speed itself is never asserted (docs/performance.md measures it).
#include <QtTest>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include <cmath>

#include "cli_run.h"

namespace {

using Run = cli_test::CliRun;

Run ddpm(const QStringList& arguments) {
  return cli_test::run_ddpm(arguments);
}

// Whether the kernel lists the avx512_bf16 flag for this CPU: an answer independent of
// the CPUID check core makes.
bool cpuinfoHasBf16() {
  QFile cpuinfo(QStringLiteral("/proc/cpuinfo"));
  if (!cpuinfo.open(QIODevice::ReadOnly)) return false;
  for (const QByteArray& line : cpuinfo.readAll().split('\n'))
    if (line.startsWith("flags")) return line.split(' ').contains("avx512_bf16");
  return false;
}

}  // namespace

class TestBenchCommand : public QObject {
  Q_OBJECT

 private slots:
  void mlpCases_printOneJsonLinePerCaseWithFields() {
    const Run r = ddpm({"bench", "--case", "mlp", "--threads", "1", "--warmup", "0", "--repeat", "2", "--seconds", "0"});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const auto lines = r.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);  // train/mlp-b256 and sample/mlp-b256
    QStringList cases;
    for (const auto& text : lines) {
      QJsonParseError error;
      const auto document = QJsonDocument::fromJson(text.toUtf8(), &error);
      QVERIFY2(error.error == QJsonParseError::NoError && document.isObject(), qPrintable(text));
      const auto line = document.object();
      for (const char* field : {"case", "impl", "kind", "model", "batch", "sample_shape", "threads", "precision",
                                "device", "torch", "allocator", "parameters", "forward_flops_per_image", "flops_per_image",
                                "flops_note", "steps", "seconds", "steps_per_second", "images_per_second",
                                "step_ms_median", "step_ms_min", "cpu_ms_per_step", "gflops_per_second"})
        QVERIFY2(line.contains(field), field);
      cases << line["case"].toString();
      QCOMPARE(line["impl"].toString(), QString("cpp"));
      QCOMPARE(line["model"].toString(), QString("mlp"));
      QCOMPARE(line["batch"].toInt(), 256);
      QCOMPARE(line["sample_shape"].toArray(), QJsonArray({2}));
      QCOMPARE(line["threads"].toInt(), 1);
      QCOMPARE(line["precision"].toString(), QString("fp32"));
      QCOMPARE(line["device"].toString(), QString("cpu"));
      // The malloc the build meant `ddpm` to run on (CMake's DDPM_TCMALLOC), found at run time.
      QCOMPARE(line["allocator"].toString(), QString(DDPM_EXPECTED_ALLOCATOR));
      QCOMPARE(line["parameters"].toInteger(), 183298);  // as `ddpm info` and test_models count
      QCOMPARE(line["forward_flops_per_image"].toInteger(), 361472);  // test_flop_count's hand count
      const qint64 factor = line["kind"].toString() == "train" ? 3 : 1;
      QCOMPARE(line["flops_per_image"].toInteger(), factor * 361472);
      QVERIFY(line["steps"].toInt() >= 2);
      const double rate = line["steps_per_second"].toDouble();
      QVERIFY(rate > 0);
      QVERIFY(std::abs(rate * line["seconds"].toDouble() - line["steps"].toDouble()) < 1e-6 * line["steps"].toDouble());
      QVERIFY(std::abs(line["images_per_second"].toDouble() - 256 * rate) <= 1e-9 * 256 * rate);
      QVERIFY(std::abs(line["gflops_per_second"].toDouble() - rate * 256 * factor * 361472 * 1e-9) <=
              1e-9 * line["gflops_per_second"].toDouble());
      QVERIFY(line["step_ms_min"].toDouble() <= line["step_ms_median"].toDouble());
    }
    QCOMPARE(cases, (QStringList{"train/mlp-b256", "sample/mlp-b256"}));
  }

  void threadList_runsEachCount() {
    const Run r = ddpm({"bench", "--case", "sample/mlp", "--threads", "1,2", "--warmup", "0", "--repeat", "1",
                        "--seconds", "0"});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const auto lines = r.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QCOMPARE(QJsonDocument::fromJson(lines[0].toUtf8()).object()["threads"].toInt(), 1);
    QCOMPARE(QJsonDocument::fromJson(lines[1].toUtf8()).object()["threads"].toInt(), 2);
  }

  void fullRunAndPeak_addRunSecondsAndPeakFraction() {
    const Run r = ddpm({"bench", "--case", "sample/mlp", "--threads", "1", "--warmup", "0", "--repeat", "1",
                        "--seconds", "0", "--full-run", "--peak-tflops", "2"});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const auto line = QJsonDocument::fromJson(r.out.split('\n', Qt::SkipEmptyParts).at(0).toUtf8()).object();
    QVERIFY(line["run_seconds"].toDouble() > 0);  // one whole run of T = 1000 steps
    QVERIFY(std::abs(line["peak_fraction"].toDouble() - line["gflops_per_second"].toDouble() * 1e-3 / 2) <=
            1e-12 + 1e-9 * line["peak_fraction"].toDouble());
  }

  void gpuSizedCases_stayOffTheCpuUnlessNamed() {
    // "unet" matches unet-tiny and unet-paper; the 35.7M network runs on the CPU only when
    // a filter names it.
    const Run r = ddpm({"bench", "--device", "cpu", "--case", "sample/unet", "--warmup", "0", "--repeat", "1",
                        "--seconds", "0"});
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    QStringList cases;
    for (const auto& text : r.out.split('\n', Qt::SkipEmptyParts))
      cases << QJsonDocument::fromJson(text.toUtf8()).object()["case"].toString();
    QCOMPARE(cases, (QStringList{"sample/unet-tiny-b64", "sample/unet-tiny-b128"}));
  }

  // bf16 samples on the CPU where it has AVX512_BF16; elsewhere a usage error says why.
  void bf16Sampling_onTheCpu_runsWhereTheCpuHasIt() {
    const Run r = ddpm({"bench", "--device", "cpu", "--case", "sample/mlp", "--precision", "bf16", "--warmup", "0",
                        "--repeat", "2", "--seconds", "0"});
    if (!cpuinfoHasBf16()) {
      QCOMPARE(r.exit_code, 2);
      QVERIFY2(r.err.contains("AVX512_BF16"), qPrintable(r.err));
      return;
    }
    QVERIFY2(r.exit_code == 0, qPrintable(r.err));
    const auto line = QJsonDocument::fromJson(r.out.split('\n', Qt::SkipEmptyParts).at(0).toUtf8()).object();
    QCOMPARE(line["precision"].toString(), QStringLiteral("bf16"));
    QVERIFY(line["steps_per_second"].toDouble() > 0);
  }

  void badArguments_areUsageErrors_data() {
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("unknown case") << QStringList{"bench", "--case", "nosuchcase"} << "matches no case";
    QTest::newRow("bad threads") << QStringList{"bench", "--threads", "two"} << "--threads";
    QTest::newRow("zero threads") << QStringList{"bench", "--threads", "0"} << "--threads";
    QTest::newRow("negative seconds") << QStringList{"bench", "--seconds", "-1"} << "--seconds";
    QTest::newRow("unknown precision") << QStringList{"bench", "--precision", "fp16"} << "--precision";
    QTest::newRow("bf16 training on the cpu")
        << QStringList{"bench", "--device", "cpu", "--case", "train", "--precision", "bf16"} << "trains on a CUDA device only";
    QTest::newRow("negative peak") << QStringList{"bench", "--peak-tflops", "-5"} << "--peak-tflops";
  }

  void badArguments_areUsageErrors() {
    QFETCH(QStringList, arguments);
    QFETCH(QString, fragment);
    const Run r = ddpm(arguments);
    QCOMPARE(r.exit_code, 2);
    QVERIFY2(r.err.startsWith("ddpm: error: ") && r.err.contains(fragment), qPrintable(r.err));
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY(r.out.isEmpty());
  }
};

QTEST_GUILESS_MAIN(TestBenchCommand)
#include "test_bench_command.moc"
