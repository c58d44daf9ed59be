#include "core/data/image_file.h"

#include "core/data/picture_decoders.h"
#include "core/util/error.h"

#include <stb/stb_image_resize.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

namespace ddpm {
namespace {

// Checked before decoding, so a huge or hostile file cannot exhaust memory: 64 megapixels
// (256 MB as RGBA) covers any camera photo.
constexpr long long kMaxImagePixels = 64LL * 1000 * 1000;
// Decoded bytes (RGBA) accepted whatever the file size (a 2048² picture), and per file byte beyond that.
constexpr double kAlwaysAcceptedBytes = 16.0 * 1024 * 1024;
constexpr double kMaxBytesPerFileByte = 1032.0;
// Largest picture file read (stb takes an int length).
constexpr std::uintmax_t kMaxImageFileBytes = std::uintmax_t{1} << 30;

std::string read_image_bytes(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw Error("cannot read image '" + path + "': " + ec.message());
  if (size > kMaxImageFileBytes)
    throw Error("image '" + path + "' is " + std::to_string(size) + " bytes; at most 1 GiB is accepted");
  std::ifstream in(path, std::ios::binary);
  std::string bytes(static_cast<std::size_t>(size), '\0');
  if (!in || !in.read(bytes.data(), static_cast<std::streamsize>(size)))
    throw Error("cannot read image '" + path + "': read error");
  return bytes;
}

std::uint32_t big_endian_u32(const std::string& b, std::size_t at) {
  return (std::uint32_t(static_cast<unsigned char>(b[at])) << 24) |
         (std::uint32_t(static_cast<unsigned char>(b[at + 1])) << 16) |
         (std::uint32_t(static_cast<unsigned char>(b[at + 2])) << 8) | std::uint32_t(static_cast<unsigned char>(b[at + 3]));
}

// stb trusts a PNG chunk's declared length and allocates it before reading (a flipped
// bit can ask for 2 GB), and it ignores the CRCs. Walk the chunks first: each must fit
// in the file and match its CRC-32 (PNG spec, section 5.3), as libpng requires.
void check_png_chunks(const std::string& b, const std::string& path) {
  static const char kSignature[] = "\x89PNG\r\n\x1a\n";
  if (b.size() < 8 || b.compare(0, 8, kSignature, 8) != 0) return;  // not a PNG
  std::size_t at = 8;
  while (at < b.size()) {
    if (b.size() - at < 12) throw Error("image '" + path + "' is a cut-off PNG file");
    const std::uint32_t length = big_endian_u32(b, at);
    if (length > b.size() - at - 12) throw Error("image '" + path + "' is a cut-off or corrupt PNG file");
    const std::string type = b.substr(at + 4, 4);
    const auto crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(b.data() + at + 4), length + 4);
    if (crc != big_endian_u32(b, at + 8 + length))
      throw Error("image '" + path + "' is a corrupt PNG file (chunk " + type + " fails its checksum)");
    at += 12 + length;
    if (type == "IEND") return;
  }
  throw Error("image '" + path + "' is a cut-off PNG file (no IEND chunk)");
}

}  // namespace

torch::Tensor load_image_file(const std::string& path, std::int64_t size, std::int64_t channels) {
  if (channels != 1 && channels != 3)
    throw Error("an image can be loaded with 1 or 3 channels, not " + std::to_string(channels));
  if (size < 1 || size > 1024) throw Error("image size must be between 1 and 1024, got " + std::to_string(size));
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw Error("cannot open image '" + path + "': no such file");

  const std::string file_bytes = read_image_bytes(path);
  check_png_chunks(file_bytes, path);
  const DeclaredSizeCheck refuse_huge = [&](int width, int height) {
    if (static_cast<long long>(width) * height > kMaxImagePixels)
      throw Error("image '" + path + "' is " + std::to_string(width) + "×" + std::to_string(height) +
                  " pixels; at most 64 megapixels are accepted");
    // Decoders allocate width × height × 4 bytes from the header before they read the pixels,
    // so a few corrupt header bytes could ask for 256 MB. Beyond a 2048² picture, refuse a
    // header that declares more than 1032 decoded bytes per file byte (deflate's limit, so no
    // PNG can; photos pack about 10:1; only huge flat synthetic GIFs or JPEGs could exceed it).
    if (4.0 * width * height > kAlwaysAcceptedBytes + kMaxBytesPerFileByte * static_cast<double>(file_bytes.size()))
      throw Error("image '" + path + "' declares " + std::to_string(width) + "×" + std::to_string(height) +
                  " pixels, more than its " + std::to_string(file_bytes.size()) +
                  " bytes can hold; the file is corrupt or cut off");
  };
  const Rgba8Picture picture = looks_like_jpeg(file_bytes)  ? decode_jpeg(file_bytes, path, refuse_huge)
                               : looks_like_pnm(file_bytes) ? decode_pnm(file_bytes, path, refuse_huge)
                                                            : decode_with_stb(file_bytes, path, refuse_huge);
  const int width = picture.width, height = picture.height;

  // Centre square, composited over white, in the requested channels.
  const int side = std::min(width, height);
  const int left = (width - side) / 2, top = (height - side) / 2;
  const int c = static_cast<int>(channels);
  std::vector<unsigned char> square(static_cast<std::size_t>(side) * side * c);
  for (int y = 0; y < side; ++y) {
    for (int x = 0; x < side; ++x) {
      const unsigned char* p = picture.rgba.data() + (static_cast<std::size_t>(top + y) * width + (left + x)) * 4;
      const double a = p[3] / 255.0;
      double rgb[3];
      for (int k = 0; k < 3; ++k) rgb[k] = a * p[k] + (1.0 - a) * 255.0;
      unsigned char* out = square.data() + (static_cast<std::size_t>(y) * side + x) * c;
      if (c == 1) {
        out[0] = static_cast<unsigned char>(std::lround(0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]));
      } else {
        for (int k = 0; k < 3; ++k) out[k] = static_cast<unsigned char>(std::lround(rgb[k]));
      }
    }
  }

  const int n = static_cast<int>(size);
  std::vector<unsigned char> resized(static_cast<std::size_t>(n) * n * c);
  if (!stbir_resize_uint8(square.data(), side, side, 0, resized.data(), n, n, 0, c))
    throw Error("cannot resize image '" + path + "'");

  // [H, W, C] bytes → [1, C, H, W] in [−1, 1]: (v − 127.5) / 127.5, as for Fashion-MNIST.
  auto bytes = torch::from_blob(resized.data(), {n, n, c}, torch::kUInt8);
  return ((bytes.permute({2, 0, 1}).to(torch::kFloat32) - 127.5) / 127.5).unsqueeze(0).contiguous();
}

}  // namespace ddpm
