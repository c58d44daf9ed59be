#pragma once

#include <functional>
#include <string>
#include <vector>

namespace ddpm {

/// A decoded picture: 8-bit RGBA, row after row.
struct Rgba8Picture {
  int width = 0;
  int height = 0;
  std::vector<unsigned char> rgba;
};

/// Called with the size a file's header declares, before any pixel memory is allocated;
/// throws ddpm::Error to refuse the file.
using DeclaredSizeCheck = std::function<void(int width, int height)>;

/// True when the bytes start like a JPEG file (SOI marker).
bool looks_like_jpeg(const std::string& bytes);

/// JPEG through libjpeg-turbo. Corrupt or cut-off data is an error (libjpeg's own
/// warnings, which it would paper over with grey, are errors here). Throws ddpm::Error
/// naming `path`.
Rgba8Picture decode_jpeg(const std::string& bytes, const std::string& path, const DeclaredSizeCheck& check);

/// True when the bytes start like a Netpbm file (P1 … P7).
bool looks_like_pnm(const std::string& bytes);

/// Binary PGM (P5) and PPM (P6), 8- or 16-bit, samples scaled by 255 / maxval. Throws
/// ddpm::Error naming `path` for the other Netpbm kinds, a bad header or a cut-off raster.
Rgba8Picture decode_pnm(const std::string& bytes, const std::string& path, const DeclaredSizeCheck& check);

/// PNG, BMP, GIF (first frame), TGA and HDR through stb_image. Throws ddpm::Error naming
/// `path`; a failed internal check of stb's is an error, not an abort.
Rgba8Picture decode_with_stb(const std::string& bytes, const std::string& path, const DeclaredSizeCheck& check);

}  // namespace ddpm
