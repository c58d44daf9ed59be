// The animated GIF writer, checked by decoding its files with giflib's own reader
// (DGifSlurp): size, frame count, exact greys, RGB within the colour cube's half step,
// the NETSCAPE2.0 loop extension, frame delays, and errors that leave no file behind.
// Torch and core headers before <QtTest>: Qt's `slots` macro breaks ATen otherwise.
#include "core/io/gif_writer.h"
#include "core/util/error.h"

#include <gif_lib.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <random>

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

using namespace ddpm;

namespace {

/// A decoded GIF, closed automatically.
struct Decoded {
  GifFileType* gif = nullptr;
  ~Decoded() {
    int error = 0;
    if (gif) DGifCloseFile(gif, &error);
  }
};

/// Opens and fully reads `path`; fails the test (returns nullptr) on any giflib error.
std::unique_ptr<Decoded> decode(const std::string& path) {
  auto decoded = std::make_unique<Decoded>();
  int error = 0;
  decoded->gif = DGifOpenFileName(path.c_str(), &error);
  if (!decoded->gif) {
    qWarning("DGifOpenFileName: %s", GifErrorString(error));
    return nullptr;
  }
  if (DGifSlurp(decoded->gif) != GIF_OK) {
    qWarning("DGifSlurp: %s", GifErrorString(decoded->gif->Error));
    return nullptr;
  }
  return decoded;
}

/// RGB of pixel i of frame f, through the frame's own or the global colour map.
GifColorType pixel(const GifFileType* gif, int f, std::size_t i) {
  const SavedImage& image = gif->SavedImages[f];
  const ColorMapObject* map = image.ImageDesc.ColorMap ? image.ImageDesc.ColorMap : gif->SColorMap;
  return map->Colors[image.RasterBits[i]];
}

/// Whether the extension blocks hold NETSCAPE2.0 followed by sub-block {1, 0, 0} (loop forever).
bool has_loop_forever(const ExtensionBlock* blocks, int count) {
  for (int i = 0; i + 1 < count; ++i)
    if (blocks[i].Function == APPLICATION_EXT_FUNC_CODE && blocks[i].ByteCount == 11 &&
        std::memcmp(blocks[i].Bytes, "NETSCAPE2.0", 11) == 0) {
      const ExtensionBlock& data = blocks[i + 1];
      return data.Function == CONTINUE_EXT_FUNC_CODE && data.ByteCount == 3 && data.Bytes[0] == 1 &&
             data.Bytes[1] == 0 && data.Bytes[2] == 0;
    }
  return false;
}

bool gif_loops(const GifFileType* gif) {
  if (has_loop_forever(gif->ExtensionBlocks, gif->ExtensionBlockCount)) return true;
  for (int f = 0; f < gif->ImageCount; ++f)
    if (has_loop_forever(gif->SavedImages[f].ExtensionBlocks, gif->SavedImages[f].ExtensionBlockCount)) return true;
  return false;
}

Image8 grey_frame(std::int64_t width, std::int64_t height, int seed) {
  Image8 image;
  image.width = width;
  image.height = height;
  image.channels = 1;
  for (std::int64_t y = 0; y < height; ++y)
    for (std::int64_t x = 0; x < width; ++x)
      image.pixels.push_back(static_cast<std::uint8_t>((x * 37 + y * 11 + seed * 53) % 256));
  return image;
}

Image8 random_rgb_frame(std::int64_t width, std::int64_t height, std::mt19937& rng) {
  Image8 image;
  image.width = width;
  image.height = height;
  image.channels = 3;
  std::uniform_int_distribution<int> byte(0, 255);
  for (std::int64_t i = 0; i < width * height * 3; ++i) image.pixels.push_back(static_cast<std::uint8_t>(byte(rng)));
  return image;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

class TestGifWriter : public QObject {
  Q_OBJECT

 private slots:
  void greyFrames_decodeExactly();
  void rgbFrames_withinHalfCubeStep();
  void rgbCubeColours_areExact();
  void loopOption_addsNetscapeExtension();
  void delays_areAsSet();
  void mismatchedFrames_throwAndWriteNothing();
  void encodingError_keepsOldFile();
  void unwritablePath_throwsAndLeavesNoFile();
  void badArguments_throw();
};

void TestGifWriter::greyFrames_decodeExactly() {
  QTemporaryDir dir;
  const std::string path = dir.filePath("grey.gif").toStdString();
  std::vector<Image8> frames = {grey_frame(37, 9, 0), grey_frame(37, 9, 1), grey_frame(37, 9, 2)};
  write_gif(path, frames, 5);
  QCOMPARE(read_bytes(path).substr(0, 6), std::string("GIF89a"));

  const auto decoded = decode(path);
  QVERIFY(decoded);
  const GifFileType* gif = decoded->gif;
  QCOMPARE(gif->SWidth, 37);
  QCOMPARE(gif->SHeight, 9);
  QCOMPARE(gif->ImageCount, 3);
  for (int f = 0; f < 3; ++f) {
    QCOMPARE(gif->SavedImages[f].ImageDesc.Width, 37);
    QCOMPARE(gif->SavedImages[f].ImageDesc.Height, 9);
    for (std::size_t i = 0; i < frames[f].pixels.size(); ++i) {
      const GifColorType c = pixel(gif, f, i);
      const int expected = frames[f].pixels[i];
      if (c.Red != expected || c.Green != expected || c.Blue != expected)
        QFAIL(qPrintable(QString("frame %1 pixel %2: got (%3, %4, %5), expected grey %6")
                             .arg(f).arg(i).arg(c.Red).arg(c.Green).arg(c.Blue).arg(expected)));
    }
  }
}

// The cube has 6 red, 7 green, 6 blue levels spread over 0..255: steps of 51 (red, blue)
// and 42.5 (green), so the nearest level is at most 25 and 21 away (integers).
void TestGifWriter::rgbFrames_withinHalfCubeStep() {
  QTemporaryDir dir;
  const std::string path = dir.filePath("rgb.gif").toStdString();
  std::mt19937 rng(7);
  std::vector<Image8> frames = {random_rgb_frame(40, 30, rng), random_rgb_frame(40, 30, rng)};
  write_gif(path, frames, 10);
  const auto decoded = decode(path);
  QVERIFY(decoded);
  QCOMPARE(decoded->gif->ImageCount, 2);
  QCOMPARE(decoded->gif->SWidth, 40);
  QCOMPARE(decoded->gif->SHeight, 30);
  const int tolerance[3] = {25, 21, 25};
  int worst[3] = {0, 0, 0};
  for (int f = 0; f < 2; ++f)
    for (std::size_t i = 0; i < 40 * 30; ++i) {
      const GifColorType c = pixel(decoded->gif, f, i);
      const int got[3] = {c.Red, c.Green, c.Blue};
      for (int k = 0; k < 3; ++k) worst[k] = std::max(worst[k], std::abs(got[k] - frames[f].pixels[3 * i + k]));
    }
  for (int k = 0; k < 3; ++k) {
    QVERIFY2(worst[k] <= tolerance[k], qPrintable(QString("channel %1 error %2").arg(k).arg(worst[k])));
    // 2400 uniform values per channel: the worst case comes close to the bound.
    QVERIFY2(worst[k] >= tolerance[k] - 3, qPrintable(QString("channel %1 error only %2").arg(k).arg(worst[k])));
  }
}

void TestGifWriter::rgbCubeColours_areExact() {
  // Cube corners and levels, written independently: red/blue round(k·51), green round(k·42.5).
  const std::uint8_t colours[][3] = {{0, 0, 0}, {255, 255, 255}, {255, 0, 0}, {0, 255, 0},
                                     {0, 0, 255}, {51, 43, 204}, {102, 128, 153}, {204, 213, 51}};
  Image8 image;
  image.width = 8;
  image.height = 1;
  image.channels = 3;
  for (const auto& c : colours) image.pixels.insert(image.pixels.end(), c, c + 3);
  QTemporaryDir dir;
  const std::string path = dir.filePath("cube.gif").toStdString();
  write_gif(path, {image}, 0);
  const auto decoded = decode(path);
  QVERIFY(decoded);
  for (std::size_t i = 0; i < 8; ++i) {
    const GifColorType c = pixel(decoded->gif, 0, i);
    QCOMPARE(int(c.Red), int(colours[i][0]));
    QCOMPARE(int(c.Green), int(colours[i][1]));
    QCOMPARE(int(c.Blue), int(colours[i][2]));
  }
}

void TestGifWriter::loopOption_addsNetscapeExtension() {
  QTemporaryDir dir;
  const std::string looping = dir.filePath("loop.gif").toStdString();
  const std::string once = dir.filePath("once.gif").toStdString();
  const std::vector<Image8> frames = {grey_frame(4, 4, 0), grey_frame(4, 4, 1)};
  write_gif(looping, frames, 10, -1, true);
  write_gif(once, frames, 10, -1, false);
  const auto a = decode(looping), b = decode(once);
  QVERIFY(a && b);
  QVERIFY(gif_loops(a->gif));
  QVERIFY(!gif_loops(b->gif));
  QCOMPARE(b->gif->ImageCount, 2);
}

void TestGifWriter::delays_areAsSet() {
  QTemporaryDir dir;
  const std::string path = dir.filePath("delays.gif").toStdString();
  const std::vector<Image8> frames = {grey_frame(5, 3, 0), grey_frame(5, 3, 1), grey_frame(5, 3, 2)};
  write_gif(path, frames, 7, 150);
  auto decoded = decode(path);
  QVERIFY(decoded);
  const int expected[3] = {7, 7, 150};
  for (int f = 0; f < 3; ++f) {
    GraphicsControlBlock gcb{};
    QCOMPARE(DGifSavedExtensionToGCB(decoded->gif, f, &gcb), GIF_OK);
    QCOMPARE(gcb.DelayTime, expected[f]);
    QCOMPARE(gcb.TransparentColor, NO_TRANSPARENT_COLOR);
  }

  // A negative last delay means "the same as the others"; the streaming API's own override too.
  write_gif(path, frames, 12);
  decoded = decode(path);
  QVERIFY(decoded);
  GraphicsControlBlock last{};
  QCOMPARE(DGifSavedExtensionToGCB(decoded->gif, 2, &last), GIF_OK);
  QCOMPARE(last.DelayTime, 12);

  GifWriter writer(5, 3, 1, 4);
  writer.add_frame(frames[0]);
  writer.add_frame(frames[1], 33);
  QCOMPARE(writer.frame_count(), std::int64_t(2));
  const std::string bytes = writer.finish();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  decoded = decode(path);
  QVERIFY(decoded);
  GraphicsControlBlock first{}, second{};
  QCOMPARE(DGifSavedExtensionToGCB(decoded->gif, 0, &first), GIF_OK);
  QCOMPARE(DGifSavedExtensionToGCB(decoded->gif, 1, &second), GIF_OK);
  QCOMPARE(first.DelayTime, 4);
  QCOMPARE(second.DelayTime, 33);
}

void TestGifWriter::mismatchedFrames_throwAndWriteNothing() {
  QTemporaryDir dir;
  const QString path = dir.filePath("bad.gif");
  QVERIFY_THROWS_EXCEPTION(Error, write_gif(path.toStdString(), {grey_frame(4, 4, 0), grey_frame(5, 4, 1)}, 10));
  QVERIFY_THROWS_EXCEPTION(Error, write_gif(path.toStdString(), {grey_frame(4, 4, 0), grey_frame(4, 3, 1)}, 10));
  std::mt19937 rng(1);
  QVERIFY_THROWS_EXCEPTION(Error, write_gif(path.toStdString(), {grey_frame(4, 4, 0), random_rgb_frame(4, 4, rng)}, 10));
  Image8 short_pixels = grey_frame(4, 4, 0);
  short_pixels.pixels.pop_back();
  QVERIFY_THROWS_EXCEPTION(Error, write_gif(path.toStdString(), {grey_frame(4, 4, 0), short_pixels}, 10));
  QVERIFY(!QFile::exists(path));
  QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::System).size(), 0);
}

