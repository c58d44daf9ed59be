#include "core/data/idx_file.h"

#include "core/util/error.h"

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <memory>

namespace ddpm {
namespace {

struct GzCloser {
  void operator()(gzFile_s* file) const { gzclose(file); }
};
using GzFile = std::unique_ptr<gzFile_s, GzCloser>;

// Reads up to `size` bytes; returns how many arrived. Throws on a zlib error (corrupt stream).
std::size_t read_some(gzFile file, void* buffer, std::size_t size, const std::string& path) {
  const int got = gzread(file, buffer, static_cast<unsigned>(size));
  if (got < 0) {
    int code = 0;
    const char* message = gzerror(file, &code);
    throw Error("'" + path + "' is corrupt: " + (message ? message : "gzip error"));
  }
  return static_cast<std::size_t>(got);
}

std::uint32_t big_endian(const unsigned char* bytes) {
  return (std::uint32_t(bytes[0]) << 24) | (std::uint32_t(bytes[1]) << 16) | (std::uint32_t(bytes[2]) << 8) |
         std::uint32_t(bytes[3]);
}

}  // namespace

IdxArray read_idx_file(const std::string& path, int expected_dims, std::int64_t max_bytes) {
  GzFile file(gzopen(path.c_str(), "rb"));
  if (!file) throw Error("cannot open '" + path + "': " + std::strerror(errno ? errno : ENOENT));

  unsigned char header[4];
  if (read_some(file.get(), header, 4, path) != 4) throw Error("'" + path + "' is truncated: no IDX header");
  if (header[0] != 0 || header[1] != 0 || header[2] != 0x08 || header[3] != expected_dims)
    throw Error("'" + path + "' is not an IDX file of unsigned bytes with " + std::to_string(expected_dims) +
                " dimensions (bad magic number)");

  IdxArray array;
  std::int64_t total = 1;
  for (int d = 0; d < expected_dims; ++d) {
    unsigned char size[4];
    if (read_some(file.get(), size, 4, path) != 4) throw Error("'" + path + "' is truncated inside its header");
    const std::int64_t dim = big_endian(size);
    if (dim == 0 || dim > max_bytes || total > max_bytes / dim)
      throw Error("'" + path + "' declares an implausible size (dimension " + std::to_string(d) + " = " +
                  std::to_string(dim) + ")");
    array.dims.push_back(dim);
    total *= dim;
  }

  // Grow with the data actually read, so a lying header cannot force a huge allocation.
  constexpr std::size_t kChunk = std::size_t(1) << 20;
  while (static_cast<std::int64_t>(array.data.size()) < total) {
    const std::size_t want = std::min<std::size_t>(kChunk, static_cast<std::size_t>(total) - array.data.size());
    const std::size_t start = array.data.size();
    array.data.resize(start + want);
    const std::size_t got = read_some(file.get(), array.data.data() + start, want, path);
    if (got < want)
      throw Error("'" + path + "' is truncated: header declares " + std::to_string(total) + " bytes of data, file has " +
                  std::to_string(start + got));
  }
  unsigned char extra;
  if (read_some(file.get(), &extra, 1, path) != 0)
    throw Error("'" + path + "' has data beyond what its header declares");
  // zlib hands out the data of a gzip stream cut off before its trailer (CRC and length)
  // and only flags it as Z_BUF_ERROR: the data could not be checked, so refuse it.
  int code = Z_OK;
  gzerror(file.get(), &code);
  if (code == Z_BUF_ERROR) throw Error("'" + path + "' is truncated: its gzip stream ends before its checksum");
  return array;
}

}  // namespace ddpm
