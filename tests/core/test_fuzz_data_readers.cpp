// Fuzz-style tests of the data file readers: CSV points, custom β files, IDX files
// (raw and gzip) and pictures (stb_image). Thousands of seeded mutations each must
// read or give one clean ddpm::Error: no crash, no hang, no allocation beyond a bound
// proportional to the file. Counts print as "fuzz <reader>: N inputs, …".
#include "core/data/csv_points.h"
#include "core/data/dataset.h"
#include "core/data/idx_file.h"
#include "core/data/image_file.h"
#include "core/io/gif_writer.h"
#include "core/io/image_grid.h"
#include "core/schedule/betas_file.h"
#include "core/schedule/noise_schedule.h"

#include "core_test_support.h"
#include "fuzz_support.h"

#include <stb/stb_image_write.h>
#include <zlib.h>

#include <QtTest>

#include <cmath>
#include <stdexcept>

using namespace ddpm;

namespace {

// ---- text files (CSV points, β lists) ------------------------------------------------

const std::vector<std::string> kOddTokens = {
    "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e999", "-1e999", "1e308", "-1.7e308", "1e-400", "4.9e-324",
    "0x1p3", "+", "-", "1e", "..", "1.5.5", "0", "-0", "1", "0.999999999999999999", "99999999999999999999999",
    "\xef\xbc\x90", "\xff\xfe", "\xc3\x28", "\xed\xa0\x80", "", "  ", std::string(1, '\0'), "\"1\"", "1 2 3", ",,", "#"};

// Replaces, inserts or repeats whole tokens and lines of a text file.
std::string mutate_text(const std::string& text, test::Mutator& m, std::string& label) {
  std::string t = text;
  switch (m.below(7)) {
    case 0:
    case 1: {
      // Replace the token (run of non-separators) around a random position.
      if (t.empty()) break;
      std::size_t at = m.below(t.size());
      const auto is_sep = [](char c) { return c == ',' || c == '\n' || c == ' ' || c == ';' || c == '\t'; };
      std::size_t begin = at, end = at;
      while (begin > 0 && !is_sep(t[begin - 1])) --begin;
      while (end < t.size() && !is_sep(t[end])) ++end;
      const std::string token = kOddTokens[m.below(kOddTokens.size())];
      t.replace(begin, end - begin, token);
      label += " token";
      return t;
    }
    case 2:
      t.insert(m.below(t.size() + 1), kOddTokens[m.below(kOddTokens.size())] + "\n");
      label += " insert-token";
      return t;
    case 3: {
      // Repeat a line many times (a large but honest file).
      const std::string line = "0.25,0.5\n";
      std::string block;
      for (std::size_t i = 0, n = 1 + m.below(20000); i < n; ++i) block += line;
      t.insert(0, block);
      label += " repeat-lines";
      return t;
    }
    case 4:
      t.insert(m.below(t.size() + 1), std::string(1000 + m.below(100000), m.below(2) ? '1' : ' '));
      label += " long-run";
      return t;
    case 5:
      t = "\xef\xbb\xbf" + t;  // a UTF-8 byte-order mark
      label += " bom";
      return t;
    default: {
      std::string crlf;
      for (char c : t) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
      label += " crlf";
      return crlf;
    }
  }
  return m.mutate(t, label);
}

// Throws a non-ddpm exception (a test failure) when a "successful" read gave non-finite data.
void require_finite(const torch::Tensor& t, const char* what) {
  if (!torch::isfinite(t).all().item<bool>()) throw std::logic_error(std::string(what) + " holds NaN or infinite values");
}

void read_points_like_the_app(const std::string& path) {
  require_finite(read_csv_points(path), "the points");
  const Dataset data = load_dataset("csv:" + path);  // also normalises (standardises) them
  require_finite(data.x, "the normalised points");
}

void read_betas_like_the_app(const std::string& path) {
  ScheduleSpec spec;
  spec.kind = ScheduleKind::Custom;
  spec.custom_betas = read_betas_file(path);
  spec.custom_source = path;
  const NoiseSchedule schedule(spec);
  (void)schedule;
}

// ---- IDX -------------------------------------------------------------------------------

std::string idx_bytes(const std::vector<std::uint32_t>& dims, std::size_t data_bytes) {
  std::string b = {0, 0, 0x08, static_cast<char>(dims.size())};
  for (auto d : dims)
    for (int shift : {24, 16, 8, 0}) b.push_back(static_cast<char>((d >> shift) & 0xff));
  for (std::size_t i = 0; i < data_bytes; ++i) b.push_back(static_cast<char>(i * 37 % 256));
  return b;
}

std::string gzip(const std::string& raw, const std::string& scratch) {
  gzFile f = gzopen(scratch.c_str(), "wb9");
  gzwrite(f, raw.data(), static_cast<unsigned>(raw.size()));
  gzclose(f);
  return test::read_bytes(scratch);
}

// Structure-aware IDX mutation on the raw bytes: dimension fields, magic, element type.
std::string mutate_idx(std::string raw, test::Mutator& m, std::string& label) {
  static const std::uint32_t kDims[] = {0, 1, 2, 27, 28, 29, 65535, 65536, 0x7fffffff, 0x80000000, 0xffffffff,
                                        0x40000000, 1000000};
  const std::size_t dims = static_cast<unsigned char>(raw[3]);
  switch (m.below(4)) {
    case 0:
    case 1: {
      const std::size_t at = 4 + 4 * m.below(dims);
      const std::uint32_t v = kDims[m.below(sizeof kDims / sizeof kDims[0])];
      for (int k = 0; k < 4; ++k) raw[at + k] = static_cast<char>((v >> (24 - 8 * k)) & 0xff);
      label += " dim=" + std::to_string(v);
      return raw;
    }
    case 2:
      raw[3] = static_cast<char>(m.below(6));
      label += " dims-byte";
      return raw;
    default:
      raw[2] = static_cast<char>(m.below(2) ? 0x0d : m.below(256));
      label += " type-byte";
      return raw;
  }
}

// ---- pictures ----------------------------------------------------------------------------

void append_to_string(void* context, void* data, int size) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<std::size_t>(size));
}

