#include "core/checkpoint/shipped_checkpoints.h"

#include "core/util/error.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <system_error>

#ifndef DDPM_SOURCE_CHECKPOINT_DIR
#define DDPM_SOURCE_CHECKPOINT_DIR ""
#endif

namespace ddpm {
namespace {

namespace fs = std::filesystem;

const std::string kExtension = ".safetensors";

// <folder of the running executable>/../share/ddpm-studio/checkpoints, or "" when unknown.
std::string installed_dir() {
  std::error_code error;
  const fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (error || exe.empty()) return {};
  return (exe.parent_path().parent_path() / "share" / "ddpm-studio" / "checkpoints").lexically_normal().string();
}

bool is_regular_file(const std::string& path) {
  std::error_code error;
  return fs::is_regular_file(path, error);
}

}  // namespace

std::vector<std::string> shipped_checkpoint_dirs() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv(kCheckpointDirVariable); env && *env) dirs.emplace_back(env);
  if (std::string dir = installed_dir(); !dir.empty()) dirs.push_back(dir);
  if (std::string dir = DDPM_SOURCE_CHECKPOINT_DIR; !dir.empty()) dirs.push_back(dir);
  return dirs;
}

std::vector<ShippedCheckpoint> shipped_checkpoints() {
  std::map<std::string, std::string> found;
  for (const std::string& dir : shipped_checkpoint_dirs()) {
    std::error_code error;
    for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error)) {
      const fs::path& file = it->path();
      if (file.extension() != kExtension || !is_regular_file(file.string())) continue;
      const std::string name = file.stem().string();
      if (is_checkpoint_name(name)) found.emplace(name, file.string());  // emplace keeps the earlier folder's
    }
  }
  std::vector<ShippedCheckpoint> list;
  for (const auto& [name, path] : found) list.push_back({name, path});
  return list;
}

bool is_checkpoint_name(const std::string& text) {
  if (text.empty() || text == "." || text == "..") return false;
  if (text.size() >= kExtension.size() &&
      text.compare(text.size() - kExtension.size(), kExtension.size(), kExtension) == 0)
    return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.';
  });
}

std::string resolve_checkpoint(const std::string& path_or_name) {
  if (is_regular_file(path_or_name) || !is_checkpoint_name(path_or_name)) return path_or_name;
  for (const std::string& dir : shipped_checkpoint_dirs()) {
    const std::string candidate = (fs::path(dir) / (path_or_name + kExtension)).string();
    if (is_regular_file(candidate)) return candidate;
  }
  std::string message = "no file '" + path_or_name + "' and no shipped checkpoint of that name";
  const auto shipped = shipped_checkpoints();
  if (shipped.empty()) {
    message += " (no shipped checkpoints were found; searched";
    for (const std::string& dir : shipped_checkpoint_dirs()) message += " " + dir;
    message += "; set " + std::string(kCheckpointDirVariable) + " to their folder)";
  } else {
    message += "; shipped:";
    for (std::size_t i = 0; i < shipped.size(); ++i) message += (i ? ", " : " ") + shipped[i].name;
  }
  throw Error(message);
}

}  // namespace ddpm
