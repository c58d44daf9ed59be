#include "core/training/train_options.h"

#include "core/runtime/device.h"

#include "core/runtime/precision.h"
#include "core/util/error.h"

#include <cmath>
#include <sstream>

namespace ddpm {
namespace {

std::string text(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

}  // namespace

void TrainOptions::validate() const {
  if (!std::isfinite(learning_rate) || learning_rate <= 0)
    throw Error("the learning rate must be a positive number, not " + text(learning_rate));
  if (batch_size < 1 || batch_size > 65536)
    throw Error("the batch size must be between 1 and 65536, not " + std::to_string(batch_size));
  if (warmup_steps < 0) throw Error("the warm-up steps must be 0 or more, not " + std::to_string(warmup_steps));
  if (!std::isfinite(grad_clip) || grad_clip < 0)
    throw Error("the gradient clipping norm must be 0 (off) or a positive number, not " + text(grad_clip));
  if (!(ema_decay >= 0 && ema_decay < 1))
    throw Error("the EMA decay must be in [0, 1), not " + text(ema_decay));
  if (loss != "simple" && loss != "bound") throw Error("unknown loss \"" + loss + "\"; valid losses: simple, bound");
  if (!(label_dropout >= 0 && label_dropout <= 1))
    throw Error("the label dropout must be a probability in [0, 1], not " + text(label_dropout));
  if (!is_device_choice(device)) throw Error("unknown device '" + device + "' (expected auto, cpu, cuda or cuda:N)");
  if (world_size < 1) throw Error("the world size must be 1 or more processes, not " + std::to_string(world_size));
  check_precision(precision);
  if (autosave_every < 0) throw Error("the autosave interval must be 0 (off) or more steps, not " + std::to_string(autosave_every));
  if (autosave_every > 0 && checkpoint_path.empty())
    throw Error("autosaving every " + std::to_string(autosave_every) + " steps needs a checkpoint path");
}

RunDefaults run_defaults_for(const std::string& preset) {
  if (preset == "mlp") return {3000, 256, 1e-3, 0.995};
  const TrainOptions paper;
  return {2000, 64, paper.learning_rate, paper.ema_decay};
}

}  // namespace ddpm
