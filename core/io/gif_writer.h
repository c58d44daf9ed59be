#pragma once

#include "core/io/image_grid.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ddpm {

/// Encodes an animated GIF (GIF89a, giflib) in memory, one frame at a time.
///
/// Every frame must have the size and channel count given to the constructor. Colours
/// go through one global 256-entry palette:
///  - grayscale (1 channel): the 256 grey levels, so grey values are exact;
///  - RGB (3 channels): a fixed 6×7×6 colour cube (red and blue levels round(k·255/5),
///    k = 0..5; green levels round(k·255/6), k = 0..6; 252 colours, green gets the extra
///    level because the eye is most sensitive to it), each channel mapped to its nearest
///    level, no dithering. The error per channel is at most half a cube step: ≤ 25 for
///    red and blue, ≤ 21 for green.
/// With `loop` the file carries the NETSCAPE2.0 extension (loop forever). Errors (bad
/// sizes, giflib failures) throw ddpm::Error. Movable, not copyable.
class GifWriter {
 public:
  /// Starts a GIF of `width` × `height` pixels with 1 or 3 channels; each frame shows for
  /// `frame_delay_centiseconds` (0..65535) unless add_frame says otherwise.
  GifWriter(std::int64_t width, std::int64_t height, std::int64_t channels, int frame_delay_centiseconds,
            bool loop = true);
  ~GifWriter();
  GifWriter(GifWriter&&) noexcept;
  GifWriter& operator=(GifWriter&&) noexcept;
  GifWriter(const GifWriter&) = delete;
  GifWriter& operator=(const GifWriter&) = delete;

  /// Appends a frame; `delay_centiseconds` < 0 uses the constructor's delay. Throws
  /// ddpm::Error when the frame's size or channels differ from the GIF's, or after finish().
  void add_frame(const Image8& frame, int delay_centiseconds = -1);
  /// Frames added so far.
  std::int64_t frame_count() const;
  /// Ends the GIF and returns its bytes; the writer is finished afterwards. Throws
  /// ddpm::Error when no frame was added.
  std::string finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// GIF bytes of `frames` (all the size of the first): each shown for
/// `frame_delay_centiseconds`, the last one for `last_frame_delay_centiseconds` (< 0: the
/// same), looping forever when `loop`. Throws ddpm::Error for no frames or mismatched sizes.
std::string encode_gif(const std::vector<Image8>& frames, int frame_delay_centiseconds,
                       int last_frame_delay_centiseconds = -1, bool loop = true);

/// Writes encode_gif(...) to `path` atomically (io/atomic_file.h): on any error the old
/// file, if any, is untouched and no partial file is left.
void write_gif(const std::string& path, const std::vector<Image8>& frames, int frame_delay_centiseconds,
               int last_frame_delay_centiseconds = -1, bool loop = true);

}  // namespace ddpm
