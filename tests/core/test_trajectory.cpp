// Trajectory pictures: the scatter plot renderer (where points land, what it skips), the
// choice of frame steps, the recorder driven by a real reverse process, and writing the
// frames as PNG files or one GIF.
// Torch and core headers before <QtTest>: Qt's `slots` macro breaks ATen otherwise.
#include "core/diffusion/gaussian_diffusion.h"
#include "core/io/scatter_image.h"
#include "oracle_denoiser.h"
#include "core/sampling/reverse_process.h"
#include "core/sampling/trajectory.h"
#include "core/util/error.h"
#include "core_test_support.h"

#include <torch/torch.h>

#include <cmath>
#include <fstream>
#include <limits>

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

using namespace ddpm;

Q_DECLARE_METATYPE(std::int64_t)

namespace {

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::uint32_t big_endian32(const std::string& bytes, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  return v;
}

torch::Tensor points(std::initializer_list<std::pair<double, double>> xy) {
  std::vector<double> flat;
  for (const auto& [x, y] : xy) {
    flat.push_back(x);
    flat.push_back(y);
  }
  return torch::tensor(flat, torch::kFloat64).view({-1, 2});
}

/// Darkness a point added to each pixel (sum over channels of background − image).
struct Ink {
  double total = 0, cx = 0, cy = 0;  // total ink and its centroid (pixel centres at i + 0.5)
  std::int64_t min_x = 1 << 30, max_x = -1, min_y = 1 << 30, max_y = -1;
};

Ink ink_between(const Image8& background, const Image8& image) {
  Ink ink;
  for (std::int64_t y = 0; y < image.height; ++y)
    for (std::int64_t x = 0; x < image.width; ++x) {
      double d = 0;
      for (std::int64_t c = 0; c < 3; ++c) {
        const auto i = static_cast<std::size_t>((y * image.width + x) * 3 + c);
        d += std::abs(int(background.pixels[i]) - int(image.pixels[i]));
      }
      if (d == 0) continue;
      ink.total += d;
      ink.cx += d * (x + 0.5);
      ink.cy += d * (y + 0.5);
      ink.min_x = std::min(ink.min_x, x);
      ink.max_x = std::max(ink.max_x, x);
      ink.min_y = std::min(ink.min_y, y);
      ink.max_y = std::max(ink.max_y, y);
    }
  if (ink.total > 0) {
    ink.cx /= ink.total;
    ink.cy /= ink.total;
  }
  return ink;
}

Image8 grey_image(std::int64_t width, std::int64_t height) {
  Image8 image;
  image.width = width;
  image.height = height;
  image.channels = 1;
  image.pixels.assign(static_cast<std::size_t>(width * height), 77);
  return image;
}

int count_value(const Image8& image, std::int64_t x_begin, std::int64_t x_end, std::uint8_t value) {
  int n = 0;
  for (std::int64_t y = 0; y < image.height; ++y)
    for (std::int64_t x = x_begin; x < x_end; ++x)
      n += image.pixels[static_cast<std::size_t>(y * image.width + x)] == value;
  return n;
}

}  // namespace

class TestTrajectory : public QObject {
  Q_OBJECT

 private slots:
  void scatterPointAtOrigin_landsAtCentre();
  void scatterPoint_mapsWithYUp();
  void scatterNanInfAndOutside_areSkipped();
  void scatterOverlappingDots_buildUpDensity();
  void scatterReference_drawnInAnotherColour();
  void scatterBadInput_throws();
  void frameSteps_data();
  void frameSteps();
  void frameSteps_denserNearEnd();
  void frameSteps_badArguments_throw();
  void recorderImages_xtLeftPredictionRight();
  void recorderWithReverseProcess_keepsChosenFrames();
  void writeTrajectoryFolder_writesPngFrames();
  void writeTrajectoryGif_caseInsensitive();
  void writeTrajectoryOntoFile_throwsAndKeepsIt();
};

