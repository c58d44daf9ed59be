// stb_image, compiled here from Debian's libstb-dev header rather than called in libstb.so:
// Debian builds that library with assert() on, and a corrupt JPEG reaches one of its
// asserts (stbi__jpeg_huff_decode), which aborts the whole program. JPEG now goes to
// libjpeg-turbo (data/jpeg_decoder.cpp), because stb 2.27's Huffman decoder indexes its
// tables before that check. For the other formats every STBI_ASSERT throws instead of
// aborting; 7,000 fuzzed pictures (tests/core/test_fuzz_data_readers) reach none of them,
// and should one ever fire, the few blocks stb holds for that file leak rather than the
// program ending. STB_IMAGE_STATIC keeps these copies private to this file. Built without
// our warnings and without the precompiled header (core/CMakeLists.txt).
#include "core/data/picture_decoders.h"

#include "core/util/error.h"

#include <memory>

namespace {
struct StbCheckFailed {};
}  // namespace

#define STBI_ASSERT(x)                \
  do {                                \
    if (!(x)) throw StbCheckFailed{}; \
  } while (0)
#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#define STBI_NO_JPEG
#define STBI_NO_PSD
#define STBI_NO_PIC
#define STBI_NO_PNM  // data/pnm_decoder.cpp
#include <stb/stb_image.h>

namespace ddpm {
namespace {

// Gray, gray + alpha, RGB or RGBA pixels as RGBA.
std::vector<unsigned char> to_rgba(const stbi_uc* in, std::size_t pixels, int channels) {
  std::vector<unsigned char> out(pixels * 4);
  for (std::size_t i = 0; i < pixels; ++i, in += channels) {
    unsigned char* o = out.data() + i * 4;
    const bool gray = channels < 3;
    o[0] = in[0];
    o[1] = gray ? in[0] : in[1];
    o[2] = gray ? in[0] : in[2];
    o[3] = channels == 2 ? in[1] : channels == 4 ? in[3] : 255;
  }
  return out;
}

}  // namespace

Rgba8Picture decode_with_stb(const std::string& bytes, const std::string& path, const DeclaredSizeCheck& check) {
  const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
  const int length = static_cast<int>(bytes.size());
  Rgba8Picture picture;
  int file_channels = 0;
  try {
    if (!stbi_info_from_memory(data, length, &picture.width, &picture.height, &file_channels))
      throw Error("cannot read image '" + path + "': " + stbi_failure_reason() +
                  " (PNG, JPEG, BMP, GIF, TGA, PGM/PPM and HDR files are supported)");
    check(picture.width, picture.height);
    // In the file's own channels: stb 2.27 converts a 16-bit picture's channels as if it
    // were 8-bit and reads past its buffer (ASan found it with a PNM), so RGBA is made here.
    std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
        stbi_load_from_memory(data, length, &picture.width, &picture.height, &file_channels, 0), stbi_image_free);
    if (!pixels) throw Error("cannot read image '" + path + "': " + stbi_failure_reason());
    // stb accepts some headers that declare no pixels (a PNM cut off after its width).
    if (picture.width < 1 || picture.height < 1 || file_channels < 1 || file_channels > 4)
      throw Error("cannot read image '" + path + "': it declares " + std::to_string(picture.width) + "×" +
                  std::to_string(picture.height) + " pixels of " + std::to_string(file_channels) + " channels");
    picture.rgba = to_rgba(pixels.get(), std::size_t(picture.width) * picture.height, file_channels);
  } catch (const StbCheckFailed&) {
    throw Error("cannot read image '" + path + "': the file is corrupt (it fails a check inside the decoder)");
  }
  return picture;
}

}  // namespace ddpm
