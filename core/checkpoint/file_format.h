#pragma once

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

/// True when `path` is a readable safetensors file whose `format` is `format_name` (never throws).
bool has_format(const std::string& path, const char* format_name);

}  // namespace ddpm
