#pragma once

#include <QtGlobal>

#include <atomic>

namespace ddpm::ui {

/// Numbered runs of a session and their cancellation, shared between the session (GUI
/// thread) and the worker that runs them (its own thread, see WorkerThread). The session
/// numbers each run with next(), which first cancels the run before it, and drops what a
/// run sends once isCurrent() is false for its id. A run is cancelled once cancelUpTo()
/// covered its id, so a run still queued behind a newer start is cancelled before it
/// begins. The worker calls beginRun() when a run begins and hands the flag it returns to
/// core (reverse process, bound, trainer), which stops on it between network calls.
class RunCancellation {
 public:
  /// GUI thread: the id of the latest run (0 before the first).
  quint64 current() const { return m_runId; }
  /// GUI thread: whether `runId` is the latest run (older runs' reports are stale).
  bool isCurrent(quint64 runId) const { return runId == m_runId; }
  /// GUI thread: cancels the latest run and returns the id of a new one.
  quint64 next();
  /// GUI thread: the latest run stops at its next check (a run not begun never starts).
  void cancel() { cancelUpTo(m_runId); }

  /// Thread-safe: every run with id ≤ runId stops at its next check.
  void cancelUpTo(quint64 runId);
  /// Thread-safe.
  bool isCancelled(quint64 runId) const { return runId <= m_cancelUpTo.load(); }

  /// Worker thread, as run `runId` begins: core's cancel flag for it, already true when
  /// the run was cancelled before it began, set later by cancelUpTo() covering its id.
  /// One run at a time: the flag is reused by the next beginRun().
  const std::atomic<bool>* beginRun(quint64 runId);

 private:
  quint64 m_runId = 0;  // GUI thread only
  std::atomic<quint64> m_cancelUpTo{0};
  std::atomic<quint64> m_current{0};  // the run that began last
  std::atomic<bool> m_cancel{false};  // core's flag for the run in m_current
};

}  // namespace ddpm::ui
