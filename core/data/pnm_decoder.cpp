// Binary PGM (P5) and PPM (P6), 8 or 16 bits per sample (Netpbm's format pages). Written
// here rather than left to stb_image 2.27, which reads 16-bit samples in the wrong byte
// order, ignores maxval, and fills a cut-off raster with whatever memory held.
#include "core/data/picture_decoders.h"

#include "core/util/error.h"

#include <cctype>
#include <cmath>
#include <cstdint>

namespace ddpm {
namespace {

// Reads the header's fields one after another: whitespace and # comments between them.
class PnmHeader {
 public:
  PnmHeader(const std::string& bytes, const std::string& path) : b_(bytes), path_(path) {}

  // A decimal field of at most 9 digits (so it fits an int).
  int number(const char* what) {
    skip_space_and_comments();
    const std::size_t start = at_;
    while (at_ < b_.size() && std::isdigit(static_cast<unsigned char>(b_[at_])) && at_ - start < 10) ++at_;
    if (at_ == start || at_ - start > 9 ||
        (at_ < b_.size() && !std::isspace(static_cast<unsigned char>(b_[at_])) && b_[at_] != '#'))
      fail(std::string("its ") + what + " is not a number of at most 9 digits");
    return std::stoi(b_.substr(start, at_ - start));
  }

  // After maxval exactly one whitespace byte, then the raster.
  std::size_t raster_start() {
    if (at_ >= b_.size() || !std::isspace(static_cast<unsigned char>(b_[at_]))) fail("its header is cut off");
    return at_ + 1;
  }

  [[noreturn]] void fail(const std::string& why) const {
    throw Error("cannot read image '" + path_ + "': " + why + " (a corrupt PGM/PPM file)");
  }

 private:
  void skip_space_and_comments() {
    while (at_ < b_.size()) {
      if (b_[at_] == '#') {
        while (at_ < b_.size() && b_[at_] != '\n' && b_[at_] != '\r') ++at_;
      } else if (std::isspace(static_cast<unsigned char>(b_[at_]))) {
        ++at_;
      } else {
        return;
      }
    }
  }

  const std::string& b_;
  const std::string& path_;
  std::size_t at_ = 2;  // after the magic number
};

}  // namespace

bool looks_like_pnm(const std::string& bytes) {
  return bytes.size() >= 2 && bytes[0] == 'P' && bytes[1] >= '1' && bytes[1] <= '7';
}

Rgba8Picture decode_pnm(const std::string& bytes, const std::string& path, const DeclaredSizeCheck& check) {
  PnmHeader header(bytes, path);
  if (bytes[1] != '5' && bytes[1] != '6')
    header.fail(std::string("it is a P") + bytes[1] + " file; binary PGM (P5) and PPM (P6) are supported");
  const int channels = bytes[1] == '5' ? 1 : 3;
  Rgba8Picture picture;
  picture.width = header.number("width");
  picture.height = header.number("height");
  const int maxval = header.number("maxval");
  if (picture.width < 1 || picture.height < 1) header.fail("it declares no pixels");
  if (maxval < 1 || maxval > 65535) header.fail("its maxval " + std::to_string(maxval) + " is outside 1..65535");
  check(picture.width, picture.height);

  const std::size_t start = header.raster_start();
  const std::size_t sample_bytes = maxval > 255 ? 2 : 1;
  const std::size_t pixels = std::size_t(picture.width) * std::size_t(picture.height);
  if (bytes.size() - start < pixels * channels * sample_bytes)
    header.fail("its pixels are cut off (" + std::to_string(bytes.size() - start) + " of " +
                std::to_string(pixels * channels * sample_bytes) + " bytes)");

  picture.rgba.resize(pixels * 4);
  const auto* in = reinterpret_cast<const unsigned char*>(bytes.data()) + start;
  for (std::size_t i = 0; i < pixels; ++i) {
    unsigned char* out = picture.rgba.data() + i * 4;
    for (int c = 0; c < channels; ++c, in += sample_bytes) {
      const unsigned sample = sample_bytes == 2 ? (unsigned(in[0]) << 8) | in[1] : in[0];  // big-endian
      const auto value = static_cast<unsigned char>(std::lround(std::min(sample, unsigned(maxval)) * 255.0 / maxval));
      if (channels == 1) {
        out[0] = out[1] = out[2] = value;
      } else {
        out[c] = value;
      }
    }
    out[3] = 255;
  }
  return picture;
}

}  // namespace ddpm
