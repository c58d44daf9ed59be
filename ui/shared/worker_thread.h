#pragma once

#include <QDeadlineTimer>
#include <QMetaObject>
#include <QString>
#include <QThread>

#include <utility>

namespace ddpm::ui {

/// A worker object on its own named QThread, as Qt's mandelbrot example runs its
/// renderer: the session that owns this posts calls onto the thread (post), the worker
/// reports through queued signals, and shutdown is explicit: the destructor ends the
/// thread's event loop once the call in progress returns, waits for it, then deletes the
/// worker. Cancel the runs first (RunCancellation), so that the call in progress, and a
/// run queued behind it, return at once. The thread starts with start() and may
/// be stopped (quitAndWait) and started again; the worker stays.
template <class Worker>
class WorkerThread {
 public:
  /// Creates the worker from `args` and moves it to a thread named `name` (not started).
  template <class... Args>
  explicit WorkerThread(const QString& name, Args&&... args) : m_worker(new Worker(std::forward<Args>(args)...)) {
    m_thread.setObjectName(name);
    m_worker->moveToThread(&m_thread);
  }
  ~WorkerThread() {
    quitAndWait();
    delete m_worker;  // its thread has finished: no event of it is left to run
  }
  WorkerThread(const WorkerThread&) = delete;
  WorkerThread& operator=(const WorkerThread&) = delete;

  Worker* worker() const { return m_worker; }
  bool isRunning() const { return m_thread.isRunning(); }
  /// Starts the thread's event loop unless it runs already.
  void start() {
    if (!m_thread.isRunning()) m_thread.start();
  }
  /// Queues `call` on the worker's thread; it runs after the calls queued before it.
  template <class Call>
  void post(Call&& call) {
    QMetaObject::invokeMethod(m_worker, std::forward<Call>(call), Qt::QueuedConnection);
  }
  /// Ends the event loop once the call in progress returns and waits until the thread
  /// has finished or `deadline` passed; false when it had not finished by then.
  bool quitAndWait(QDeadlineTimer deadline = QDeadlineTimer(QDeadlineTimer::Forever)) {
    m_thread.quit();
    return m_thread.wait(deadline);
  }

 private:
  QThread m_thread;
  Worker* m_worker;  // lives on m_thread
};

}  // namespace ddpm::ui
