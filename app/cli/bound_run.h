#pragma once

#include "core/checkpoint/checkpoint.h"
#include "core/jobs/bound_job.h"

#include <string>

namespace ddpm::cli {

/// Runs bound_on_data with a progress line labelled `label` and Ctrl-C as its cancel flag,
/// for `ddpm nll` and `ddpm figure rate-distortion`. Data of another shape than the
/// checkpoint's are a usage error (exit 2). A cancelled run returns with status Cancelled.
BoundJobResult run_bound_job(const CheckpointData& checkpoint, const BoundJobOptions& job, const std::string& label);

}  // namespace ddpm::cli
