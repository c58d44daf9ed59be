#include "core/checkpoint/checkpoint_export.h"

#include "core/util/error.h"

namespace ddpm {

WeightPrecision weight_precision_from_string(const std::string& text) {
  if (text == "f32" || text == "float32") return WeightPrecision::Float32;
  if (text == "f16" || text == "float16") return WeightPrecision::Float16;
  if (text == "bf16" || text == "bfloat16") return WeightPrecision::BFloat16;
  throw Error("unknown weight precision '" + text + "' (use f32, f16 or bf16)");
}

CheckpointData export_checkpoint(const std::string& source, const std::string& target, const ExportOptions& options) {
  CheckpointData data = load_checkpoint(source);
  if (!data.resume.ema_weights.empty()) {
    data.weights = data.resume.ema_weights;  // the float32 EMA behind 16-bit stored weights
    data.resume.ema_weights.clear();
  }
  if (options.drop_resume) data.resume = ResumeState{};
  save_checkpoint(target, data, options.precision);
  data.weights_dtype = options.precision == WeightPrecision::Float32   ? "F32"
                       : options.precision == WeightPrecision::Float16 ? "F16"
                                                                       : "BF16";
  data.resumable = !data.resume.empty();
  data.source = target;
  return data;
}

}  // namespace ddpm