void TestTrajectory::scatterPointAtOrigin_landsAtCentre() {
  const PlotArea area;  // 480 × 480, ±3.5
  const Image8 empty = scatter_image(torch::zeros({0, 2}), area);
  const Image8 one = scatter_image(points({{0.0, 0.0}}), area);
  QCOMPARE(one.width, std::int64_t(480));
  QCOMPARE(one.height, std::int64_t(480));
  QCOMPARE(one.channels, std::int64_t(3));
  const Ink ink = ink_between(empty, one);
  QVERIFY(ink.total > 0);
  // (0, 0) is the centre, pixel coordinate 240.0: the dot (radius ≈ 1.5 px) stays within 3 px.
  QVERIFY(std::abs(ink.cx - 240.0) < 0.5 && std::abs(ink.cy - 240.0) < 0.5);
  QVERIFY(ink.min_x >= 237 && ink.max_x <= 243 && ink.min_y >= 237 && ink.max_y <= 243);
}

void TestTrajectory::scatterPoint_mapsWithYUp() {
  PlotArea area;
  area.width = 300;
  area.height = 200;
  area.x_min = -1;
  area.x_max = 5;
  area.y_min = 0;
  area.y_max = 4;
  const Image8 empty = scatter_image(torch::zeros({0, 2}), area);
  const Ink ink = ink_between(empty, scatter_image(points({{3.0, 3.0}}), area));
  // x: (3 − (−1))/6 · 300 = 200; y up: (4 − 3)/4 · 200 = 50 from the top.
  QVERIFY2(std::abs(ink.cx - 200.0) < 0.5 && std::abs(ink.cy - 50.0) < 0.5,
           qPrintable(QString("centroid (%1, %2)").arg(ink.cx).arg(ink.cy)));
}

void TestTrajectory::scatterNanInfAndOutside_areSkipped() {
  const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
  const Image8 empty = scatter_image(torch::zeros({0, 2}));
  const Image8 junk = scatter_image(points({{nan, 0}, {0, nan}, {inf, 1}, {0, -inf}, {3.6, 0}, {0, -3.6}, {-100, 1e9}}));
  QCOMPARE(junk.pixels, empty.pixels);
  const Image8 mixed = scatter_image(points({{nan, nan}, {1.0, -1.0}, {inf, inf}}));
  QCOMPARE(mixed.pixels, scatter_image(points({{1.0, -1.0}})).pixels);
  // A point on the edge is drawn (clipped), not a crash.
  QVERIFY(ink_between(empty, scatter_image(points({{3.5, 3.5}}))).total > 0);
  // float32 input works the same.
  QCOMPARE(scatter_image(points({{1.0, -1.0}}).to(torch::kFloat32)).pixels, mixed.pixels);
}

void TestTrajectory::scatterOverlappingDots_buildUpDensity() {
  const Image8 empty = scatter_image(torch::zeros({0, 2}));
  const Image8 one = scatter_image(points({{1, 1}}));
  const Image8 three = scatter_image(points({{1, 1}, {1, 1}, {1, 1}}));
  const double single = ink_between(empty, one).total, triple = ink_between(empty, three).total;
  // Opacity α per dot: one dot darkens by α, three by 1 − (1 − α)³ < 3α. More, but not 3×.
  QVERIFY2(triple > 1.5 * single && triple < 3.0 * single, qPrintable(QString("%1 vs %2").arg(triple).arg(single)));
}

void TestTrajectory::scatterReference_drawnInAnotherColour() {
  const Image8 empty = scatter_image(torch::zeros({0, 2}));
  const Image8 image = scatter_image(points({{1.5, 1.5}}), PlotArea{}, points({{-1.5, -1.5}}));
  // Samples are blue (blue channel stays high, red drops); the reference is orange (the reverse).
  auto at = [&](double x, double y, int c) {
    const auto px = static_cast<std::int64_t>((x + 3.5) / 7 * 480), py = static_cast<std::int64_t>((3.5 - y) / 7 * 480);
    return int(image.pixels[static_cast<std::size_t>((py * 480 + px) * 3 + c)]);
  };
  QVERIFY(at(1.5, 1.5, 2) > at(1.5, 1.5, 0) + 30);
  QVERIFY(at(-1.5, -1.5, 0) > at(-1.5, -1.5, 2) + 30);
  QVERIFY(ink_between(empty, image).total > 0);
}

