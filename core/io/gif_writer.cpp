#include "core/io/gif_writer.h"

#include "core/io/atomic_file.h"
#include "core/util/error.h"

#include <gif_lib.h>

#include <array>
#include <cstdlib>
#include <limits>

namespace ddpm {
namespace {

constexpr int kRedLevels = 6, kGreenLevels = 7, kBlueLevels = 6;  // the RGB colour cube

/// Level k of a channel with n levels: round(k·255/(n−1)).
int cube_level(int k, int levels) { return (k * 255 * 2 + (levels - 1)) / (2 * (levels - 1)); }

/// For every byte value, the index of the nearest of `levels` cube levels (ties go low).
std::array<std::uint8_t, 256> nearest_level_table(int levels) {
  std::array<std::uint8_t, 256> table{};
  for (int v = 0; v < 256; ++v) {
    int best = 0;
    for (int k = 1; k < levels; ++k)
      if (std::abs(cube_level(k, levels) - v) < std::abs(cube_level(best, levels) - v)) best = k;
    table[static_cast<std::size_t>(v)] = static_cast<std::uint8_t>(best);
  }
  return table;
}

/// The global palette: 256 greys, or the 6×7×6 cube (index (r·7 + g)·6 + b) padded with black.
ColorMapObject* make_palette(std::int64_t channels) {
  ColorMapObject* map = GifMakeMapObject(256, nullptr);
  if (!map) throw Error("GIF encoding failed: out of memory");
  for (int i = 0; i < 256; ++i) map->Colors[i] = GifColorType{0, 0, 0};
  if (channels == 1) {
    for (int i = 0; i < 256; ++i) {
      const auto v = static_cast<GifByteType>(i);
      map->Colors[i] = GifColorType{v, v, v};
    }
  } else {
    for (int r = 0; r < kRedLevels; ++r)
      for (int g = 0; g < kGreenLevels; ++g)
        for (int b = 0; b < kBlueLevels; ++b)
          map->Colors[(r * kGreenLevels + g) * kBlueLevels + b] =
              GifColorType{static_cast<GifByteType>(cube_level(r, kRedLevels)),
                           static_cast<GifByteType>(cube_level(g, kGreenLevels)),
                           static_cast<GifByteType>(cube_level(b, kBlueLevels))};
  }
  return map;
}

int append_bytes(GifFileType* gif, const GifByteType* data, int length) {
  static_cast<std::string*>(gif->UserData)->append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(length));
  return length;
}

int checked_delay(int delay) {
  if (delay < 0 || delay > 65535)
    throw Error("a GIF frame delay must be 0..65535 centiseconds, got " + std::to_string(delay));
  return delay;
}

}  // namespace

struct GifWriter::State {
  std::int64_t width = 0, height = 0, channels = 1;
  int delay = 0;
  std::int64_t frames = 0;
  std::string bytes;  // giflib appends here through append_bytes
  GifFileType* gif = nullptr;
  std::vector<GifPixelType> indices;

  ~State() { close(); }

  /// Closes the giflib handle (writing the trailer into `bytes`); returns giflib's error code.
  int close() {
    int error = E_GIF_SUCCEEDED;
    const bool ok = !gif || EGifCloseFile(gif, &error) == GIF_OK;  // frees the handle either way
    gif = nullptr;
    return ok ? E_GIF_SUCCEEDED : (error != E_GIF_SUCCEEDED ? error : E_GIF_ERR_CLOSE_FAILED);
  }

  [[noreturn]] void fail(const char* what) {
    const int code = gif ? gif->Error : E_GIF_SUCCEEDED;
    close();
    const char* reason = GifErrorString(code);
    throw Error(std::string("GIF encoding failed (") + what + "): " + (reason ? reason : "unknown giflib error"));
  }
};

GifWriter::GifWriter(std::int64_t width, std::int64_t height, std::int64_t channels, int frame_delay_centiseconds,
                     bool loop)
    : state_(std::make_unique<State>()) {
  if (width < 1 || height < 1 || width > 65535 || height > 65535)
    throw Error("a GIF must be 1..65535 pixels wide and high, got " + std::to_string(width) + "×" +
                std::to_string(height));
  if (channels != 1 && channels != 3)
    throw Error("a GIF frame must have 1 (grey) or 3 (RGB) channels, got " + std::to_string(channels));
  State& s = *state_;
  s.width = width;
  s.height = height;
  s.channels = channels;
  s.delay = checked_delay(frame_delay_centiseconds);
  s.indices.resize(static_cast<std::size_t>(width * height));

  int error = E_GIF_SUCCEEDED;
  s.gif = EGifOpen(&s.bytes, append_bytes, &error);
  if (!s.gif) {
    const char* reason = GifErrorString(error);
    throw Error(std::string("GIF encoding failed (open): ") + (reason ? reason : "unknown giflib error"));
  }
  EGifSetGifVersion(s.gif, true);  // GIF89a: needed for frame delays and the loop extension
  ColorMapObject* palette = make_palette(channels);
  const int ok = EGifPutScreenDesc(s.gif, static_cast<int>(width), static_cast<int>(height), 8, 0, palette);
  GifFreeMapObject(palette);  // giflib keeps its own copy
  if (ok == GIF_ERROR) s.fail("screen descriptor");

  if (loop) {
    // NETSCAPE2.0 application extension: sub-block 1, loop count 0 (little-endian) = forever.
    static const GifByteType kNetscape[] = {'N', 'E', 'T', 'S', 'C', 'A', 'P', 'E', '2', '.', '0'};
    static const GifByteType kLoopForever[] = {1, 0, 0};
    if (EGifPutExtensionLeader(s.gif, APPLICATION_EXT_FUNC_CODE) == GIF_ERROR ||
        EGifPutExtensionBlock(s.gif, sizeof kNetscape, kNetscape) == GIF_ERROR ||
        EGifPutExtensionBlock(s.gif, sizeof kLoopForever, kLoopForever) == GIF_ERROR ||
        EGifPutExtensionTrailer(s.gif) == GIF_ERROR)
      s.fail("loop extension");
  }
}

