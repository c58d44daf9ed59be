// check_output_is_not_input (core/io/output_guard.h): an output that names an input by any
// spelling (the same path, "./" and "../" detours, a symbolic or hard link) is refused with
// a sentence naming both options; other files, and files that do not exist yet, pass.
#include "core/io/output_guard.h"
#include "core_test_support.h"

#include <QtTest>

#include <filesystem>
#include <memory>

using namespace ddpm;
namespace fs = std::filesystem;

class TestOutputGuard : public QObject {
  Q_OBJECT

 private slots:
  void init() {  // a fresh folder for each test and each data row
    m_folder = std::make_unique<QTemporaryDir>();
    QVERIFY(m_folder->isValid());
    m_input = path("ck.safetensors");
    test::write_bytes(m_input, "checkpoint bytes");
  }

  void sameFileAnySpelling_isRefusedAndNamesBoth_data() {
    QTest::addColumn<QString>("spelling");
    QTest::newRow("same path") << QStringLiteral("ck.safetensors");
    QTest::newRow("dot detour") << QStringLiteral("./sub/../ck.safetensors");
    QTest::newRow("symbolic link") << QStringLiteral("link.safetensors");
    QTest::newRow("hard link") << QStringLiteral("hard.safetensors");
  }

  void sameFileAnySpelling_isRefusedAndNamesBoth() {
    QFETCH(QString, spelling);
    fs::create_directory(path("sub"));
    fs::create_symlink(m_input, path("link.safetensors"));
    fs::create_hard_link(m_input, path("hard.safetensors"));
    const std::string output = path(spelling);
    QVERIFY(same_file(output, m_input));
    EXPECT_ERROR(check_output_is_not_input({"--terms-out", output}, {{"--data", "x.csv"}, {"--checkpoint", m_input}}),
                 "--terms-out '");
    EXPECT_ERROR(check_output_is_not_input({"--terms-out", output}, {{"--checkpoint", m_input}}),
                 "is the --checkpoint this command reads; writing it would destroy it: choose another file");
    QCOMPARE(QString::fromStdString(test::read_bytes(m_input)), QStringLiteral("checkpoint bytes"));
  }

  void otherOrNewFiles_pass() {
    const std::string other = path("terms.csv");
    QVERIFY(!same_file(other, m_input));
    check_output_is_not_input({"--terms-out", other}, {{"--checkpoint", m_input}});
    test::write_bytes(other, "old terms");  // an existing file that is not an input may be replaced
    check_output_is_not_input({"--terms-out", other}, {{"--checkpoint", m_input}});
    check_output_is_not_input({"--out", ""}, {{"--checkpoint", m_input}});    // no output
    check_output_is_not_input({"--out", other}, {{"--checkpoint", ""}});      // no input
  }

 private:
  std::string path(const QString& name) const { return m_folder->filePath(name).toStdString(); }

  std::unique_ptr<QTemporaryDir> m_folder;
  std::string m_input;
};

QTEST_GUILESS_MAIN(TestOutputGuard)
#include "test_output_guard.moc"
