#include "core/data/picture_decoders.h"

#include "core/util/error.h"

#include <csetjmp>
#include <cstdio>  // jpeglib.h needs FILE declared first

#include <jpeglib.h>

namespace ddpm {
namespace {

// A progressive JPEG may hold any number of scans, each a full pass over the picture; real
// files have about ten. More than this is a decompression bomb, not a photo.
constexpr int kMaxScans = 100;

// libjpeg reports errors through error_exit, which must not return: the usual setjmp /
// longjmp pair brings control back to decode_jpeg (only C frames are skipped).
struct ErrorManager {
  jpeg_error_mgr base;  // first, so libjpeg's cinfo->err points at the whole struct
  std::jmp_buf escape;
  char message[JMSG_LENGTH_MAX] = {};
};

void exit_with_message(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->escape, 1);
}

// Warnings are counted (num_warnings) and refused after decoding, never printed.
void ignore_message(j_common_ptr) {}

void limit_scans(j_common_ptr cinfo) {
  const auto* d = reinterpret_cast<j_decompress_ptr>(cinfo);
  if (d->input_scan_number > kMaxScans) {
    auto* err = reinterpret_cast<ErrorManager*>(cinfo->err);
    std::snprintf(err->message, sizeof err->message, "more than %d progressive scans", kMaxScans);
    std::longjmp(err->escape, 1);
  }
}

// libjpeg's state, released however decoding ends (jpeg_destroy accepts a zeroed struct).
struct Decompression {
  jpeg_decompress_struct cinfo{};
  ErrorManager err;
  jpeg_progress_mgr progress{};
  Decompression() = default;
  Decompression(const Decompression&) = delete;
  Decompression& operator=(const Decompression&) = delete;
  ~Decompression() { jpeg_destroy_decompress(&cinfo); }
};

// Decodes into `picture`; false, with d.err.message, when libjpeg fails. Everything that
// changes after setjmp lives in the caller's frame, and only libjpeg's C frames lie
// between setjmp and longjmp.
bool decompress(Decompression& d, const std::string& bytes, Rgba8Picture& picture, const DeclaredSizeCheck& check) {
  d.cinfo.err = jpeg_std_error(&d.err.base);
  d.err.base.error_exit = exit_with_message;
  d.err.base.output_message = ignore_message;
  d.progress.progress_monitor = limit_scans;
  if (setjmp(d.err.escape)) return false;
  jpeg_create_decompress(&d.cinfo);
  d.cinfo.progress = &d.progress;
  jpeg_mem_src(&d.cinfo, reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&d.cinfo, TRUE);
  check(static_cast<int>(d.cinfo.image_width), static_cast<int>(d.cinfo.image_height));
  // libjpeg-turbo converts gray and YCbCr to RGBA itself; a CMYK file fails here, cleanly.
  d.cinfo.out_color_space = JCS_EXT_RGBA;
  jpeg_start_decompress(&d.cinfo);
  picture.width = static_cast<int>(d.cinfo.output_width);
  picture.height = static_cast<int>(d.cinfo.output_height);
  picture.rgba.resize(std::size_t(picture.width) * picture.height * 4);
  while (d.cinfo.output_scanline < d.cinfo.output_height) {
    JSAMPROW row = picture.rgba.data() + std::size_t(d.cinfo.output_scanline) * picture.width * 4;
    jpeg_read_scanlines(&d.cinfo, &row, 1);
  }
  jpeg_finish_decompress(&d.cinfo);
  return true;
}

}  // namespace

bool looks_like_jpeg(const std::string& bytes) {
  return bytes.size() >= 3 && static_cast<unsigned char>(bytes[0]) == 0xff &&
         static_cast<unsigned char>(bytes[1]) == 0xd8 && static_cast<unsigned char>(bytes[2]) == 0xff;
}

Rgba8Picture decode_jpeg(const std::string& bytes, const std::string& path, const DeclaredSizeCheck& check) {
  Rgba8Picture picture;
  Decompression d;
  if (!decompress(d, bytes, picture, check))
    throw Error("cannot read image '" + path + "': corrupt JPEG file (" + d.err.message + ")");
  if (d.err.base.num_warnings > 0)
    throw Error("cannot read image '" + path + "': the JPEG data is corrupt or cut off");
  return picture;
}

}  // namespace ddpm
