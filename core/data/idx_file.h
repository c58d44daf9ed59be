#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ddpm {

/// An IDX array of unsigned bytes (the MNIST file format): dimensions and data.
struct IdxArray {
  std::vector<std::int64_t> dims;
  std::vector<std::uint8_t> data;
};

/// Reads a gzip-compressed (or plain) IDX file of unsigned bytes with zlib.
/// Checks the magic number (0x0000080D, D = expected_dims), that the data are exactly
/// as long as the header declares, and refuses declared sizes over `max_bytes`
/// before allocating. Throws ddpm::Error naming the file and the problem.
IdxArray read_idx_file(const std::string& path, int expected_dims, std::int64_t max_bytes = std::int64_t(1) << 30);

}  // namespace ddpm
