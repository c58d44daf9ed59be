// images:DIR: every picture of a folder, centre-cropped, resized and scaled to [−1, 1];
// files that cannot be read are named in one error.
#include "data/dataset.h"
#include "data/image_folder.h"
#include "io/image_grid.h"
#include "util/error.h"

#include <QtTest>

#include <fstream>

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