GifWriter::~GifWriter() = default;
GifWriter::GifWriter(GifWriter&&) noexcept = default;
GifWriter& GifWriter::operator=(GifWriter&&) noexcept = default;

std::int64_t GifWriter::frame_count() const { return state_ ? state_->frames : 0; }

void GifWriter::add_frame(const Image8& frame, int delay_centiseconds) {
  if (!state_ || !state_->gif) throw Error("GIF writer already finished (or failed)");
  State& s = *state_;
  if (frame.width != s.width || frame.height != s.height || frame.channels != s.channels)
    throw Error("every GIF frame must be " + std::to_string(s.width) + "×" + std::to_string(s.height) + "×" +
                std::to_string(s.channels) + " like the first, got " + std::to_string(frame.width) + "×" +
                std::to_string(frame.height) + "×" + std::to_string(frame.channels));
  const std::size_t count = s.indices.size();
  if (frame.pixels.size() != count * static_cast<std::size_t>(s.channels))
    throw Error("GIF frame has " + std::to_string(frame.pixels.size()) + " bytes, expected " +
                std::to_string(count * static_cast<std::size_t>(s.channels)));
  const int delay = delay_centiseconds < 0 ? s.delay : checked_delay(delay_centiseconds);

  if (s.channels == 1) {
    std::copy(frame.pixels.begin(), frame.pixels.end(), s.indices.begin());
  } else {
    static const auto red = nearest_level_table(kRedLevels);
    static const auto green = nearest_level_table(kGreenLevels);
    static const auto blue = nearest_level_table(kBlueLevels);
    const std::uint8_t* p = frame.pixels.data();
    for (std::size_t i = 0; i < count; ++i, p += 3)
      s.indices[i] = static_cast<GifPixelType>((red[p[0]] * kGreenLevels + green[p[1]]) * kBlueLevels + blue[p[2]]);
  }

  GraphicsControlBlock gcb{};
  gcb.DisposalMode = DISPOSE_DO_NOT;  // every frame covers the whole screen
  gcb.UserInputFlag = false;
  gcb.DelayTime = delay;
  gcb.TransparentColor = NO_TRANSPARENT_COLOR;
  GifByteType extension[4];
  const std::size_t length = EGifGCBToExtension(&gcb, extension);
  if (EGifPutExtension(s.gif, GRAPHICS_EXT_FUNC_CODE, static_cast<int>(length), extension) == GIF_ERROR)
    s.fail("frame delay");
  if (EGifPutImageDesc(s.gif, 0, 0, static_cast<int>(s.width), static_cast<int>(s.height), false, nullptr) ==
      GIF_ERROR)
    s.fail("image descriptor");
  for (std::int64_t y = 0; y < s.height; ++y)
    if (EGifPutLine(s.gif, s.indices.data() + y * s.width, static_cast<int>(s.width)) == GIF_ERROR)
      s.fail("image data");
  ++s.frames;
}

std::string GifWriter::finish() {
  if (!state_ || !state_->gif) throw Error("GIF writer already finished (or failed)");
  State& s = *state_;
  if (s.frames == 0) throw Error("a GIF needs at least one frame");
  const int error = s.close();
  if (error != E_GIF_SUCCEEDED) {
    const char* reason = GifErrorString(error);
    throw Error(std::string("GIF encoding failed (close): ") + (reason ? reason : "unknown giflib error"));
  }
  return std::move(s.bytes);
}

std::string encode_gif(const std::vector<Image8>& frames, int frame_delay_centiseconds,
                       int last_frame_delay_centiseconds, bool loop) {
  if (frames.empty()) throw Error("a GIF needs at least one frame");
  GifWriter writer(frames[0].width, frames[0].height, frames[0].channels, frame_delay_centiseconds, loop);
  for (std::size_t i = 0; i < frames.size(); ++i)
    writer.add_frame(frames[i], i + 1 == frames.size() ? last_frame_delay_centiseconds : -1);
  return writer.finish();
}

void write_gif(const std::string& path, const std::vector<Image8>& frames, int frame_delay_centiseconds,
               int last_frame_delay_centiseconds, bool loop) {
  write_file_atomically(path, encode_gif(frames, frame_delay_centiseconds, last_frame_delay_centiseconds, loop));
}

}  // namespace ddpm
