#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/classifier_checkpoint.h"
#include "core/checkpoint/noisy_classifier_checkpoint.h"
#include "core/checkpoint/shipped_checkpoints.h"
#include "app/cli/commands.h"

#include <iostream>
#include <memory>

namespace ddpm::cli {

void add_info_command(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  auto* command = app.add_subcommand("info", "Print a checkpoint's metadata as JSON (reads the header only)");
  command->add_option("checkpoint", *path, "Checkpoint (.safetensors) or shipped name (see ddpm checkpoints)")->required();
  command->callback([path] {
    const std::string file = resolve_checkpoint(*path);
    if (is_classifier_file(file)) {  // the quality-score classifier ships beside the checkpoints
      std::cout << classifier_info_json(read_classifier_info(file)) << '\n';
      return;
    }
    if (is_noisy_classifier_file(file)) {  // and the noise-aware classifiers of guidance
      std::cout << noisy_classifier_info_json(read_noisy_classifier_info(file)) << '\n';
      return;
    }
    std::cout << checkpoint_metadata_json(read_checkpoint_metadata(file)) << '\n';
  });
}

}  // namespace ddpm::cli
