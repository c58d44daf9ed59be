#pragma once

#include <torch/torch.h>

#include <map>
#include <string>

namespace ddpm {

/// The `format` and `format_version` metadata every DDPM Studio file carries.
struct FileFormat {
  const char* name;     ///< the `format` value, e.g. "ddpm-studio-classifier"
  int newest_version;   ///< the newest format_version this build reads
  const char* what;     ///< "a DDPM Studio classifier", for messages
  const char* example;  ///< a file of this kind, for the hint when another kind is passed
};

/// Throws ddpm::Error naming `path` unless `metadata` marks a file of `format` whose version
/// this build reads: a file without DDPM Studio metadata, another DDPM Studio file (a
/// diffusion checkpoint where a classifier is wanted, …), a missing or bad version, or a
/// newer one (which asks to update DDPM Studio).
void require_format(const std::string& path, const std::map<std::string, std::string>& metadata,
                    const FileFormat& format);

/// Writes `module`'s weights as float32 (a weight that is not finite is an error naming
/// it, and nothing is written) with `metadata` plus `format`'s format and format_version,
/// as one .safetensors file, atomically. Throws ddpm::Error.
void write_module_file(const std::string& path, const torch::nn::Module& module, const FileFormat& format,
                       std::map<std::string, std::string> metadata);

/// Reads the weights of the file at `path` (floating point, taken as float32) into
/// `module`, with load_weights' checks of every name, shape and value first. Throws
/// ddpm::Error naming the file; `module` is untouched then.
void read_module_weights(const std::string& path, torch::nn::Module& module, const FileFormat& format);

/// True when `path` is a readable safetensors file whose `format` is `format_name` (never throws).
bool has_format(const std::string& path, const char* format_name);

}  // namespace ddpm
