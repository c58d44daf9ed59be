#include "ui/sampling/exploration_session.h"

#include <QElapsedTimer>
#include <QMetaObject>

#include <exception>

namespace ddpm::ui {

ExplorationSession::ExplorationSession(QObject* parent) : QObject(parent), m_context(new QObject) {
  qRegisterMetaType<SampleGrid>("ddpm::ui::SampleGrid");
  m_thread.setObjectName(QStringLiteral("sampling-explore"));
  m_context->moveToThread(&m_thread);
  connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
  m_thread.start();
}

ExplorationSession::~ExplorationSession() {
  cancel();
  m_thread.quit();
  m_thread.wait();
}

void ExplorationSession::cancel() {
  if (m_cancel) m_cancel->store(true);
  m_running = false;
}

void ExplorationSession::start(Job job) {
  cancel();
  m_cancel = std::make_shared<std::atomic<bool>>(false);
  const quint64 jobId = ++m_jobId;
  m_running = true;
  QMetaObject::invokeMethod(
      m_context,
      [this, jobId, flag = m_cancel, job = std::move(job)] {
        QElapsedTimer clock;
        clock.start();
        SampleGrid grid;
        QString error;
        try {
          if (!flag->load()) grid = job(flag.get());
        } catch (const std::exception& e) {  // ddpm::Error with a sentence, or anything torch throws
          error = QString::fromStdString(e.what());
        }
        const double seconds = clock.elapsed() / 1000.0;
        // Back on the GUI thread; a job that was cancelled or replaced is dropped there.
        QMetaObject::invokeMethod(
            this,
            [this, jobId, flag, grid = std::move(grid), error, seconds] {
              if (jobId != m_jobId || flag->load()) return;
              m_running = false;
              if (!error.isEmpty()) emit failed(error);
              else emit finished(grid, seconds);
            },
            Qt::QueuedConnection);
      },
      Qt::QueuedConnection);
}

}  // namespace ddpm::ui
