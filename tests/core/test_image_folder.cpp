// images:DIR: every picture of a folder, centre-cropped, resized and scaled to [−1, 1];
// files that cannot be read are named in one error.
#include "core/data/dataset.h"
#include "core/data/image_file.h"
#include "core/data/image_folder.h"
#include "core/io/image_grid.h"
#include "core/util/error.h"

#include <QtTest>

#include <cstdio>
#include <fstream>

#include <jpeglib.h>

using namespace ddpm;

namespace {

// A w×h picture filled with one grey level (channels 1) or one colour (channels 3).
void write_png(const QString& path, std::int64_t w, std::int64_t h, std::int64_t channels,
               std::vector<std::uint8_t> value) {
  Image8 image{w, h, channels, {}};
  for (std::int64_t i = 0; i < w * h; ++i) image.pixels.insert(image.pixels.end(), value.begin(), value.end());
  const std::string png = encode_png(image);
  std::ofstream(path.toStdString(), std::ios::binary) << png;
}

// A w×h JPEG (libjpeg's encoder) filled with one value per component: 1 gray, 3 RGB, 4 CMYK.
std::string jpeg_bytes(int w, int h, std::vector<std::uint8_t> value) {
  jpeg_compress_struct cinfo{};
  jpeg_error_mgr err{};
  cinfo.err = jpeg_std_error(&err);
  jpeg_create_compress(&cinfo);
  unsigned char* out = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&cinfo, &out, &size);
  cinfo.image_width = static_cast<JDIMENSION>(w);
  cinfo.image_height = static_cast<JDIMENSION>(h);
  cinfo.input_components = static_cast<int>(value.size());
  cinfo.in_color_space = value.size() == 1 ? JCS_GRAYSCALE : value.size() == 3 ? JCS_RGB : JCS_CMYK;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, 95, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  std::vector<std::uint8_t> row;
  for (int x = 0; x < w; ++x) row.insert(row.end(), value.begin(), value.end());
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW p = row.data();
    jpeg_write_scanlines(&cinfo, &p, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  std::string bytes(reinterpret_cast<const char*>(out), size);
  std::free(out);
  return bytes;
}

void write_file(const QString& path, const std::string& bytes) {
  std::ofstream(path.toStdString(), std::ios::binary) << bytes;
}

QString load_error(const QString& path) {
  try {
    load_image_file(path.toStdString(), 8, 3);
  } catch (const Error& e) {
    return e.what();
  }
  return "(loaded)";
}

}  // namespace

class TestImageFolder : public QObject {
  Q_OBJECT

 private slots:
  void folder_loadsEveryPictureSortedAndScaled() {
    QTemporaryDir dir;
    write_png(dir.filePath("b_white.png"), 20, 10, 1, {255});
    write_png(dir.filePath("a_black.PNG"), 30, 30, 3, {0, 0, 0});
    write_png(dir.filePath("c_red.png"), 12, 40, 3, {255, 0, 0});
    std::ofstream(dir.filePath("notes.txt").toStdString()) << "not a picture";
    QCOMPARE(list_image_files(dir.path().toStdString()).size(), std::size_t(3));

    const auto gray = load_image_folder(dir.path().toStdString(), 8, 1);
    QCOMPARE(gray.sizes().vec(), (std::vector<std::int64_t>{3, 1, 8, 8}));
    QVERIFY(torch::allclose(gray[0], torch::full({1, 8, 8}, -1.0f)));  // a_black, sorted first
    QVERIFY(torch::allclose(gray[1], torch::full({1, 8, 8}, 1.0f)));   // b_white
    // Red in grayscale is its BT.601 luma, 0.299·255 = 76.2 → 76.
    QVERIFY(torch::allclose(gray[2], torch::full({1, 8, 8}, (76.0f - 127.5f) / 127.5f), 1e-5, 1e-5));

    const auto rgb = load_image_folder(dir.path().toStdString(), 8, 3);
    QCOMPARE(rgb.sizes().vec(), (std::vector<std::int64_t>{3, 3, 8, 8}));
    QVERIFY(torch::allclose(rgb[2][0], torch::ones({8, 8})));
    QVERIFY(torch::allclose(rgb[2][1], -torch::ones({8, 8})));
  }

  void dataset_isImagesInUnitRange() {
    QTemporaryDir dir;
    for (int i = 0; i < 4; ++i) write_png(dir.filePath(QString("%1.png").arg(i)), 16, 16, 1, {std::uint8_t(60 * i)});
    DataOptions options;
    options.image_size = 16;
    options.image_channels = 1;
    const Dataset data = load_dataset("images:" + dir.path().toStdString(), options);
    QCOMPARE(data.kind, DataKind::Images);
    QCOMPARE(data.sample_shape(), (std::vector<std::int64_t>{1, 16, 16}));
    QVERIFY(torch::allclose(data.normalisation.denormalise(data.x).round(),
                            torch::tensor({0.0f, 60.0f, 120.0f, 180.0f}).view({4, 1, 1, 1}).expand({4, 1, 16, 16})));
  }

  void unreadableFiles_areNamedTogether() {
    QTemporaryDir dir;
    write_png(dir.filePath("good.png"), 8, 8, 1, {100});
    std::ofstream(dir.filePath("broken.png").toStdString()) << "this is not a PNG";
    std::ofstream(dir.filePath("empty.jpg").toStdString());
    try {
      load_image_folder(dir.path().toStdString(), 8, 1);
      QFAIL("expected ddpm::Error");
    } catch (const Error& e) {
      const QString message = e.what();
      QVERIFY2(message.contains("2 of 3 files could not be read"), e.what());
      QVERIFY2(message.contains("broken.png") && message.contains("empty.jpg"), e.what());
      QVERIFY(!message.contains("good.png"));
    }
  }

