#include "app/cli/bound_run.h"

#include "app/cli/cli_support.h"
#include "app/cli/interrupt.h"
#include "app/cli/progress_line.h"

#include <memory>

namespace ddpm::cli {

BoundJobResult run_bound_job(const CheckpointData& checkpoint, const BoundJobOptions& job, const std::string& label) {
  std::unique_ptr<ProgressLine> progress;
  try {
    BoundJobResult result = bound_on_data(
        checkpoint, job,
        [&](const BoundProgress& p) {
          if (!progress) progress = std::make_unique<ProgressLine>(label, p.total);
          progress->update(p.done);
        },
        &interrupt_flag());
    if (progress) progress->finish();
    return result;
  } catch (const DataMismatchError& e) {
    throw UsageError("--data " + e.spec() + " does not match the samples this checkpoint was trained on");
  }
}

}  // namespace ddpm::cli
