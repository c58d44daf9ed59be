#include "ui/shared/run_cancellation.h"

namespace ddpm::ui {

quint64 RunCancellation::next() {
  cancel();  // the run in progress, if any, stops at its next check
  return ++m_runId;
}

void RunCancellation::cancelUpTo(quint64 runId) {
  quint64 seen = m_cancelUpTo.load();
  while (seen < runId && !m_cancelUpTo.compare_exchange_weak(seen, runId)) {
  }
  // Either this sees the run already begun and raises core's flag, or beginRun sees the
  // new m_cancelUpTo (both sides use sequentially consistent atomics).
  if (m_current.load() <= runId) m_cancel.store(true);
}

const std::atomic<bool>* RunCancellation::beginRun(quint64 runId) {
  m_cancel.store(false);
  m_current.store(runId);
  if (isCancelled(runId)) m_cancel.store(true);
  return &m_cancel;
}

}  // namespace ddpm::ui
