#pragma once

#include <string>
#include <vector>

namespace ddpm {

/// A file a command reads, named for messages: {"--checkpoint", "/path/ck.safetensors"}.
struct NamedPath {
  std::string name;
  std::string path;
};

/// True when `a` and `b` name the same file: the same inode when both exist (links,
/// "./x" against "x"), else the same absolute, normalised path.
bool same_file(const std::string& a, const std::string& b);

/// No output may replace its own input: throws ddpm::Error "OUTPUT_NAME 'PATH' is the
/// INPUT_NAME this command reads; writing it would destroy it: choose another file"
/// when `output` is the same file as any of `inputs`. Empty paths are ignored.
void check_output_is_not_input(const NamedPath& output, const std::vector<NamedPath>& inputs);

}  // namespace ddpm