  // JPEG goes through libjpeg-turbo (a corrupt JPEG once aborted the program inside stb).
  void jpeg_grayAndColourDecodeToTheirValues() {
    QTemporaryDir dir;
    write_file(dir.filePath("gray.jpg"), jpeg_bytes(24, 16, {100}));
    write_file(dir.filePath("colour.jpg"), jpeg_bytes(16, 16, {200, 40, 90}));
    // A flat picture survives JPEG within a few levels (quality 95; chroma is subsampled).
    const auto gray = load_image_file(dir.filePath("gray.jpg").toStdString(), 8, 3);
    QVERIFY(torch::allclose(gray, torch::full({1, 3, 8, 8}, (100.0f - 127.5f) / 127.5f), 0, 3.0 / 127.5));
    const auto colour = load_image_file(dir.filePath("colour.jpg").toStdString(), 8, 3);
    const auto expected = (torch::tensor({200.0f, 40.0f, 90.0f}).view({1, 3, 1, 1}) - 127.5f) / 127.5f;
    QVERIFY(torch::allclose(colour, expected.expand({1, 3, 8, 8}), 0, 4.0 / 127.5));
  }

  void jpeg_cutOffOrUnsupported_isAClearError() {
    QTemporaryDir dir;
    const std::string whole = jpeg_bytes(64, 64, {10, 200, 30});
    write_file(dir.filePath("cut.jpg"), whole.substr(0, whole.size() - 6));  // into the scan data
    QVERIFY2(load_error(dir.filePath("cut.jpg")).contains("JPEG data is corrupt or cut off"),
             qPrintable(load_error(dir.filePath("cut.jpg"))));
    write_file(dir.filePath("header-only.jpg"), whole.substr(0, 40));
    QVERIFY2(load_error(dir.filePath("header-only.jpg")).contains("corrupt JPEG file"),
             qPrintable(load_error(dir.filePath("header-only.jpg"))));
    write_file(dir.filePath("cmyk.jpg"), jpeg_bytes(8, 8, {0, 255, 255, 0}));
    QVERIFY2(load_error(dir.filePath("cmyk.jpg")).contains("cmyk.jpg"), qPrintable(load_error(dir.filePath("cmyk.jpg"))));
  }

  // PGM/PPM are read by our own decoder: stb 2.27 swapped 16-bit bytes, ignored maxval,
  // read past its buffer converting 16-bit channels (ASan) and filled a cut-off raster
  // from uninitialised memory.
  void pnm_16BitAndMaxvalScaleTo255() {
    QTemporaryDir dir;
    std::string pgm = "P5 4 4 65535\n";
    for (int i = 0; i < 16; ++i) pgm += std::string{char(0xC8), char(0xC8)};  // 0xC8C8 = 200 · 257
    write_file(dir.filePath("deep.pgm"), pgm);
    const auto deep = load_image_file(dir.filePath("deep.pgm").toStdString(), 4, 3);
    QVERIFY(torch::allclose(deep, torch::full({1, 3, 4, 4}, (200.0f - 127.5f) / 127.5f)));
    // maxval 100: 50 is half of full scale, 127.5 → 128; red 100 → 255, blue 0.
    std::string ppm = "P6\n# a comment\n2 2\n100\n";
    for (int i = 0; i < 4; ++i) ppm += std::string{char(100), char(50), char(0)};
    write_file(dir.filePath("scaled.ppm"), ppm);
    const auto scaled = load_image_file(dir.filePath("scaled.ppm").toStdString(), 2, 3);
    const auto expected = (torch::tensor({255.0f, 128.0f, 0.0f}).view({1, 3, 1, 1}) - 127.5f) / 127.5f;
    QVERIFY(torch::allclose(scaled, expected.expand({1, 3, 2, 2})));
  }

  void pnm_cutOffOrUnsupported_isAClearError() {
    QTemporaryDir dir;
    std::string pgm = "P5 4 4 255\n" + std::string(16, char(9));
    write_file(dir.filePath("short.pgm"), pgm.substr(0, pgm.size() - 1));
    QVERIFY2(load_error(dir.filePath("short.pgm")).contains("pixels are cut off (15 of 16 bytes)"),
             qPrintable(load_error(dir.filePath("short.pgm"))));
    write_file(dir.filePath("ascii.pgm"), "P2 2 2 255\n1 2 3 4\n");
    QVERIFY2(load_error(dir.filePath("ascii.pgm")).contains("binary PGM (P5) and PPM (P6) are supported"),
             qPrintable(load_error(dir.filePath("ascii.pgm"))));
    write_file(dir.filePath("huge.pgm"), "P5 99999999999 2 255\n");
    QVERIFY2(load_error(dir.filePath("huge.pgm")).contains("width is not a number of at most 9 digits"),
             qPrintable(load_error(dir.filePath("huge.pgm"))));
    write_file(dir.filePath("maxval.pgm"), "P5 1 1 0\n" + std::string(1, char(0)));
    QVERIFY2(load_error(dir.filePath("maxval.pgm")).contains("maxval 0 is outside"),
             qPrintable(load_error(dir.filePath("maxval.pgm"))));
  }

  void missingOrEmptyFolder_isAnError() {
    QVERIFY_THROWS_EXCEPTION(Error, list_image_files("/nonexistent/folder"));
    QTemporaryDir dir;
    try {
      list_image_files(dir.path().toStdString());
      QFAIL("expected ddpm::Error");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains("holds no PNG, JPEG"), e.what());
    }
  }
};

QTEST_GUILESS_MAIN(TestImageFolder)
#include "test_image_folder.moc"
