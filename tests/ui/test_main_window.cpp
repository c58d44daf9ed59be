#include "schedule/noise_schedule.h"

#include "main_window.h"
#include "views/schedule_view.h"

#include <qcustomplot.h>

#include <QtTest>

class TestMainWindow : public QObject {
  Q_OBJECT

 private slots:
  void window_plotsTheDefaultSchedule() {
    ddpm::ui::MainWindow window;
    QCOMPARE(window.windowTitle(), QStringLiteral("DDPM Studio"));
    auto* plot = window.scheduleView()->plot();
    QCOMPARE(plot->graph(0)->dataCount(), 1000);
    QCOMPARE(plot->graph(1)->data()->at(999)->value, window.scheduleView()->schedule().alpha_bar.back());
  }

  void invalidSchedule_keepsThePreviousOne() {
    ddpm::ui::MainWindow window;
    ddpm::ScheduleSpec spec;
    spec.steps = 0;
    QVERIFY_THROWS_EXCEPTION(std::exception, window.scheduleView()->setSchedule(spec));
    QCOMPARE(window.scheduleView()->plot()->graph(0)->dataCount(), 1000);
  }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