struct ImageSeed {
  std::string name;
  std::string bytes;
  // Where the width and height live: offset, byte count, big-endian (0 offset: text header).
  std::size_t width_at = 0, height_at = 0, field_bytes = 0;
  bool big_endian = false;
};

std::vector<ImageSeed> image_seeds(const std::string& scratch) {
  const int w = 7, h = 5;
  std::vector<unsigned char> rgba(w * h * 4), rgb(w * h * 3), gray(w * h);
  for (int i = 0; i < w * h; ++i) {
    for (int c = 0; c < 4; ++c) rgba[i * 4 + c] = static_cast<unsigned char>((i * 53 + c * 91) % 256);
    for (int c = 0; c < 3; ++c) rgb[i * 3 + c] = rgba[i * 4 + c];
    gray[i] = rgba[i * 4];
  }
  std::vector<ImageSeed> seeds;
  std::string out;
  stbi_write_png_to_func(append_to_string, &out, w, h, 4, rgba.data(), w * 4);
  seeds.push_back({"png rgba", out, 16, 20, 4, true});
  out.clear();
  stbi_write_png_to_func(append_to_string, &out, w, h, 1, gray.data(), w);
  seeds.push_back({"png gray", out, 16, 20, 4, true});
  out.clear();
  stbi_write_bmp_to_func(append_to_string, &out, w, h, 3, rgb.data());
  seeds.push_back({"bmp", out, 18, 22, 4, false});
  out.clear();
  stbi_write_tga_to_func(append_to_string, &out, w, h, 4, rgba.data());
  seeds.push_back({"tga rle", out, 12, 14, 2, false});
  out.clear();
  stbi_write_jpg_to_func(append_to_string, &out, w, h, 3, rgb.data(), 90);
  {
    const auto sof = out.find("\xff\xc0");
    seeds.push_back({"jpeg", out, sof + 7, sof + 5, 2, true});
  }
  Image8 frame;
  frame.width = w;
  frame.height = h;
  frame.channels = 3;
  frame.pixels.assign(rgb.begin(), rgb.end());
  seeds.push_back({"gif", encode_gif({frame, frame}, 10), 6, 8, 2, false});
  seeds.push_back({"ppm", "P6\n7 5\n255\n" + std::string(rgb.begin(), rgb.end()), 0, 0, 0, false});
  seeds.push_back({"pgm", "P5 7 5 255\n" + std::string(gray.begin(), gray.end()), 0, 0, 0, false});
  std::string hdr = "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 5 +X 7\n";
  for (int i = 0; i < w * h; ++i) hdr += std::string{char(rgb[i * 3]), char(rgb[i * 3 + 1]), char(rgb[i * 3 + 2]), char(128)};
  seeds.push_back({"hdr", hdr, 0, 0, 0, false});
  (void)scratch;
  return seeds;
}

