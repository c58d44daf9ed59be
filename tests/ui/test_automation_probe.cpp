// AutomationProbe: the answers the keyboard-and-mouse lesson (tests/gui_input) relies on.
#include "ui/window/automation_probe.h"

#include <QtTest>
#include <QListWidget>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSlider>
#include <QVBoxLayout>

using ddpm::ui::AutomationProbe;

class TestAutomationProbe : public QObject {
  Q_OBJECT

 private slots:
  void answers_describeTheVisibleWidgets() {
    QWidget window;
    auto* layout = new QVBoxLayout(&window);
    auto* views = new QListWidget(&window);
    views->setObjectName(QStringLiteral("viewSidebar"));
    views->addItems({QStringLiteral("Schedule"), QStringLiteral("Forward process")});
    views->setCurrentRow(1);
    auto* slider = new QSlider(Qt::Horizontal, &window);
    slider->setObjectName(QStringLiteral("timestepSlider"));
    slider->setRange(0, 999);
    slider->setValue(420);
    auto* progress = new QProgressBar(&window);
    progress->setObjectName(QStringLiteral("trainingProgress"));
    progress->setRange(0, 3000);
    progress->setValue(12);
    auto* sample = new QPushButton(QStringLiteral("&Sample"), &window);
    sample->setEnabled(false);
    auto* hidden = new QPushButton(QStringLiteral("Hidden"), &window);
    for (QWidget* w : {static_cast<QWidget*>(views), static_cast<QWidget*>(slider), static_cast<QWidget*>(progress),
                       static_cast<QWidget*>(sample), static_cast<QWidget*>(hidden)})
      layout->addWidget(w);
    window.setWindowTitle(QStringLiteral("probe window"));
    window.resize(400, 500);
    window.show();
    hidden->hide();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const AutomationProbe probe(&window);

    QCOMPARE(probe.answer(QStringLiteral("view")), QStringLiteral("view Forward process"));
    QCOMPARE(probe.answer(QStringLiteral("state #timestepSlider")), QStringLiteral("state 420 0 999"));
    QCOMPARE(probe.answer(QStringLiteral("state #trainingProgress")), QStringLiteral("state 12 0 3000"));
    QCOMPARE(probe.answer(QStringLiteral("state QPushButton:Sample")), QStringLiteral("state disabled"));
    QCOMPARE(probe.answer(QStringLiteral("state QPushButton:Hidden")), QStringLiteral("none"));  // not visible
    QCOMPARE(probe.answer(QStringLiteral("rect #nothing")), QStringLiteral("none"));
    const QPoint corner = slider->mapToGlobal(QPoint(0, 0));
    QCOMPARE(probe.answer(QStringLiteral("rect #timestepSlider")), QStringLiteral("rect %1 %2 %3 %4")
                                                                        .arg(corner.x())
                                                                        .arg(corner.y())
                                                                        .arg(slider->width())
                                                                        .arg(slider->height()));
    QCOMPARE(probe.answer(QStringLiteral("dialogs")), QStringLiteral("dialogs 0"));
    QVERIFY(probe.answer(QStringLiteral("jump")).startsWith(QStringLiteral("error unknown question 'jump'")));

    QMessageBox box(QMessageBox::Warning, QStringLiteral("Could not open"), QStringLiteral("bad   file\nhere"),
                    QMessageBox::Ok);
    box.show();
    QVERIFY(QTest::qWaitForWindowExposed(&box));
    QCOMPARE(probe.answer(QStringLiteral("dialogs")), QStringLiteral("dialogs 1 | Could not open: bad file here"));
    box.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&box));
    QCOMPARE(probe.answer(QStringLiteral("active")), QStringLiteral("active QMessageBox Could not open"));
    box.hide();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QCOMPARE(probe.answer(QStringLiteral("active")), QStringLiteral("active QWidget probe window"));
    QCOMPARE(probe.answer(QStringLiteral("dialogs")), QStringLiteral("dialogs 0"));
  }
};

QTEST_MAIN(TestAutomationProbe)
#include "test_automation_probe.moc"
