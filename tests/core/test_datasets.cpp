// Data sources: Fashion-MNIST from the Debian package (shapes, range, label counts),
// IDX files broken on purpose, the generated 2D sets and CSV point files.
#include "core/data/csv_points.h"
#include "core/data/dataset.h"
#include "core/data/fashion_mnist.h"
#include "core/data/idx_file.h"
#include "core/data/toy_2d.h"
#include "core/util/error.h"
#include "core_test_support.h"

#include <zlib.h>

#include <QtTest>

#include <cmath>
#include <fstream>

using namespace ddpm;

namespace {

void write_gz(const QString& path, const std::vector<unsigned char>& bytes) {
  gzFile file = gzopen(path.toLocal8Bit().constData(), "wb");
  QVERIFY(file);
  if (!bytes.empty()) gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(file);
}

std::vector<unsigned char> idx_header(unsigned char dims, std::vector<std::uint32_t> sizes) {
  std::vector<unsigned char> bytes = {0, 0, 0x08, dims};
  for (std::uint32_t s : sizes)
    for (int shift : {24, 16, 8, 0}) bytes.push_back(static_cast<unsigned char>(s >> shift));
  return bytes;
}

void write_text(const QString& path, const std::string& text) {
  std::ofstream out(path.toStdString());
  out << text;
}


DataOptions test_split() {
  DataOptions options;
  options.split = Split::Test;
  return options;
}

bool package_installed() {
  return QFile::exists(QString(kFashionMnistPackageDir) + "/t10k-images-idx3-ubyte.gz");
}

}  // namespace

class TestDatasets : public QObject {
  Q_OBJECT

 private slots:
  void fashionMnistTest_hasShapesRangeAndBalancedLabels() {
    if (!package_installed()) QSKIP("dataset-fashion-mnist is not installed");
    const Dataset d = load_dataset("fashion-mnist", test_split());
    QCOMPARE(d.kind, DataKind::Images);
    QCOMPARE(d.x.sizes().vec(), (std::vector<std::int64_t>{10000, 1, 28, 28}));
    QCOMPARE(d.x.scalar_type(), torch::kFloat32);
    QCOMPARE(d.x.min().item<float>(), -1.0f);
    QCOMPARE(d.x.max().item<float>(), 1.0f);
    const auto counts = torch::bincount(d.labels);
    QCOMPARE(counts.size(0), std::int64_t(10));
    QVERIFY(torch::all(counts == 1000).item<bool>());
    QCOMPARE(d.class_names.size(), std::size_t(10));
    // raw = denormalise(x) are the original byte values.
    const auto raw = d.normalisation.denormalise(d.x.narrow(0, 0, 10));
    QVERIFY(torch::allclose(raw, raw.round(), 0, 1e-3));
  }

  void fashionMnistTrain_has60000BalancedImages() {
    if (!package_installed()) QSKIP("dataset-fashion-mnist is not installed");
    const Dataset d = load_dataset("fashion-mnist", DataOptions());
    QCOMPARE(d.size(), std::int64_t(60000));
    QVERIFY(torch::all(torch::bincount(d.labels) == 6000).item<bool>());
    DataOptions limited;
    limited.limit = 100;
    QCOMPARE(load_dataset("fashion-mnist", limited).size(), std::int64_t(100));
  }

  void missingFashionMnist_namesThePackage() {
    DataOptions options;
    options.data_dir = "/nonexistent/folder";
    EXPECT_ERROR(load_dataset("fashion-mnist", options), "Install the Debian package dataset-fashion-mnist");
  }

