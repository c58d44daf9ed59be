// WorkerThread and RunCancellation, the plumbing of every session: run ids cancelled up
// to an id, core's flag for the run in progress, a worker on its own named thread that
// runs posted calls in order, and a destructor that waits for the call in progress before
// it deletes the worker.
#include "ui/shared/run_cancellation.h"
#include "ui/shared/worker_thread.h"

#include <QtTest>

#include <QSemaphore>
#include <QThread>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using namespace ddpm::ui;

namespace {

/// Records on which thread and in which order its calls ran.
class Recorder : public QObject {
 public:
  explicit Recorder(std::vector<int>* calls) : m_calls(calls) {}
  ~Recorder() override { ++destroyed; }
  void record(int call) {
    threadName = QThread::currentThread()->objectName();
    m_calls->push_back(call);
  }
  QString threadName;
  static inline int destroyed = 0;

 private:
  std::vector<int>* m_calls;
};

}  // namespace

class TestWorkerThread : public QObject {
  Q_OBJECT

 private slots:
  void next_numbersRunsAndCancelsThePrevious();
  void beginRun_ofARunCancelledBeforeItBegan_returnsARaisedFlag();
  void cancelUpTo_raisesTheFlagOfTheRunInProgressOnlyWhenItCoversIt();
  void beginRun_lowersTheFlagForTheNextRun();
  void post_runsCallsInOrderOnTheNamedThread();
  void destructor_waitsForTheCallInProgressThenDeletesTheWorker();
  void quitAndWait_thenStart_keepsTheWorker();
};

void TestWorkerThread::next_numbersRunsAndCancelsThePrevious() {
  RunCancellation runs;
  QCOMPARE(runs.current(), quint64(0));
  QVERIFY(runs.isCancelled(0));  // "no run" is never live
  const quint64 first = runs.next();
  QCOMPARE(first, quint64(1));
  QVERIFY(runs.isCurrent(1));
  QVERIFY(!runs.isCancelled(1));
  const quint64 second = runs.next();
  QCOMPARE(second, quint64(2));
  QVERIFY(!runs.isCurrent(1));
  QVERIFY(runs.isCancelled(1));
  QVERIFY(!runs.isCancelled(2));
  runs.cancel();
  QVERIFY(runs.isCancelled(2));
  QVERIFY(runs.isCurrent(2));  // cancelling does not start a new run
}

void TestWorkerThread::beginRun_ofARunCancelledBeforeItBegan_returnsARaisedFlag() {
  RunCancellation runs;
  const quint64 a = runs.next();
  const quint64 b = runs.next();  // a was queued, then replaced before it began
  QVERIFY(runs.beginRun(a)->load());
  QVERIFY(!runs.beginRun(b)->load());
}

void TestWorkerThread::cancelUpTo_raisesTheFlagOfTheRunInProgressOnlyWhenItCoversIt() {
  RunCancellation runs;
  runs.next();
  const quint64 b = runs.next();
  const std::atomic<bool>* flag = runs.beginRun(b);
  runs.cancelUpTo(b - 1);  // an older run: not this one
  QVERIFY(!flag->load());
  runs.cancelUpTo(b);
  QVERIFY(flag->load());
}

void TestWorkerThread::beginRun_lowersTheFlagForTheNextRun() {
  RunCancellation runs;
  const quint64 a = runs.next();
  const std::atomic<bool>* flag = runs.beginRun(a);
  QVERIFY(!flag->load());
  const quint64 b = runs.next();  // cancels a, which is in progress
  QVERIFY(flag->load());
  QCOMPARE(runs.beginRun(b), flag);  // one flag, reused run after run
  QVERIFY(!flag->load());
  QVERIFY(runs.isCancelled(a));
  QVERIFY(!runs.isCancelled(b));
}

void TestWorkerThread::post_runsCallsInOrderOnTheNamedThread() {
  std::vector<int> calls;
  WorkerThread<Recorder> thread(QStringLiteral("recorder"), &calls);
  QVERIFY(!thread.isRunning());
  thread.start();
  QVERIFY(thread.isRunning());
  QSemaphore done;
  Recorder* worker = thread.worker();
  for (int i = 0; i < 5; ++i) thread.post([worker, i] { worker->record(i); });
  thread.post([&done] { done.release(); });
  QVERIFY(done.tryAcquire(1, 10000));
  QCOMPARE(calls, (std::vector<int>{0, 1, 2, 3, 4}));
  QCOMPARE(worker->threadName, QStringLiteral("recorder"));
  QVERIFY(worker->thread() != QThread::currentThread());
}

void TestWorkerThread::destructor_waitsForTheCallInProgressThenDeletesTheWorker() {
  std::vector<int> calls;
  const int destroyedBefore = Recorder::destroyed;
  QSemaphore inCall, release;
  std::thread releaser;
  {
    WorkerThread<Recorder> thread(QStringLiteral("recorder"), &calls);
    thread.start();
    Recorder* worker = thread.worker();
    thread.post([worker, &inCall, &release] {
      inCall.release();
      release.acquire();  // the call in progress: the destructor must wait for it
      worker->record(1);
    });
    QVERIFY(inCall.tryAcquire(1, 10000));
    // Let the call end only once the destructor below has asked the thread to quit.
    releaser = std::thread([&release] {
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      release.release();
    });
  }
  releaser.join();
  QCOMPARE(calls, std::vector<int>{1});
  QCOMPARE(Recorder::destroyed, destroyedBefore + 1);
}

void TestWorkerThread::quitAndWait_thenStart_keepsTheWorker() {
  std::vector<int> calls;
  WorkerThread<Recorder> thread(QStringLiteral("recorder"), &calls);
  Recorder* worker = thread.worker();
  thread.start();
  QSemaphore done;
  thread.post([worker, &done] {
    worker->record(1);
    done.release();
  });
  QVERIFY(done.tryAcquire(1, 10000));
  QVERIFY(thread.quitAndWait(QDeadlineTimer(10000)));
  QVERIFY(!thread.isRunning());
  thread.start();
  thread.post([worker, &done] {
    worker->record(2);
    done.release();
  });
  QVERIFY(done.tryAcquire(1, 10000));
  QCOMPARE(thread.worker(), worker);
  QCOMPARE(calls, (std::vector<int>{1, 2}));
}

QTEST_GUILESS_MAIN(TestWorkerThread)
#include "test_worker_thread.moc"