void TestGifWriter::encodingError_keepsOldFile() {
  QTemporaryDir dir;
  const std::string path = dir.filePath("kept.gif").toStdString();
  write_gif(path, {grey_frame(4, 4, 0)}, 10);
  const std::string before = read_bytes(path);
  QVERIFY(!before.empty());
  QVERIFY_THROWS_EXCEPTION(Error, write_gif(path, {grey_frame(4, 4, 0), grey_frame(3, 3, 0)}, 10));
  QCOMPARE(read_bytes(path), before);
}

void TestGifWriter::unwritablePath_throwsAndLeavesNoFile() {
  QTemporaryDir dir;
  // A folder that is really a file: no write can succeed, whoever runs the test (even root).
  const std::string blocker = dir.filePath("not-a-folder").toStdString();
  { std::ofstream(blocker) << "x"; }
  const std::string path = blocker + "/out.gif";
  try {
    write_gif(path, {grey_frame(4, 4, 0)}, 10);
    QFAIL("expected ddpm::Error");
  } catch (const Error& e) {
    QVERIFY2(std::string(e.what()).find("out.gif") != std::string::npos, e.what());
  }
  QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::System), QStringList{"not-a-folder"});
  QCOMPARE(read_bytes(blocker), std::string("x"));
  QVERIFY_THROWS_EXCEPTION(Error, write_gif(dir.filePath("missing/out.gif").toStdString(), {grey_frame(4, 4, 0)}, 10));
  QVERIFY(!QFile::exists(dir.filePath("missing")));
}

