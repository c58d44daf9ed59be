#pragma once

#include "core/checkpoint/checkpoint.h"

#include <string>

namespace ddpm {

/// What `ddpm export` writes.
struct ExportOptions {
  WeightPrecision precision = WeightPrecision::Float32;
  bool drop_resume = false;  ///< write a sampling-only file (no optimiser state, online weights or RNG)
};

/// Parses "f32" | "f16" | "bf16" (also "float32", "float16", "bfloat16"); throws ddpm::Error.
WeightPrecision weight_precision_from_string(const std::string& text);

/// Copies the checkpoint at `source` to `target` (atomically; the two may be the same
/// file) with its weights stored in options.precision. When the file keeps a float32
/// EMA copy in its resume data (16-bit weights), that copy is the one converted, so
/// f16 → f32 → f16 round trips lose nothing more. Metadata (model, schedule, data, step,
/// creation time) is kept. Returns the data as written. Throws ddpm::Error.
CheckpointData export_checkpoint(const std::string& source, const std::string& target, const ExportOptions& options);

}  // namespace ddpm