void TestTrajectory::scatterBadInput_throws() {
  QVERIFY_THROWS_EXCEPTION(Error, scatter_image(torch::zeros({3})));
  QVERIFY_THROWS_EXCEPTION(Error, scatter_image(torch::zeros({3, 3})));
  PlotArea flat;
  flat.x_max = flat.x_min;
  QVERIFY_THROWS_EXCEPTION(Error, scatter_image(torch::zeros({1, 2}), flat));
  PlotArea nan_limits;
  nan_limits.y_max = std::numeric_limits<double>::quiet_NaN();
  QVERIFY_THROWS_EXCEPTION(Error, scatter_image(torch::zeros({1, 2}), nan_limits));
  PlotArea empty_picture;
  empty_picture.width = 0;
  QVERIFY_THROWS_EXCEPTION(Error, scatter_image(torch::zeros({1, 2}), empty_picture));
}

void TestTrajectory::frameSteps_data() {
  QTest::addColumn<std::int64_t>("total");
  QTest::addColumn<std::int64_t>("max_frames");
  QTest::newRow("T=1000, 60 frames") << std::int64_t(1000) << std::int64_t(60);
  QTest::newRow("T=1000, 2 frames") << std::int64_t(1000) << std::int64_t(2);
  QTest::newRow("T=1000, 999 frames") << std::int64_t(1000) << std::int64_t(999);
  QTest::newRow("T=1000, 1000 frames") << std::int64_t(1000) << std::int64_t(1000);
  QTest::newRow("T=10, 11 frames: all") << std::int64_t(10) << std::int64_t(11);
  QTest::newRow("T=10, 100 frames: all") << std::int64_t(10) << std::int64_t(100);
  QTest::newRow("T=10, 5 frames") << std::int64_t(10) << std::int64_t(5);
  QTest::newRow("K=50 DDIM, 50 frames") << std::int64_t(50) << std::int64_t(50);
  QTest::newRow("T=3, 3 frames") << std::int64_t(3) << std::int64_t(3);
  QTest::newRow("T=1, 2 frames") << std::int64_t(1) << std::int64_t(2);
  QTest::newRow("T=0") << std::int64_t(0) << std::int64_t(5);
}

void TestTrajectory::frameSteps() {
  QFETCH(std::int64_t, total);
  QFETCH(std::int64_t, max_frames);
  const auto steps = trajectory_frame_steps(total, max_frames);
  QCOMPARE(std::int64_t(steps.size()), std::min(max_frames, total + 1));  // uses every frame it may
  QCOMPARE(steps.front(), std::int64_t(0));
  QCOMPARE(steps.back(), total);
  for (std::size_t i = 1; i < steps.size(); ++i) QVERIFY(steps[i] > steps[i - 1]);
  if (max_frames >= total + 1)
    for (std::size_t i = 0; i < steps.size(); ++i) QCOMPARE(steps[i], std::int64_t(i));
}

void TestTrajectory::frameSteps_denserNearEnd() {
  const auto steps = trajectory_frame_steps(1000, 60);
  const auto gaps_first_half = steps[30] - steps[0], gaps_second_half = steps[59] - steps[30];
  QVERIFY(gaps_first_half > 2 * gaps_second_half);  // spacing ∝ 1 − u: the first half covers ~3/4 of the run
  QVERIFY(steps[1] - steps[0] > steps[59] - steps[58]);
}

