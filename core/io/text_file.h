#pragma once

#include <cstddef>
#include <string>

namespace ddpm {

/// Whole file as bytes; throws ddpm::Error "cannot read <what> '<path>': <reason>".
/// Files larger than `max_bytes` are refused before reading, so a stray multi-GB file
/// cannot exhaust memory.
std::string read_text_file(const std::string& path, const std::string& what,
                           std::size_t max_bytes = std::size_t(256) << 20);

/// Parses all of `text` as a double (locale-independent, no trailing junk).
bool parse_double(const std::string& text, double& value);

}  // namespace ddpm
