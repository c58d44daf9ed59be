#include "checkpoint/checkpoint.h"
#include "cli/commands.h"

#include <iostream>
#include <memory>

namespace ddpm::cli {

void add_info_command(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  auto* command = app.add_subcommand("info", "Print a checkpoint's metadata as JSON (reads the header only)");
  command->add_option("checkpoint", *path, "Checkpoint (.safetensors)")->required();
  command->callback([path] { std::cout << checkpoint_metadata_json(read_checkpoint_metadata(*path)) << '\n'; });
}

}  // namespace ddpm::cli
