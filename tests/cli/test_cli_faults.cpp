// Nothing is lost when things go wrong around `ddpm train` (docs/reliability.md):
// kill -9 mid-run, then the same command with --resume, reaches the total and ends
// where an uninterrupted run ends; a full disk (RLIMIT_FSIZE, so write() fails with
// EFBIG) or a read-only output folder during a save leaves the previous checkpoint
// byte for byte intact, gives one clear error line and exit code 1.
#include "core/checkpoint/checkpoint.h"

#include "core_test_support.h"

#include <QtTest>

#include <QDir>
#include <QProcess>

#include <csignal>
#include <functional>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/capability.h>

using namespace ddpm;

namespace {

struct Run {
  int exit_code = -1;
  bool crashed = false;
  QString err;
};

// Runs `ddpm ARGS`; `in_child` runs in the child between fork and exec.
Run run_ddpm(const QStringList& arguments, std::function<void()> in_child = {}, int timeout_ms = 300000) {
  QProcess process;
  if (in_child) process.setChildProcessModifier(in_child);
  process.start(QStringLiteral(DDPM_CLI_PATH), arguments);
  if (!process.waitForFinished(timeout_ms)) {
    process.kill();
    process.waitForFinished();
    return {-1, true, QStringLiteral("timed out")};
  }
  return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
          process.exitStatus() != QProcess::NormalExit, QString::fromUtf8(process.readAllStandardError())};
}

QStringList train_arguments(const QString& out, int steps, int autosave_every) {
  return {"train", "--data", "moons", "--model", "mlp", "--steps", QString::number(steps), "--batch", "32",
          "--seed", "11", "--autosave-every", QString::number(autosave_every), "--out", out};
}

// The checkpoint's step, or -1 while it is missing or unreadable.
std::int64_t saved_step(const QString& path) {
  try {
    return read_checkpoint_metadata(path.toStdString()).step;
  } catch (const Error&) {
    return -1;
  }
}

QStringList leftover_temporaries(const QString& folder) {
  return QDir(folder).entryList({"*.tmp-*"}, QDir::Files | QDir::Hidden);
}

// Starts `ddpm train …`, waits until its autosave reaches `at_least` steps, then SIGKILLs it.
// Returns false if the run ended (or stalled) first.
bool kill_during_training(const QStringList& arguments, const QString& checkpoint, std::int64_t at_least) {
  QProcess process;
  process.start(QStringLiteral(DDPM_CLI_PATH), arguments);
  if (!process.waitForStarted()) return false;
  QElapsedTimer clock;
  clock.start();
  while (saved_step(checkpoint) < at_least) {
    if (process.state() == QProcess::NotRunning || clock.elapsed() > 240000) return false;
    QThread::msleep(5);
  }
  ::kill(static_cast<pid_t>(process.processId()), SIGKILL);
  process.waitForFinished();
  return process.exitStatus() == QProcess::CrashExit;
}

void compare_weights(const CheckpointData& a, const CheckpointData& b) {
  QCOMPARE(a.weights.size(), b.weights.size());
  for (const auto& [name, tensor] : a.weights) {
    const double difference = (tensor - b.weights.at(name)).abs().max().item<double>();
    QVERIFY2(difference <= 1e-5, qPrintable(QString("%1 differs by %2").arg(QString::fromStdString(name)).arg(difference)));
  }
}

}  // namespace

class TestCliFaults : public QObject {
  Q_OBJECT

 private slots:
  void killDuringTraining_resumeReachesTheTotalLikeAnUninterruptedRun() {
    QTemporaryDir dir;
    const QString killed = dir.filePath("killed.safetensors");
    const QStringList arguments = train_arguments(killed, 600, 20);

    // Two kills at different points, each followed by the same command with --resume.
    for (const std::int64_t at_least : {100, 300}) {
      const QStringList command = at_least == 100 ? arguments : arguments + QStringList{"--resume", killed};
      QVERIFY2(kill_during_training(command, killed, at_least), "the run ended before it could be killed");
      const CheckpointData last = load_checkpoint(killed.toStdString());  // the last autosave loads completely
      QVERIFY(last.step >= at_least && last.step < 600);
      QCOMPARE(last.step % 20, std::int64_t{0});
      QVERIFY(last.resumable);
    }
    const Run resumed = run_ddpm(arguments + QStringList{"--resume", killed});
    QVERIFY2(resumed.exit_code == 0, qPrintable(resumed.err));
    QVERIFY2(resumed.err.contains("saved " + killed + " at step 600"), qPrintable(resumed.err));
    const CheckpointData after = load_checkpoint(killed.toStdString());
    QCOMPARE(after.step, std::int64_t{600});

    // The interrupted run ends exactly where an uninterrupted one does (exact resume).
    const QString straight = dir.filePath("straight.safetensors");
    const Run uninterrupted = run_ddpm(train_arguments(straight, 600, 20));
    QVERIFY2(uninterrupted.exit_code == 0, qPrintable(uninterrupted.err));
    compare_weights(after, load_checkpoint(straight.toStdString()));
    // A kill during a save may leave its temporary file (never the checkpoint itself) behind.
    qInfo("temporary files left by the kills: %lld", static_cast<long long>(leftover_temporaries(dir.path()).size()));
  }

