// Shipped-checkpoint lookup: which arguments are names, the search order
// ($DDPM_CHECKPOINT_DIR, the installed share folder, the source tree), an existing
// file beating a name, and the error that lists the known names.
#include "core/checkpoint/shipped_checkpoints.h"
#include "core/util/error.h"
#include "core_test_support.h"

#include <cstdlib>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace ddpm;

namespace {

void touch(const QString& path) {
  QFile file(path);
  QVERIFY(file.open(QIODevice::WriteOnly));
  file.write("x");
}

}  // namespace

class TestShippedCheckpoints : public QObject {
  Q_OBJECT

 private slots:
  void cleanup() { unsetenv(kCheckpointDirVariable); }

  void isCheckpointName_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("name");
    QTest::newRow("plain") << "fashion-mnist" << true;
    QTest::newRow("digits and underscore") << "gaussians8_v2" << true;
    QTest::newRow("dotted") << "model.v1" << true;
    QTest::newRow("with extension") << "moons.safetensors" << false;
    QTest::newRow("relative path") << "runs/moons" << false;
    QTest::newRow("absolute path") << "/tmp/moons" << false;
    QTest::newRow("empty") << "" << false;
    QTest::newRow("dot") << "." << false;
    QTest::newRow("dot dot") << ".." << false;
    QTest::newRow("space") << "my model" << false;
  }

  void isCheckpointName() {
    QFETCH(QString, text);
    QFETCH(bool, name);
    QCOMPARE(is_checkpoint_name(text.toStdString()), name);
  }

  void searchDirs_startWithTheVariableAndEndWithTheSourceTree() {
    setenv(kCheckpointDirVariable, "/somewhere/checkpoints", 1);
    const auto dirs = shipped_checkpoint_dirs();
    QVERIFY(dirs.size() >= 2);
    QCOMPARE(QString::fromStdString(dirs.front()), QStringLiteral("/somewhere/checkpoints"));
    QVERIFY(QString::fromStdString(dirs[1]).endsWith("/share/ddpm-studio/checkpoints"));
    QVERIFY(QString::fromStdString(dirs.back()).endsWith("/resources/checkpoints"));
    unsetenv(kCheckpointDirVariable);
    QCOMPARE(shipped_checkpoint_dirs().size(), dirs.size() - 1);
  }

  void resolve_findsNamesAndPrefersExistingFiles() {
    QTemporaryDir dir;
    touch(dir.filePath("alpha.safetensors"));
    touch(dir.filePath("beta.safetensors"));
    touch(dir.filePath("notes.txt"));
    QVERIFY(QDir(dir.path()).mkdir("gamma.safetensors"));  // a folder is not a checkpoint
    setenv(kCheckpointDirVariable, dir.path().toUtf8().constData(), 1);

    QCOMPARE(QString::fromStdString(resolve_checkpoint("alpha")), dir.filePath("alpha.safetensors"));
    // A file at the given path wins; other paths come back unchanged for the loader to report.
    const QString existing = dir.filePath("alpha.safetensors");
    QCOMPARE(QString::fromStdString(resolve_checkpoint(existing.toStdString())), existing);
    QCOMPARE(resolve_checkpoint("/no/such/file.safetensors"), std::string("/no/such/file.safetensors"));

    bool alpha = false, beta = false;
    for (const auto& c : shipped_checkpoints()) {
      alpha |= c.name == "alpha" && QString::fromStdString(c.path) == existing;
      beta |= c.name == "beta";
      QVERIFY(c.name != "gamma" && c.name != "notes");
    }
    QVERIFY(alpha && beta);
    EXPECT_ERROR(resolve_checkpoint("alpah"), "no file 'alpah' and no shipped checkpoint of that name; shipped: ");
    EXPECT_ERROR(resolve_checkpoint("alpah"), "alpha, beta");
    EXPECT_ERROR(resolve_checkpoint("gamma"), "no shipped checkpoint");
  }
};

QTEST_GUILESS_MAIN(TestShippedCheckpoints)
#include "test_shipped_checkpoints.moc"