void TestTrajectory::frameSteps_badArguments_throw() {
  QVERIFY_THROWS_EXCEPTION(Error, trajectory_frame_steps(10, 1));
  QVERIFY_THROWS_EXCEPTION(Error, trajectory_frame_steps(10, 0));
  QVERIFY_THROWS_EXCEPTION(Error, trajectory_frame_steps(-1, 10));
  TrajectoryOptions one_frame;
  one_frame.max_frames = 1;
  QVERIFY_THROWS_EXCEPTION(Error, TrajectoryRecorder(10, one_frame));
}

void TestTrajectory::recorderImages_xtLeftPredictionRight() {
  TrajectoryOptions options;
  options.max_frames = 4;
  options.image_scale = 1;
  TrajectoryRecorder recorder(10, options);
  const auto steps = recorder.frame_steps();
  QCOMPARE(steps.size(), std::size_t(4));
  const auto white = torch::ones({3, 1, 4, 4}), black = -torch::ones({3, 1, 4, 4});
  recorder.record(0, white, torch::Tensor());  // before the first step: no x̂_0 yet
  for (std::int64_t k = 1; k <= 10; ++k) {
    recorder.record(k, white, black);
    recorder.record(k, white, black);  // a repeat is ignored
  }
  QCOMPARE(recorder.frames().size(), std::size_t(4));
  const Image8& first = recorder.frames().front();
  const Image8& last = recorder.frames().back();
  QCOMPARE(first.channels, std::int64_t(1));  // grey images stay grey
  QCOMPARE(last.width, first.width);
  QCOMPARE(last.height, first.height);
  // 3 images of 4×4: x_t (white, 255) fills the left half, x̂_0 (black, 0) the right.
  const std::int64_t half = first.width / 2;
  QCOMPARE(count_value(last, 0, half, 255), 48);
  QCOMPARE(count_value(last, half, last.width, 255), 0);
  QCOMPARE(count_value(last, half, last.width, 0), 48);
  QCOMPARE(count_value(last, 0, half, 0), 0);
  QCOMPARE(count_value(first, half, first.width, 0), 0);  // blank right panel before the first step

  // Automatic zoom: an integer factor of the same layout, at least 400 pixels wide when ≤ 8×.
  TrajectoryOptions zoomed = options;
  zoomed.image_scale = 0;
  const Image8 big = render_trajectory_frame(white, black, 1.0, zoomed);
  const std::int64_t factor = big.width / last.width;
  QVERIFY(factor >= 1 && factor <= 8);
  QCOMPARE(big.width, factor * last.width);
  QCOMPARE(big.height, factor * last.height);
  QVERIFY(big.width >= 400 || factor == 8);
  QCOMPARE(count_value(big, 0, big.width / 2, 255), 48 * int(factor * factor));

  const auto taken = recorder.take_frames();
  QCOMPARE(taken.size(), std::size_t(4));
  QVERIFY(recorder.frames().empty());
  QVERIFY_THROWS_EXCEPTION(Error, recorder.record(11, white, black));
  QVERIFY_THROWS_EXCEPTION(Error, render_trajectory_frame(torch::zeros({3, 5}), torch::Tensor(), 0.0));
  QVERIFY_THROWS_EXCEPTION(Error, render_trajectory_frame(white, torch::zeros({2, 1, 4, 4}), 0.0));
}

void TestTrajectory::recorderWithReverseProcess_keepsChosenFrames() {
  const std::int64_t T = 40;  // β_T = 0.5 after the 1000/T scaling
  const auto schedule = test::scaled_linear_schedule(T);
  const GaussianDiffusion diffusion(schedule);
  auto oracle = test::make_oracle(schedule, 0.5, 0.6, {2});
  SamplerOptions sampler;
  sampler.n = 200;
  sampler.seed = 3;
  ReverseProcess process(oracle, diffusion, {2}, sampler);

  TrajectoryOptions options;
  options.max_frames = 6;
  options.reference = torch::randn({50, 2}, torch::TensorOptions().dtype(torch::kFloat64)) * 0.6 + 0.5;
  TrajectoryRecorder recorder(process.total_steps(), options);
  recorder.record(process);
  QCOMPARE(run_to_end(process, [&](const ReverseProcess& p) { recorder.record(p); }), RunStatus::Completed);
  QCOMPARE(recorder.frames().size(), std::size_t(6));
  for (const auto& frame : recorder.frames()) {
    QCOMPARE(frame.channels, std::int64_t(3));
    QCOMPARE(frame.width, recorder.frames()[0].width);
    QCOMPARE(frame.height, recorder.frames()[0].height);
    QVERIFY(frame.width >= 2 * options.plot.width && frame.height >= options.plot.height);
  }
  // The frames differ: the samples move from N(0, I) towards the data.
  QVERIFY(recorder.frames().front().pixels != recorder.frames().back().pixels);
  QVERIFY_THROWS_EXCEPTION(Error, TrajectoryRecorder(T + 1, options).record(process));
}