  void brokenIdxFiles_giveClearErrors_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("fragment");
    auto pack = [](std::vector<unsigned char> v) { return QByteArray(reinterpret_cast<const char*>(v.data()), int(v.size())); };
    auto good = idx_header(3, {2, 2, 2});
    QTest::newRow("empty") << QByteArray() << "no IDX header";
    QTest::newRow("bad magic") << pack({0, 0, 0x09, 3, 0, 0, 0, 1}) << "bad magic number";
    QTest::newRow("wrong dims") << pack(idx_header(1, {4})) << "bad magic number";
    QTest::newRow("header cut") << pack({0, 0, 8, 3, 0, 0}) << "truncated inside its header";
    QTest::newRow("data cut") << pack(good) + QByteArray(5, 'x') << "header declares 8 bytes of data, file has 5";
    QTest::newRow("trailing") << pack(good) + QByteArray(9, 'x') << "data beyond what its header declares";
    QTest::newRow("huge size") << pack(idx_header(3, {0xFFFFFFF0u, 0xFFFFu, 28})) << "implausible size";
    QTest::newRow("zero size") << pack(idx_header(3, {0, 28, 28})) << "implausible size";
  }

  void brokenIdxFiles_giveClearErrors() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, fragment);
    QTemporaryDir dir;
    const QString path = dir.filePath("x.gz");
    write_gz(path, std::vector<unsigned char>(bytes.begin(), bytes.end()));
    try {
      read_idx_file(path.toStdString(), 3);
      QFAIL("expected ddpm::Error");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains(fragment), e.what());
      QVERIFY(QString(e.what()).contains(path));
    }
  }

  void corruptGzipStream_isReported() {
    QTemporaryDir dir;
    const QString path = dir.filePath("x.gz");
    std::vector<unsigned char> data = idx_header(3, {10, 28, 28});
    data.resize(data.size() + 7840, 7);
    write_gz(path, data);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadWrite));
    QByteArray compressed = file.readAll();
    for (int i = 20; i < compressed.size() - 8; i += 3) compressed[i] = char(compressed[i] ^ 0x5A);
    file.seek(0);
    file.write(compressed);
    file.close();
    QVERIFY_THROWS_EXCEPTION(Error, read_idx_file(path.toStdString(), 3));
  }

  void fashionMnistWithWrongImageSize_isRefused() {
    QTemporaryDir dir;
    auto images = idx_header(3, {1, 4, 4});
    images.resize(images.size() + 16, 0);
    write_gz(dir.filePath("t10k-images-idx3-ubyte.gz"), images);
    auto labels = idx_header(1, {1});
    labels.push_back(3);
    write_gz(dir.filePath("t10k-labels-idx1-ubyte.gz"), labels);
    DataOptions options = test_split();
    options.data_dir = dir.path().toStdString();
    EXPECT_ERROR(load_dataset("fashion-mnist", options), "Fashion-MNIST images are 28x28");
  }

  void toySets_areStandardisedAndSeeded_data() {
    QTest::addColumn<QString>("name");
    for (const char* name : {"swissroll", "moons", "gaussians8", "circles"}) QTest::newRow(name) << name;
  }

  void toySets_areStandardisedAndSeeded() {
    QFETCH(QString, name);
    DataOptions options;
    options.toy_points = 5000;
    options.seed = 9;
    const Dataset a = load_dataset(name.toStdString(), options);
    QCOMPARE(a.kind, DataKind::Points2D);
    QCOMPARE(a.x.sizes().vec(), (std::vector<std::int64_t>{5000, 2}));
    QVERIFY(a.x.mean(0).abs().max().item<double>() < 1e-5);
    QVERIFY((a.x.std(0, false) - 1).abs().max().item<double>() < 1e-5);
    QVERIFY(torch::equal(a.x, load_dataset(name.toStdString(), options).x));
    options.split = Split::Test;
    const Dataset test = load_dataset(name.toStdString(), options);
    QVERIFY(!torch::equal(a.x, test.x));
    QCOMPARE(test.normalisation, a.normalisation);  // both splits share the training coordinates
  }

  void gaussians8_pointsLieNearTheirCentres() {
    const auto points = make_toy_2d(Toy2dKind::Gaussians8, 8000, 0);
    int near = 0;
    for (std::int64_t i = 0; i < points.size(0); ++i) {
      double best = 1e9;
      for (int k = 0; k < 8; ++k) {
        const double dx = points[i][0].item<double>() - 2 * std::cos(k * M_PI / 4);
        const double dy = points[i][1].item<double>() - 2 * std::sin(k * M_PI / 4);
        best = std::min(best, std::hypot(dx, dy));
      }
      near += best < 0.5;  // 5σ of the 2D Gaussian radius
    }
    QCOMPARE(near, 8000);
  }

  void circles_haveTheirTwoRadii() {
    const auto points = make_toy_2d(Toy2dKind::Circles, 4000, 0);
    const auto radius = points.pow(2).sum(1).sqrt();
    const auto outer = radius.index({torch::indexing::Slice(0, torch::indexing::None, 2)});
    const auto inner = radius.index({torch::indexing::Slice(1, torch::indexing::None, 2)});
    QVERIFY(std::fabs(outer.mean().item<double>() - 1.0) < 0.01);
    QVERIFY(std::fabs(inner.mean().item<double>() - 0.5) < 0.01);
  }

  void csvPoints_acceptHeaderCommentsAndSeparators() {
    const auto p = parse_csv_points("x,y\n# comment\n1,2\n\n3.5;-4\n5\t6e-1\n", "p.csv");
    QCOMPARE(p.sizes().vec(), (std::vector<std::int64_t>{3, 2}));
    QVERIFY(torch::equal(p, torch::tensor({{1.0, 2.0}, {3.5, -4.0}, {5.0, 0.6}}, torch::kFloat64)));
  }

  void csvPoints_errorsNameTheLine_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("bad value") << "x,y\n1,2\n3,abc\n" << "p.csv:3: expected two numbers, got '3 abc'";
    QTest::newRow("four columns") << "1,2,3,4\n" << "p.csv:1: expected two numbers";
    QTest::newRow("one column") << "1,2\n7\n" << "p.csv:2:";
    QTest::newRow("empty") << "" << "p.csv: no points found";
    QTest::newRow("header only") << "x,y\n" << "no points found";
    QTest::newRow("not finite") << "x,y\n1,inf\n" << "p.csv:2: expected two numbers";
    QTest::newRow("beyond float32") << "x,y\n1,2\n-1e300,0\n" << "p.csv:3: -1e+300 is too large";
    QTest::newRow("just beyond float32") << "x,y\n3.5e38,0\n" << "p.csv:2: 3.5e+38 is too large";
  }

  // The largest accepted magnitudes standardise to finite numbers (a checkpoint keeps them).
  void csvPoints_largestValues_standardiseFinitely() {
    const auto p = parse_csv_points("x,y\n3.4e38,-3.4e38\n-3.4e38,3.4e38\n1,2\n", "p.csv");
    const Normalisation n = Normalisation::standardise(p);
    for (std::size_t i = 0; i < 2; ++i) {
      QVERIFY(std::isfinite(n.offset[i]));
      QVERIFY(std::isfinite(n.scale[i]));
    }
    QVERIFY(torch::isfinite(n.normalise(p)).all().item<bool>());
  }

  void csvPoints_errorsNameTheLine() {
    QFETCH(QString, text);
    QFETCH(QString, fragment);
    try {
      parse_csv_points(text.toStdString(), "p.csv");
      QFAIL("expected ddpm::Error");
    } catch (const Error& e) {
      QVERIFY2(QString(e.what()).contains(fragment), e.what());
    }
  }

  void csvLabels_areTheThirdColumn() {
    const CsvPoints p = parse_labelled_csv_points("x,y,label\n1,2,0\n# c\n3;4;2\n5\t6\t2\n", "p.csv");
    QVERIFY(torch::equal(p.points, torch::tensor({{1.0, 2.0}, {3.0, 4.0}, {5.0, 6.0}}, torch::kFloat64)));
    QVERIFY(torch::equal(p.labels, torch::tensor({0, 2, 2}, torch::kLong)));
    QVERIFY(!parse_labelled_csv_points("1,2\n3,4\n", "p.csv").labels.defined());
    // Without a header too; parse_csv_points keeps the points.
    QCOMPARE(parse_csv_points("1,2,7\n", "p.csv").sizes().vec(), (std::vector<std::int64_t>{1, 2}));
  }

  void csvLabels_errorsNameTheLine_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("fragment");
    QTest::newRow("fraction") << "x,y,label\n1,2,0\n3,4,1.5\n" << "p.csv:3: label '1.5' is not an integer";
    QTest::newRow("word") << "x,y,label\n1,2,dog\n" << "p.csv:2: label 'dog' is not an integer";
    QTest::newRow("negative") << "1,2,-1\n" << "p.csv:1: label -1 is negative";
    QTest::newRow("too large") << "1,2,1000\n" << "p.csv:1: label 1000 is too large";
    QTest::newRow("label missing") << "x,y,label\n1,2,0\n3,4\n" << "p.csv:3: expected two numbers and a label";
    QTest::newRow("label appears") << "1,2\n3,4,1\n" << "p.csv:2: expected two numbers, got '3 4 1'";
  }
  void csvLabels_errorsNameTheLine() {
    QFETCH(QString, text);
    QFETCH(QString, fragment);
    try {
      parse_labelled_csv_points(text.toStdString(), "p.csv");
      QFAIL("expected ddpm::FormatError");
    } catch (const FormatError& e) {
      QVERIFY2(QString(e.what()).contains(fragment), e.what());
    }
  }

  // Each generated set with classes labels point i with class i mod k, which is also the
  // part of the picture the point is drawn from.
  void toyLabels_matchTheirGeometry() {
    DataOptions options;
    options.toy_points = 800;
    const Dataset g8 = load_dataset("gaussians8", options);
    QCOMPARE(g8.classes(), std::int64_t(8));
    const auto raw = g8.normalisation.denormalise(g8.x.to(torch::kFloat64));
    for (std::int64_t i = 0; i < 800; i += 37) {
      const auto k = g8.labels[i].item<std::int64_t>();
      QCOMPARE(k, i % 8);
      const double dx = raw[i][0].item<double>() - 2 * std::cos(k * M_PI / 4);
      const double dy = raw[i][1].item<double>() - 2 * std::sin(k * M_PI / 4);
      QVERIFY(std::hypot(dx, dy) < 0.5);
    }
    const Dataset circles = load_dataset("circles", options);
    const auto radius = circles.normalisation.denormalise(circles.x.to(torch::kFloat64)).pow(2).sum(1).sqrt();
    QVERIFY(std::fabs(radius.masked_select(circles.labels.eq(0)).mean().item<double>() - 1.0) < 0.01);
    QVERIFY(std::fabs(radius.masked_select(circles.labels.eq(1)).mean().item<double>() - 0.5) < 0.01);
    QCOMPARE(circles.class_names, (std::vector<std::string>{"outer circle", "inner circle"}));
    const Dataset moons = load_dataset("moons", options);
    const auto y = moons.normalisation.denormalise(moons.x.to(torch::kFloat64)).select(1, 1);
    // The upper moon lies at y ≥ 0, the lower one at y ≤ 0.5, each within its noise.
    QVERIFY(y.masked_select(moons.labels.eq(0)).min().item<double>() > -0.25);
    QVERIFY(y.masked_select(moons.labels.eq(1)).max().item<double>() < 0.75);
    QVERIFY(!load_dataset("swissroll", options).labels.defined());
    QCOMPARE(load_dataset("swissroll", options).classes(), std::int64_t(0));
  }

  void labelledCsv_givesClassesAndOnlyClassSelects() {
    QTemporaryDir dir;
    const QString path = dir.filePath("labelled.csv");
    write_text(path, "x,y,label\n0,0,1\n1,1,0\n2,2,1\n3,3,3\n");
    const Dataset d = load_dataset("csv:" + path.toStdString());
    QCOMPARE(d.classes(), std::int64_t(4));  // 0..3, class 2 empty
    QCOMPARE(d.class_names.at(3), std::string("class 3"));
    const Dataset ones = only_class(d, 1);
    QCOMPARE(ones.size(), std::int64_t(2));
    QVERIFY(torch::allclose(ones.normalisation.denormalise(ones.x.to(torch::kFloat64)),
                            torch::tensor({{0.0, 0.0}, {2.0, 2.0}}, torch::kFloat64), 1e-6, 1e-5));
    EXPECT_ERROR(only_class(d, 2), "has no samples of class 2");
    EXPECT_ERROR(require_labels(load_dataset("swissroll")), "'swissroll' has no labels");
  }

  void csvDataset_roundTripsThroughNormalisation() {
    QTemporaryDir dir;
    const QString path = dir.filePath("points.csv");
    write_text(path, "x,y\n10,100\n20,300\n30,200\n");
    const Dataset d = load_dataset("csv:" + path.toStdString());
    QCOMPARE(d.size(), std::int64_t(3));
    QVERIFY(torch::allclose(d.normalisation.denormalise(d.x.to(torch::kFloat64)),
                            torch::tensor({{10.0, 100.0}, {20.0, 300.0}, {30.0, 200.0}}, torch::kFloat64), 1e-6, 1e-5));
    const QString out = dir.filePath("out.csv");
    write_csv_points(out.toStdString(), d.x);
    QVERIFY(torch::allclose(read_csv_points(out.toStdString()).to(torch::kFloat32), d.x, 1e-6, 1e-6));
  }

  void badSpecs_areRefused() {
    EXPECT_ERROR(parse_data_spec("mnist"), "unknown data 'mnist'");
    EXPECT_ERROR(parse_data_spec("csv"), "needs a path");
    EXPECT_ERROR(parse_data_spec("csv:"), "empty path");
    EXPECT_ERROR(parse_data_spec("http://x"), "unknown data");
    EXPECT_ERROR(load_dataset("csv:/nonexistent.csv"), "cannot read point file '/nonexistent.csv'");
    QCOMPARE(parse_data_spec("csv:/a:b.csv").path, std::string("/a:b.csv"));
  }
};

QTEST_GUILESS_MAIN(TestDatasets)
#include "test_datasets.moc"
