#pragma once
// Runs the built `ddpm` (DDPM_CLI_PATH, set by tests/CMakeLists.txt) in a child process
// and collects its exit code and output, for the CLI test suites.
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace cli_test {

/// What one run of `ddpm` did: exit code (−1 when it crashed or timed out) and output.
struct CliRun {
  int exit_code = -1;
  QString out;
  QString err;
};

/// Runs `ddpm arguments…` with `environment` in `working_dir` (the test's own when
/// empty), waiting at most two minutes.
inline CliRun run_ddpm(const QStringList& arguments,
                       const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment(),
                       const QString& working_dir = {}) {
  QProcess process;
  process.setProcessEnvironment(environment);
  if (!working_dir.isEmpty()) process.setWorkingDirectory(working_dir);
  process.start(QStringLiteral(DDPM_CLI_PATH), arguments);
  if (!process.waitForFinished(120000)) {
    process.kill();
    process.waitForFinished();
    return {};
  }
  return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
          QString::fromUtf8(process.readAllStandardOutput()), QString::fromUtf8(process.readAllStandardError())};
}

}  // namespace cli_test
