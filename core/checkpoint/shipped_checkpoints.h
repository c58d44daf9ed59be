#pragma once

#include <string>
#include <vector>

namespace ddpm {

/// Environment variable naming a folder searched first for shipped checkpoints.
constexpr const char* kCheckpointDirVariable = "DDPM_CHECKPOINT_DIR";

/// A pretrained file that ships with DDPM Studio (resources/checkpoints/<name>.safetensors).
struct ShippedCheckpoint {
  std::string name;  ///< "fashion-mnist", "swissroll", "moons", "gaussians8", "fmnist-classifier", …
  std::string path;  ///< where it was found
};

/// The folders searched for shipped checkpoints, in order: $DDPM_CHECKPOINT_DIR (when
/// set), <folder of the running executable>/../share/ddpm-studio/checkpoints (an
/// installed build), and the source tree's resources/checkpoints (a build folder).
/// Folders that do not exist are listed too; the search skips them.
std::vector<std::string> shipped_checkpoint_dirs();

/// Every <name>.safetensors file in the search folders, one per name (the earliest
/// folder wins), sorted by name.
std::vector<ShippedCheckpoint> shipped_checkpoints();

/// True when `text` can only be a shipped checkpoint's name, not a path: non-empty,
/// letters, digits, '-', '_' and '.' only, and not ending in ".safetensors".
bool is_checkpoint_name(const std::string& text);

/// What a `--checkpoint` argument means: a regular file at that path wins; otherwise a
/// bare name (is_checkpoint_name) is looked up in the search folders and its path
/// returned. Any other argument is returned unchanged (so loading it reports the
/// missing file). An unknown name throws ddpm::Error listing the shipped names.
std::string resolve_checkpoint(const std::string& path_or_name);

}  // namespace ddpm