// Writes a size field (or rewrites a text header) with a hostile value.
std::string mutate_image_size(const ImageSeed& seed, test::Mutator& m, std::string& label) {
  static const std::uint32_t kSizes[] = {0, 1, 2, 2048, 4096, 8191, 16384, 65535, 100000, 0x7fffffff, 0x80000000,
                                         0xffffffff, 0x10000, 1u << 24};
  std::uint32_t v = kSizes[m.below(sizeof kSizes / sizeof kSizes[0])];
  std::string b = seed.bytes;
  if (seed.field_bytes == 0) {
    const std::string number = std::to_string(v);
    const auto first_digit = b.find_first_of("0123456789", seed.name == "hdr" ? b.find("-Y") : 2);
    const auto end = b.find_first_not_of("0123456789", first_digit);
    b.replace(first_digit, end - first_digit, m.below(3) == 0 ? "-" + number : number);
    label += " text-size=" + number;
    return b;
  }
  const std::size_t at = m.below(2) ? seed.width_at : seed.height_at;
  for (std::size_t k = 0; k < seed.field_bytes; ++k) {
    const std::size_t shift = 8 * (seed.big_endian ? seed.field_bytes - 1 - k : k);
    if (at + k < b.size()) b[at + k] = static_cast<char>((v >> shift) & 0xff);
  }
  label += " size=" + std::to_string(v);
  if (seed.name.rfind("png", 0) == 0 && m.below(4) != 0) {
    // Keep IHDR's CRC right (usually) so the size reaches the decoder, not just the CRC check.
    const auto crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(b.data() + 12), 17);
    for (int k = 0; k < 4; ++k) b[29 + k] = static_cast<char>((crc >> (24 - 8 * k)) & 0xff);
    label += " crc-fixed";
  }
  return b;
}

}  // namespace

