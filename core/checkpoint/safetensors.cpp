#include "core/checkpoint/safetensors.h"

#include "core/io/atomic_file.h"
#include "core/util/error.h"
#include "core/util/shape_text.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>

namespace ddpm {
namespace {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "safetensors data is little-endian; this reader copies bytes as they are");

using Json = nlohmann::json;

constexpr const char* kMetadataKey = "__metadata__";

struct DtypeEntry {
  const char* name;
  torch::ScalarType dtype;
  std::uint64_t item_size;
};

// The dtypes LibTorch 1.13 and 2.x both have.
constexpr std::array<DtypeEntry, 10> kDtypes = {{
    {"F64", torch::kFloat64, 8},
    {"F32", torch::kFloat32, 4},
    {"F16", torch::kFloat16, 2},
    {"BF16", torch::kBFloat16, 2},
    {"I64", torch::kInt64, 8},
    {"I32", torch::kInt32, 4},
    {"I16", torch::kInt16, 2},
    {"I8", torch::kInt8, 1},
    {"U8", torch::kUInt8, 1},
    {"BOOL", torch::kBool, 1},
}};

// Valid in the format, but not something this build can hold in a tensor.
constexpr std::array<const char*, 5> kUnsupportedDtypes = {"U16", "U32", "U64", "F8_E4M3", "F8_E5M2"};

const DtypeEntry* find_dtype(const std::string& name) {
  for (const auto& entry : kDtypes)
    if (name == entry.name) return &entry;
  return nullptr;
}

// Builds the "'PATH' is not WHAT: …" and "'PATH' is truncated: …" sentences.
struct Problems {
  std::string path;
  std::string what;