void TestGifWriter::badArguments_throw() {
  QVERIFY_THROWS_EXCEPTION(Error, encode_gif({}, 10));
  QVERIFY_THROWS_EXCEPTION(Error, encode_gif({grey_frame(4, 4, 0)}, -1));
  QVERIFY_THROWS_EXCEPTION(Error, encode_gif({grey_frame(4, 4, 0)}, 70000));
  QVERIFY_THROWS_EXCEPTION(Error, encode_gif({grey_frame(4, 4, 0)}, 10, 70000));
  QVERIFY_THROWS_EXCEPTION(Error, GifWriter(0, 4, 1, 10));
  QVERIFY_THROWS_EXCEPTION(Error, GifWriter(4, 70000, 1, 10));
  QVERIFY_THROWS_EXCEPTION(Error, GifWriter(4, 4, 4, 10));  // RGBA is not supported
  GifWriter writer(4, 4, 1, 10);
  QVERIFY_THROWS_EXCEPTION(Error, writer.finish());  // no frame yet
  writer.add_frame(grey_frame(4, 4, 0));
  QVERIFY(!writer.finish().empty());
  QVERIFY_THROWS_EXCEPTION(Error, writer.add_frame(grey_frame(4, 4, 0)));  // already finished
  QVERIFY_THROWS_EXCEPTION(Error, writer.finish());
}

QTEST_GUILESS_MAIN(TestGifWriter)
#include "test_gif_writer.moc"
