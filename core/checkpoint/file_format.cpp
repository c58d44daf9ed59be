#include "core/checkpoint/file_format.h"

#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/safetensors.h"
#include "core/util/error.h"

namespace ddpm {
namespace {

// What each DDPM Studio file is, by its `format`, for "it is a … ; pass …" messages.
std::string kind_of(const std::string& format) {
  if (format == "ddpm-studio") return "a diffusion checkpoint";
  if (format == "ddpm-studio-classifier") return "the quality score's classifier";
  if (format == "ddpm-studio-noisy-classifier") return "a noise-aware classifier (for guidance)";
  return "";
}

}  // namespace

void require_format(const std::string& path, const std::map<std::string, std::string>& metadata,
                    const FileFormat& format) {
  const auto invalid = [&](const std::string& reason) {
    throw Error("'" + path + "' is not " + format.what + ": " + reason);
  };
  const auto found = metadata.find("format");
  if (found == metadata.end()) invalid("it is a safetensors file without DDPM Studio metadata");
  if (found->second != format.name) {
    const std::string kind = kind_of(found->second);
    if (!kind.empty()) invalid("it is " + kind + "; pass " + format.example);
    invalid("its format is '" + found->second + "'");
  }
  const auto version = metadata.find("format_version");
  if (version == metadata.end() || version->second.empty() || version->second.size() > 9 ||
      version->second.find_first_not_of("0123456789") != std::string::npos || std::stoi(version->second) < 1)
    invalid("its format_version is missing or not a positive integer");
  if (std::stoi(version->second) > format.newest_version)
    throw Error("'" + path + "' was written by a newer DDPM Studio (" + format.name + " format " + version->second +
                "); update DDPM Studio to use it");
}

void write_module_file(const std::string& path, const torch::nn::Module& module, const FileFormat& format,
                       std::map<std::string, std::string> metadata) {
  SafetensorsFile file;
  for (const auto& [name, tensor] : named_weights(module)) {
    if (!torch::isfinite(tensor).all().item<bool>())
      throw Error("cannot save '" + path + "': the weight '" + name + "' is not finite");
    file.tensors.emplace(name, tensor);
  }
  file.metadata = std::move(metadata);
  file.metadata["format"] = format.name;
  file.metadata["format_version"] = std::to_string(format.newest_version);
  write_safetensors(path, file);
}

void read_module_weights(const std::string& path, torch::nn::Module& module, const FileFormat& format) {
  SafetensorsFile file = read_safetensors(path, format.what);
  NamedTensors weights;
  for (auto& [name, tensor] : file.tensors) {
    if (!tensor.is_floating_point())
      throw Error("'" + path + "' is not " + format.what + ": its tensor '" + name + "' is not floating point");
    weights.emplace(name, tensor.to(torch::kFloat32));
  }
  load_weights(module, weights, path);  // checks names, shapes, finiteness before copying
}

bool has_format(const std::string& path, const char* format_name) {
  try {
    const auto metadata = read_safetensors_header(path, "a DDPM Studio file").metadata;
    const auto format = metadata.find("format");
    return format != metadata.end() && format->second == format_name;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace ddpm