void TestTrajectory::writeTrajectoryFolder_writesPngFrames() {
  QTemporaryDir dir;
  const std::vector<Image8> frames = {grey_image(31, 17), grey_image(31, 17), grey_image(31, 17)};
  const QString folder = dir.filePath("out/frames");  // nested, missing: created
  write_trajectory(folder.toStdString(), frames);
  const QStringList files = QDir(folder).entryList(QDir::Files | QDir::Hidden | QDir::System, QDir::Name);
  QCOMPARE(files, (QStringList{"frame_0000.png", "frame_0001.png", "frame_0002.png"}));
  for (const QString& name : files) {
    const std::string png = read_bytes(QDir(folder).filePath(name).toStdString());
    QVERIFY(png.size() > 33);
    QCOMPARE(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    QCOMPARE(png.substr(12, 4), std::string("IHDR"));
    QCOMPARE(big_endian32(png, 16), std::uint32_t(31));
    QCOMPARE(big_endian32(png, 20), std::uint32_t(17));
  }
  // Writing again into the existing folder replaces the frames.
  write_trajectory(folder.toStdString(), {grey_image(8, 9)});
  const std::string png = read_bytes(QDir(folder).filePath("frame_0000.png").toStdString());
  QCOMPARE(big_endian32(png, 16), std::uint32_t(8));
  QVERIFY_THROWS_EXCEPTION(Error, write_trajectory(dir.filePath("none").toStdString(), {}));
}

void TestTrajectory::writeTrajectoryGif_caseInsensitive() {
  QVERIFY(is_gif_path("a.gif") && is_gif_path("dir/B.GIF") && is_gif_path("x.GiF"));
  QVERIFY(!is_gif_path("gif") && !is_gif_path("frames") && !is_gif_path("a.gif/") && !is_gif_path("a.png"));
  QTemporaryDir dir;
  const QString path = dir.filePath("Run.GIF");
  write_trajectory(path.toStdString(), {grey_image(6, 5), grey_image(6, 5)});
  const QFileInfo info(path);
  QVERIFY(info.isFile());
  const std::string bytes = read_bytes(path.toStdString());
  QCOMPARE(bytes.substr(0, 6), std::string("GIF89a"));
  QCOMPARE(int(static_cast<unsigned char>(bytes[6])), 6);  // logical screen width, little-endian
  QCOMPARE(int(static_cast<unsigned char>(bytes[8])), 5);
  QVERIFY(bytes.find("NETSCAPE2.0") != std::string::npos);
}

void TestTrajectory::writeTrajectoryOntoFile_throwsAndKeepsIt() {
  QTemporaryDir dir;
  const std::string path = dir.filePath("frames").toStdString();
  { std::ofstream(path) << "keep me"; }
  QVERIFY_THROWS_EXCEPTION(Error, write_trajectory(path, {grey_image(4, 4)}));
  QCOMPARE(read_bytes(path), std::string("keep me"));
  QVERIFY_THROWS_EXCEPTION(Error, write_trajectory(path + "/inner", {grey_image(4, 4)}));
  QCOMPARE(read_bytes(path), std::string("keep me"));
}

QTEST_GUILESS_MAIN(TestTrajectory)
#include "test_trajectory.moc"