  [[noreturn]] void invalid(const std::string& reason) const {
    throw Error("'" + path + "' is not " + what + ": " + reason);
  }
  [[noreturn]] void truncated(const std::string& reason) const {
    throw Error("'" + path + "' is truncated: " + reason + " (the file was cut off while being copied or written)");
  }
};

// A JSON number that is a non-negative integer, as uint64.
std::optional<std::uint64_t> as_count(const Json& value) {
  if (value.is_number_unsigned()) return value.get<std::uint64_t>();
  if (value.is_number_integer()) {
    const auto v = value.get<std::int64_t>();
    if (v >= 0) return static_cast<std::uint64_t>(v);
  }
  return std::nullopt;
}

SafetensorsTensorInfo parse_entry(const std::string& name, const Json& entry, const Problems& problems) {
  const std::string label = "tensor '" + name + "'";
  if (!entry.is_object()) problems.invalid("the header entry of " + label + " is not a JSON object");
  for (const char* key : {"dtype", "shape", "data_offsets"})
    if (!entry.contains(key)) problems.invalid(label + " has no \"" + std::string(key) + "\" in the header");

  SafetensorsTensorInfo info;
  const Json& dtype = entry.at("dtype");
  if (!dtype.is_string()) problems.invalid(label + " has a dtype that is not a string");
  info.dtype = dtype.get<std::string>();
  const DtypeEntry* known = find_dtype(info.dtype);
  if (!known) {
    for (const char* unsupported : kUnsupportedDtypes)
      if (info.dtype == unsupported)
        problems.invalid(label + " has dtype " + info.dtype + ", which DDPM Studio cannot read");
    problems.invalid(label + " has an unknown dtype '" + info.dtype + "'");
  }

  const Json& shape = entry.at("shape");
  if (!shape.is_array()) problems.invalid(label + " has a shape that is not a list");
  // Element count with an overflow guard: a real tensor never gets near 2^62 bytes.
  constexpr std::uint64_t kLimit = std::uint64_t{1} << 62;
  std::uint64_t bytes = known->item_size;
  for (const Json& dim : shape) {
    const auto size = as_count(dim);
    if (!size || *size > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
      problems.invalid(label + " has a shape entry that is not a non-negative integer");
    info.shape.push_back(static_cast<std::int64_t>(*size));
    if (*size != 0 && bytes > kLimit / *size) problems.invalid(label + " has an impossibly large shape");
    bytes *= *size;
  }

  const Json& offsets = entry.at("data_offsets");
  if (!offsets.is_array() || offsets.size() != 2)
    problems.invalid(label + " has data_offsets that are not a [begin, end] pair");
  const auto begin = as_count(offsets[0]);
  const auto end = as_count(offsets[1]);
  if (!begin || !end) problems.invalid(label + " has data_offsets that are not non-negative integers");
  if (*end < *begin) problems.invalid(label + " has data_offsets that end before they begin");
  info.begin = *begin;
  info.end = *end;
  if (info.end - info.begin != bytes)
    problems.invalid(label + " has shape " + shape_text(info.shape) + " of " + info.dtype + " (" +
                     std::to_string(bytes) + " bytes) but its data_offsets span " +
                     std::to_string(info.end - info.begin) + " bytes");
  return info;
}

// Validates the JSON header of a file of `file_size` bytes whose header is N bytes.
SafetensorsHeader parse_header(const std::string& text, std::uint64_t file_size, const Problems& problems) {
  SafetensorsHeader header;
  header.header_length = text.size();
  header.file_size = file_size;
  const std::uint64_t buffer_size = file_size - 8 - text.size();

  Json json;
  try {
    json = Json::parse(text);
  } catch (const Json::parse_error& e) {
    problems.invalid("its header is not valid JSON (error at byte " + std::to_string(e.byte) + " of " +
                     std::to_string(text.size()) + ")");
  } catch (const Json::exception&) {  // e.g. out_of_range for a number like 1e999
    problems.invalid("its header is not valid JSON (a number is out of range)");
  }
  if (!json.is_object()) problems.invalid("its header is not a JSON object");

  for (const auto& [key, value] : json.items()) {
    if (key == kMetadataKey) {
      if (!value.is_object()) problems.invalid("its __metadata__ is not a JSON object");
      for (const auto& [meta_key, meta_value] : value.items()) {
        if (!meta_value.is_string()) problems.invalid("its __metadata__ entry '" + meta_key + "' is not a string");
        header.metadata[meta_key] = meta_value.get<std::string>();
      }
      continue;
    }
    header.tensors[key] = parse_entry(key, value, problems);
  }

  // The tensors must tile the buffer exactly: sorted by offset, each starts where the
  // previous one ended, the first at 0.
  std::vector<std::pair<std::string, const SafetensorsTensorInfo*>> by_offset;
  for (const auto& [name, info] : header.tensors) by_offset.emplace_back(name, &info);
  std::sort(by_offset.begin(), by_offset.end(), [](const auto& a, const auto& b) {
    return std::make_pair(a.second->begin, a.second->end) < std::make_pair(b.second->begin, b.second->end);
  });
  std::uint64_t covered = 0;
  std::string previous;
  for (const auto& [name, info] : by_offset) {
    if (info->begin < covered)
      problems.invalid("the data of tensors '" + previous + "' and '" + name + "' overlap");
    if (info->begin > covered)
      problems.invalid("there are " + std::to_string(info->begin - covered) +
                       " unused bytes in the data before tensor '" + name + "'");
    covered = info->end;
    previous = name;
  }
  if (covered > buffer_size)
    problems.truncated("its tensors need " + std::to_string(covered) + " bytes of data but only " +
                       std::to_string(buffer_size) + " follow the header");
  if (covered < buffer_size)
    problems.invalid(std::to_string(buffer_size - covered) +
                     " bytes after the last tensor are not described by the header");
  return header;
}

std::uint64_t read_length_field(const unsigned char bytes[8]) {
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | bytes[i];
  return n;
}

// What a file that starts with these 8 bytes is, when it is a well-known other format
// (a picture renamed .safetensors, a PyTorch .pt): "a PNG image", or "" when unknown.
std::string known_other_format(const unsigned char (&b)[8]) {
  const auto starts = [&](const char* magic, std::size_t n) { return std::memcmp(b, magic, n) == 0; };
  if (starts("\x89PNG\r\n\x1a\n", 8)) return "a PNG image";
  if (starts("\xff\xd8\xff", 3)) return "a JPEG image";
  if (starts("GIF87a", 6) || starts("GIF89a", 6)) return "a GIF image";
  if (starts("PK\x03\x04", 4)) return "a ZIP archive (a PyTorch .pt or .pth file is one)";
  if (starts("\x1f\x8b", 2)) return "gzip-compressed data";
  if (starts("%PDF", 4)) return "a PDF document";
  if (starts("\x7f" "ELF", 4)) return "a program (ELF executable)";
  return {};
}

// Opens `path` and reads + validates its header; leaves `in` open for the data.
SafetensorsHeader open_and_read_header(const std::string& path, std::ifstream& in, const Problems& problems) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw Error("'" + path + "' is a folder, not a file");
  in.open(path, std::ios::binary);
  if (!in) throw Error("cannot read '" + path + "': " + std::strerror(errno));
  in.seekg(0, std::ios::end);
  const auto end_position = in.tellg();
  if (end_position < 0) throw Error("cannot read '" + path + "': it is not a regular file");
  const auto file_size = static_cast<std::uint64_t>(end_position);
  in.seekg(0, std::ios::beg);

  if (file_size == 0) problems.truncated("it is empty");
  if (file_size < 8)
    problems.truncated("it has only " + std::to_string(file_size) +
                       " bytes, fewer than the 8-byte header length that starts the format");
  unsigned char length_bytes[8];
  in.read(reinterpret_cast<char*>(length_bytes), 8);
  if (!in) throw Error("cannot read '" + path + "': read error");
  if (const std::string other = known_other_format(length_bytes); !other.empty())
    throw Error("'" + path + "' is " + other + ", not " + problems.what);
  const std::uint64_t header_length = read_length_field(length_bytes);
  if (header_length > kSafetensorsMaxHeaderLength)
    problems.invalid("its header length field says " + std::to_string(header_length) +
                     " bytes, more than the 100 MB a header may have");
  if (header_length > file_size - 8)
    problems.truncated("its header length field says " + std::to_string(header_length) + " bytes but only " +
                       std::to_string(file_size - 8) + " follow");
  if (header_length < 2) problems.invalid("its header is not a JSON object");

  std::string text(header_length, '\0');
  in.read(text.data(), static_cast<std::streamsize>(header_length));
  if (!in) throw Error("cannot read '" + path + "': read error");
  if (text.front() != '{') problems.invalid("its header is not a JSON object");
  return parse_header(text, file_size, problems);
}

}  // namespace