class TestFuzzDataReaders : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;

  std::string scratch(const char* name) const { return dir_.filePath(name).toStdString(); }

 private slots:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  void csvPoints_mutationsEachLoadOrGiveCleanError() {
    // Text: file + points vector (16 bytes per ≥ 4-byte line) + growth: 4 MiB + 16 × size.
    test::FuzzHarness h("csv points", dir_.path().toStdString(), ".csv", std::size_t{4} << 20, 16.0);
    const std::vector<std::string> seeds = {"x,y\n0.5,1.25\n-3,4e-2\n# a comment\n\n7;8\n1\t2\r\n-0.125 3\n",
                                            "1,2\n3,4\n5,6\n", "a,b\n1e3,-2e-3\n"};
    for (const auto& s : seeds) h.run(s, "seed", read_points_like_the_app);
    QCOMPARE(h.loaded(), seeds.size());
    for (std::size_t n = 0; n < seeds[0].size(); ++n)
      h.run(seeds[0].substr(0, n), "cut to " + std::to_string(n), read_points_like_the_app);
    test::Mutator m(1001);
    for (int i = 0, n = test::fuzz_iterations(5000); i < n; ++i) {
      std::string label;
      const std::string& seed = seeds[static_cast<std::size_t>(i) % seeds.size()];
      const std::string input = m.below(2) ? mutate_text(seed, m, label) : m.mutate(seed, label);
      h.run(input, label, read_points_like_the_app);
    }
    h.finish();
  }

  void betasFile_mutationsEachLoadOrGiveCleanError() {
    test::FuzzHarness h("beta file", dir_.path().toStdString(), ".txt", std::size_t{4} << 20, 16.0);
    std::string many;
    for (int i = 0; i < 200; ++i) many += std::to_string(1e-4 + i * 1e-4) + "\n";
    const std::vector<std::string> seeds = {"0.1\n0.2\n0.3\n", "# linear\n1e-4, 2e-4; 3e-4\n0.02\t0.5\r\n", many};
    for (const auto& s : seeds) h.run(s, "seed", read_betas_like_the_app);
    QCOMPARE(h.loaded(), seeds.size());
    for (std::size_t n = 0; n < seeds[1].size(); ++n)
      h.run(seeds[1].substr(0, n), "cut to " + std::to_string(n), read_betas_like_the_app);
    test::Mutator m(2002);
    for (int i = 0, n = test::fuzz_iterations(5000); i < n; ++i) {
      std::string label;
      const std::string& seed = seeds[static_cast<std::size_t>(i) % seeds.size()];
      const std::string input = m.below(2) ? mutate_text(seed, m, label) : m.mutate(seed, label);
      h.run(input, label, read_betas_like_the_app);
    }
    h.finish();
  }

  void idxFile_mutationsEachLoadOrGiveCleanError() {
    // The data grows with what is actually read (1 MiB chunks, vector doubling); gzip
    // can expand up to 1032-fold: 4 MiB + 2100 × size.
    test::FuzzHarness h("idx file", dir_.path().toStdString(), ".gz", std::size_t{4} << 20, 2100.0);
    const std::string images = idx_bytes({4, 5, 3}, 60), labels = idx_bytes({4}, 4);
    const std::string gz_scratch = scratch("scratch.gz");
    struct Seed {
      std::string raw;
      int dims;
    };
    const std::vector<Seed> seeds = {{images, 3}, {labels, 1}};
    const auto reader = [](int dims) {
      return [dims](const std::string& path) {
        const IdxArray a = read_idx_file(path, dims);
        std::int64_t total = 1;
        for (auto d : a.dims) total *= d;
        if (static_cast<std::int64_t>(a.data.size()) != total) throw std::logic_error("data size != product of dims");
      };
    };
    for (const auto& s : seeds) {
      h.run(s.raw, "raw seed", reader(s.dims));
      h.run(gzip(s.raw, gz_scratch), "gz seed", reader(s.dims));
      const std::string gz = gzip(s.raw, gz_scratch);
      for (std::size_t n = 0; n < s.raw.size(); ++n) h.run(s.raw.substr(0, n), "raw cut", reader(s.dims));
      for (std::size_t n = 0; n < gz.size(); ++n) h.run(gz.substr(0, n), "gz cut", reader(s.dims));
    }
    QCOMPARE(h.loaded(), std::size_t{4});  // the seeds; no cut IDX file is valid
    test::Mutator m(3003);
    for (int i = 0, n = test::fuzz_iterations(5000); i < n; ++i) {
      const Seed& s = seeds[static_cast<std::size_t>(i) % seeds.size()];
      std::string label;
      std::string raw = m.below(2) ? mutate_idx(s.raw, m, label) : s.raw;
      const int how = static_cast<int>(m.below(3));
      if (how == 0) {  // mutate the raw file
        h.run(m.mutate(raw, label), label + " raw", reader(s.dims));
      } else if (how == 1) {  // compress the mutated raw file
        if (label.empty()) raw = m.mutate(raw, label);
        h.run(gzip(raw, gz_scratch), label + " gz", reader(s.dims));
      } else {  // corrupt the compressed stream itself
        h.run(m.mutate(gzip(raw, gz_scratch), label), label + " gz-bytes", reader(s.dims));
      }
    }
    h.finish();
  }

  void imageFile_mutationsEachLoadOrGiveCleanError() {
    // Decoding needs a few width × height × 4 buffers; the reader refuses headers that
    // declare more pixels than the file could hold: 40 MiB + 2100 × size.
    test::FuzzHarness h("image file", dir_.path().toStdString(), ".img", std::size_t{40} << 20, 2100.0);
    const auto seeds = image_seeds(scratch("scratch.img"));
    const auto read = [](const std::string& path) {
      require_finite(load_image_file(path, 8, 3), "the RGB image");
      require_finite(load_image_file(path, 4, 1), "the gray image");
    };
    for (const auto& s : seeds) h.run(s.bytes, s.name + " seed", read);
    QCOMPARE(h.loaded(), seeds.size());
    for (const auto& s : seeds)
      for (std::size_t n = 0; n < s.bytes.size(); n += (s.bytes.size() > 400 ? 3 : 1))
        h.run(s.bytes.substr(0, n), s.name + " cut to " + std::to_string(n), read);
    test::Mutator m(4004);
    for (int i = 0, n = test::fuzz_iterations(6000); i < n; ++i) {
      const ImageSeed& s = seeds[static_cast<std::size_t>(i) % seeds.size()];
      std::string label = s.name + ":";
      std::string input = m.below(3) == 0 ? mutate_image_size(s, m, label) : s.bytes;
      if (m.below(3) != 0 || input == s.bytes) input = m.mutate(input, label);
      h.run(input, label, read);
    }
    h.finish();
  }
};

QTEST_GUILESS_MAIN(TestFuzzDataReaders)
#include "test_fuzz_data_readers.moc"