  void fullDiskDuringSave_keepsPreviousCheckpointAndSaysWhy() {
    QTemporaryDir dir;
    const QString path = dir.filePath("run.safetensors");
    const Run first = run_ddpm(train_arguments(path, 40, 20));
    QVERIFY2(first.exit_code == 0, qPrintable(first.err));
    const std::string before = test::read_bytes(path.toStdString());
    QVERIFY(before.size() > 64 * 1024);

    // In the child: files may not grow past 64 KiB, and SIGXFSZ is ignored so write()
    // fails with EFBIG instead of killing the process (what a full disk looks like).
    const Run full = run_ddpm(train_arguments(path, 80, 20) + QStringList{"--resume", path}, [] {
      std::signal(SIGXFSZ, SIG_IGN);
      rlimit limit{64 * 1024, 64 * 1024};
      ::setrlimit(RLIMIT_FSIZE, &limit);
    });
    QCOMPARE(full.exit_code, 1);
    QVERIFY2(full.err.contains("ddpm: error: cannot write '" + path + "': File too large"), qPrintable(full.err));
    QCOMPARE(test::read_bytes(path.toStdString()), before);
    QCOMPARE(load_checkpoint(path.toStdString()).step, std::int64_t{40});
    QVERIFY2(leftover_temporaries(dir.path()).isEmpty(), "a failed save left its temporary file");
  }

  void readOnlyFolderDuringTraining_keepsLastCheckpointAndSaysWhy() {
    QTemporaryDir dir;
    const QString folder = dir.filePath("ro");
    QVERIFY(QDir().mkdir(folder));
    const QString path = folder + "/run.safetensors";
    const QByteArray folder_name = folder.toLocal8Bit();

    // Root ignores permission bits through CAP_DAC_OVERRIDE; the child drops it from its
    // bounding set, so the ddpm it execs runs without it (as a normal user would).
    const auto without_override = [] {
      if (::geteuid() == 0) ::prctl(PR_CAPBSET_DROP, CAP_DAC_OVERRIDE, 0, 0, 0);
    };
    if (::geteuid() == 0) {
      QVERIFY(::chmod(folder_name.constData(), 0555) == 0);
      QProcess probe;
      probe.setChildProcessModifier(without_override);
      probe.start("/bin/sh", {"-c", "touch \"$0/probe\"", folder});
      probe.waitForFinished();
      ::chmod(folder_name.constData(), 0755);
      if (probe.exitCode() == 0)
        QSKIP("running as root without the right to drop CAP_DAC_OVERRIDE: a 0555 folder stays writable");
    }

    // Make the folder read-only once the run has autosaved twice; the next save must fail.
    QProcess process;
    process.setChildProcessModifier(without_override);
    process.start(QStringLiteral(DDPM_CLI_PATH), train_arguments(path, 3000, 20));
    QVERIFY(process.waitForStarted());
    QElapsedTimer clock;
    clock.start();
    while (saved_step(path) < 40 && process.state() != QProcess::NotRunning && clock.elapsed() < 120000)
      QThread::msleep(5);
    QVERIFY(::chmod(folder_name.constData(), 0555) == 0);
    QVERIFY(process.waitForFinished(240000));
    ::chmod(folder_name.constData(), 0755);
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QCOMPARE(process.exitCode(), 1);
    QVERIFY2(err.contains("ddpm: error: cannot write '" + path + "': Permission denied"), qPrintable(err));
    QCOMPARE(err.count("ddpm: error:"), 1);
    const CheckpointData last = load_checkpoint(path.toStdString());  // the last autosave, complete
    QVERIFY(last.step >= 40 && last.step < 3000);
    QCOMPARE(last.step % 20, std::int64_t{0});
    QVERIFY(leftover_temporaries(folder).isEmpty());
  }

  void unwritableOutput_failsBeforeTraining() {
    // A path whose parent is a regular file cannot be written by anyone, root included.
    QTemporaryDir dir;
    const QString file = dir.filePath("not-a-folder");
    test::write_bytes(file.toStdString(), "x");
    const QString path = file + "/run.safetensors";
    const Run r = run_ddpm(train_arguments(path, 2000, 1000));
    QCOMPARE(r.exit_code, 1);
    QVERIFY2(r.err.contains("ddpm: error: cannot write '" + path + "': Not a directory"), qPrintable(r.err));
    QVERIFY2(!r.err.contains("train "), "it trained before finding out");
  }
};

QTEST_GUILESS_MAIN(TestCliFaults)
#include "test_cli_faults.moc"