std::string safetensors_dtype_name(torch::ScalarType dtype) {
  for (const auto& entry : kDtypes)
    if (entry.dtype == dtype) return entry.name;
  throw Error(std::string("tensors of type ") + c10::toString(dtype) + " cannot be stored in a safetensors file");
}

std::string serialize_safetensors(const SafetensorsFile& file) {
  Json header = Json::object();
  std::vector<torch::Tensor> data;
  std::uint64_t offset = 0;
  for (const auto& [name, tensor] : file.tensors) {
    if (name == kMetadataKey) throw Error("a tensor cannot be called __metadata__ in a safetensors file");
    if (!tensor.defined()) throw Error("tensor '" + name + "' is empty (undefined) and cannot be saved");
    torch::Tensor cpu = tensor.detach().to(torch::kCPU).contiguous();
    const std::string dtype = safetensors_dtype_name(cpu.scalar_type());
    const auto bytes = static_cast<std::uint64_t>(cpu.numel()) * cpu.element_size();
    header[name] = {{"dtype", dtype}, {"shape", cpu.sizes().vec()}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
    data.push_back(cpu);
  }
  if (!file.metadata.empty()) header[kMetadataKey] = file.metadata;

  std::string text;
  try {
    text = header.dump();
  } catch (const Json::type_error&) {
    throw Error("a tensor name or metadata value is not valid UTF-8 text");
  }
  // Pad with spaces so the data starts 8-byte aligned (as the reference writer does).
  text.append((8 - text.size() % 8) % 8, ' ');

  std::string bytes;
  bytes.reserve(8 + text.size() + offset);
  const std::uint64_t n = text.size();
  for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  bytes += text;
  for (const auto& tensor : data)
    bytes.append(static_cast<const char*>(tensor.data_ptr()), tensor.numel() * tensor.element_size());
  return bytes;
}

void write_safetensors(const std::string& path, const SafetensorsFile& file) {
  write_file_atomically(path, serialize_safetensors(file));
}

SafetensorsHeader read_safetensors_header(const std::string& path, const std::string& what) {
  std::ifstream in;
  return open_and_read_header(path, in, Problems{path, what});
}

SafetensorsFile read_safetensors(const std::string& path, const std::string& what) {
  const Problems problems{path, what};
  std::ifstream in;
  const SafetensorsHeader header = open_and_read_header(path, in, problems);
  const std::uint64_t data_start = 8 + header.header_length;

  // Allocation is bounded by the file's real size: the header was checked to tile it.
  SafetensorsFile file;
  file.metadata = header.metadata;
  for (const auto& [name, info] : header.tensors) {
    const DtypeEntry* dtype = find_dtype(info.dtype);
    torch::Tensor tensor = torch::empty(info.shape, torch::TensorOptions().dtype(dtype->dtype));
    const std::uint64_t bytes = info.end - info.begin;
    if (bytes > 0) {
      in.seekg(static_cast<std::streamoff>(data_start + info.begin), std::ios::beg);
      in.read(static_cast<char*>(tensor.data_ptr()), static_cast<std::streamsize>(bytes));
      if (!in || static_cast<std::uint64_t>(in.gcount()) != bytes)
        problems.truncated("the data of tensor '" + name + "' ends early");
    }
    file.tensors.emplace(name, std::move(tensor));
  }
  return file;
}

}  // namespace ddpm
