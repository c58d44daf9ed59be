#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ddpm {

/// The contents of a .safetensors file (the format of huggingface/safetensors):
/// named tensors plus a string-to-string `__metadata__` table.
///
/// Layout: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
/// {"name": {"dtype", "shape", "data_offsets": [begin, end]}, …, "__metadata__": {…}},
/// then the data buffer; offsets count from the buffer's start, tensors are
/// contiguous little-endian row-major and cover the buffer without gaps or overlaps.
/// Tensors read back are contiguous CPU tensors; names are kept sorted.
struct SafetensorsFile {
  std::map<std::string, torch::Tensor> tensors;      ///< name → tensor
  std::map<std::string, std::string> metadata;       ///< the `__metadata__` table
};

/// One tensor's header entry, as read from a file (before any data is read).
struct SafetensorsTensorInfo {
  std::string dtype;                 ///< "F32", "F16", "BF16", "I64", …
  std::vector<std::int64_t> shape;
  std::uint64_t begin = 0;           ///< data_offsets[0], relative to the buffer
  std::uint64_t end = 0;             ///< data_offsets[1]
};

/// A validated header: every tensor's entry plus the metadata, without the data.
struct SafetensorsHeader {
  std::map<std::string, SafetensorsTensorInfo> tensors;
  std::map<std::string, std::string> metadata;
  std::uint64_t header_length = 0;   ///< N, the JSON's size in bytes
  std::uint64_t file_size = 0;       ///< 8 + N + buffer size
};

/// Largest header accepted (the reference implementation's limit).
constexpr std::uint64_t kSafetensorsMaxHeaderLength = 100'000'000;

/// The format's dtype name for a torch dtype ("F32" for kFloat32, …); throws
/// ddpm::Error for a dtype the format has no name for.
std::string safetensors_dtype_name(torch::ScalarType dtype);

/// The whole file as bytes (header padded with spaces to a multiple of 8, tensors in
/// name order). Tensors may live on any device and have any layout.
std::string serialize_safetensors(const SafetensorsFile& file);

/// Writes `file` to `path` atomically (temporary file + rename): readers see the old
/// file or the complete new one. Throws ddpm::Error if it cannot be written.
void write_safetensors(const std::string& path, const SafetensorsFile& file);

/// Reads and validates the header only (cheap: the tensor data is not read).
/// `what` names what the file should be, for messages: a file that is not valid
/// gives ddpm::Error "'PATH' is not <what>: REASON", a cut-off one "'PATH' is truncated: …".
SafetensorsHeader read_safetensors_header(const std::string& path,
                                          const std::string& what = "a valid safetensors file");

/// Reads a whole file; validates the header completely before allocating anything.
/// Errors as for read_safetensors_header.
SafetensorsFile read_safetensors(const std::string& path,
                                 const std::string& what = "a valid safetensors file");

}  // namespace ddpm
