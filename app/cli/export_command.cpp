#include "core/checkpoint/checkpoint_export.h"
#include "core/checkpoint/shipped_checkpoints.h"
#include "app/cli/cli_support.h"
#include "app/cli/commands.h"

#include <cstdio>
#include <filesystem>
#include <memory>

namespace ddpm::cli {

void add_export_command(CLI::App& app) {
  struct Options {
    std::string checkpoint;
    std::string weights = "f32";
    bool drop_resume = false;
    std::string out;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand(
      "export", "Copy a checkpoint with its weights in another precision, optionally without resume data");
  command->add_option("--checkpoint", options->checkpoint, "Checkpoint (.safetensors) or shipped name")->required();
  command->add_option("--weights", options->weights, "Precision of the stored weights (loaded back as float32)")
      ->check(CLI::IsMember({"f32", "f16", "bf16"}))
      ->capture_default_str();
  command->add_flag("--drop-resume", options->drop_resume,
                    "Leave out the resume data (online weights, Adam state, RNG): a sampling-only file");
  command->add_option("--out", options->out, "File to write (.safetensors)")->required();

  command->callback([options] {
    const auto& o = *options;
    const std::string source = resolve_checkpoint(o.checkpoint);
    check_outputs({{"--out", o.out}}, {{"--checkpoint", source}});
    ExportOptions how;
    how.precision = weight_precision_from_string(o.weights);
    how.drop_resume = o.drop_resume;
    std::error_code error;
    const auto before = std::filesystem::file_size(source, error);
    const CheckpointData written = export_checkpoint(source, o.out, how);
    const auto after = std::filesystem::file_size(o.out, error);
    std::fprintf(stderr, "wrote %s: %s weights, %lld parameters, step %lld, %s; %.2f MB (from %.2f MB)\n",
                 o.out.c_str(), written.weights_dtype.c_str(), static_cast<long long>(written.weight_count),
                 static_cast<long long>(written.step), written.resumable ? "resume data kept" : "no resume data",
                 static_cast<double>(after) / 1e6, static_cast<double>(before) / 1e6);
  });
}

}  // namespace ddpm::cli
