// Fuzz-style test of the checkpoint reader (safetensors header, metadata, tensors):
// thousands of seeded mutations of real checkpoints must each load or give one clean
// ddpm::Error: no crash, no hang, no allocation beyond 16 MiB + 8 × the file size.
// Counts are printed as "fuzz <reader>: N inputs, …" (docs/reliability.md).
#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/safetensors.h"
#include "core/models/denoiser.h"

#include "checkpoint_fixture.h"
#include "core_test_support.h"
#include "fuzz_support.h"

#include <nlohmann/json.hpp>

#include <QtTest>

using namespace ddpm;
using Json = nlohmann::json;

namespace {

// What `ddpm info`, `ddpm sample` and the GUI do with a file: metadata, then everything.
void read_like_the_app(const std::string& path) {
  const CheckpointData meta = read_checkpoint_metadata(path);
  (void)checkpoint_metadata_json(meta);
  const CheckpointData d = load_checkpoint(path);
  Denoiser model = load_denoiser(d);
  (void)model;
}

struct Parts {
  std::string header;  // the JSON text
  std::string data;    // everything after it
};

Parts split(const std::string& file) {
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(file[static_cast<std::size_t>(i)]);
  return {file.substr(8, n), file.substr(8 + n)};
}

std::string length_field(std::uint64_t n) {
  std::string bytes;
  for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  return bytes;
}

std::string join(const std::string& header, const std::string& data) {
  return length_field(header.size()) + header + data;
}

// Values that break readers: wrong types, signs, sizes, precision.
Json odd_value(test::Mutator& m) {
  static const std::vector<Json> values = {
      Json(nullptr), Json(true), Json(-1), Json(0), Json(1), Json(2), Json(7), Json(4096), Json(65536),
      Json(2147483648LL), Json(std::int64_t{1} << 62), Json(INT64_MAX), Json(UINT64_MAX), Json(1.5), Json(-1e308),
      Json(1e308), Json(5e-324), Json("text"), Json("NaN"), Json("inf"), Json(""), Json::array(), Json::object(),
      Json::array({1, 2, 3}), Json::array({-1}), Json::array({Json("a")})};
  return values[m.below(values.size())];
}

Json odd_shape(test::Mutator& m, const Json& real) {
  const std::int64_t big = std::int64_t{1} << 62;
  switch (m.below(10)) {
    case 0: return Json::array();
    case 1: return Json::array({0});
    case 2: return Json::array({big, big});
    case 3: return Json::array({0, big, big, big});
    case 4: return Json::array({UINT64_MAX});
    case 5: return Json::array({-1, 4});
    case 6: { Json s = Json::array(); for (int i = 0; i < 64; ++i) s.push_back(1); return s; }
    case 7: { Json s = real; if (s.is_array() && !s.empty()) s[0] = s[0].get<std::int64_t>() + 1; return s; }
    case 8: { Json s = real; if (s.is_array() && s.size() == 2) std::swap(s[0], s[1]); else s.push_back(1); return s; }
    default: return odd_value(m);
  }
}

Json odd_offsets(test::Mutator& m, const Json& real) {
  const auto b = real.is_array() && real.size() == 2 ? real[0].get<std::uint64_t>() : 0;
  const auto e = real.is_array() && real.size() == 2 ? real[1].get<std::uint64_t>() : 0;
  switch (m.below(8)) {
    case 0: return Json::array({0, UINT64_MAX});
    case 1: return Json::array({e, b});
    case 2: return Json::array({b, e + 1});
    case 3: return Json::array({b + 4, e + 4});
    case 4: return Json::array({b});
    case 5: return Json::array({UINT64_MAX - 3, UINT64_MAX});
    case 6: return Json::array({b, e, e});
    default: return odd_value(m);
  }
}

// A JSON value nested `depth` levels deep: [[[…]]].
std::string nested(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

// One structure-aware mutation of a safetensors checkpoint (header JSON, metadata
// fields, the length field); the length field is rewritten to match unless that is
// the mutation.
std::string mutate_structure(const std::string& file, test::Mutator& m, std::string& label) {
  const Parts parts = split(file);
  Json header = Json::parse(parts.header);
  std::vector<std::string> tensors;
  for (const auto& [key, value] : header.items())
    if (key != "__metadata__") tensors.push_back(key);
  const std::string tensor = tensors[m.below(tensors.size())];
  Json& meta = header["__metadata__"];
  std::vector<std::string> meta_keys;
  for (const auto& [key, value] : meta.items()) meta_keys.push_back(key);
  const std::string meta_key = meta_keys[m.below(meta_keys.size())];

  switch (m.below(16)) {
    case 0: {
      static const std::vector<Json> dtypes = {"F32", "F16", "BF16", "F64", "I64", "I32", "I16", "I8", "U8", "BOOL",
                                               "U16", "U32", "U64", "F8_E4M3", "F8_E5M2", "X", "", 5, nullptr};
      header[tensor]["dtype"] = dtypes[m.below(dtypes.size())];
      label += " dtype";
      break;
    }
    case 1: header[tensor]["shape"] = odd_shape(m, header[tensor]["shape"]); label += " shape"; break;
    case 2: header[tensor]["data_offsets"] = odd_offsets(m, header[tensor]["data_offsets"]); label += " offsets"; break;
    case 3: {
      static const char* keys[] = {"dtype", "shape", "data_offsets"};
      header[tensor].erase(keys[m.below(3)]);
      label += " drop-field";
      break;
    }
    case 4: header.erase(tensor); label += " drop-tensor"; break;
    case 5: {
      static const char* names[] = {"resume.unknown", "resume.rng", "resume.model.extra", "resume.adam.x.exp_avg",
                                    "__metadata__x", "", "\xff\xfe"};
      Json entry = header[tensor];
      header.erase(tensor);
      header[names[m.below(7)]] = entry;
      label += " rename-tensor";
      break;
    }
    case 6: {
      // Same data claimed twice: overlap.
      header[std::string("copy.") + tensor] = header[tensor];
      label += " duplicate-tensor";
      break;
    }
    case 7: meta[meta_key] = odd_value(m); label += " metadata-type"; break;
    case 8: {
      static const char* versions[] = {"2", "0", "-1", "1e3", "1.0", "99999999999999999999", " 1", "1 ", "", "01"};
      meta["format_version"] = versions[m.below(10)];
      label += " format-version";
      break;
    }
    case 9:
    case 10:
    case 11: {
      // A field inside one of the JSON-valued metadata entries.
      static const char* sections[] = {"model_config", "schedule", "data", "training", "resume"};
      const std::string section = sections[m.below(5)];
      if (!meta.contains(section)) break;
      Json inner = Json::parse(meta[section].get<std::string>());
      std::vector<std::string> fields;
      for (const auto& [key, value] : inner.items()) fields.push_back(key);
      const std::string field = fields[m.below(fields.size())];
      if (m.below(6) == 0) inner.erase(field);
      else if (inner[field].is_array() && !inner[field].empty() && m.below(2)) inner[field][0] = odd_value(m);
      else inner[field] = odd_value(m);
      meta[section] = inner.dump();
      label += " field " + section + "." + field;
      break;
    }
    case 12: {
      static const char* texts[] = {"{", "[]", "null", "{\"kind\": }", "\xff\xfe{}", "{\"a\": 1e999}"};
      meta[meta_key] = texts[m.below(6)];
      label += " metadata-text";
      break;
    }
    case 13: {
      // Non-UTF-8 and control bytes straight into the JSON text.
      std::string text = header.dump();
      const std::size_t at = 1 + m.below(text.size() - 1);
      static const char* bytes[] = {"\xff", "\xc3", "\xed\xa0\x80", "\x01", "\\", "\"", "\\u0000", "\\ud800"};
      text.insert(at, bytes[m.below(8)]);
      label += " raw-bytes";
      return join(text, parts.data);
    }
    case 14: {
      // Deeply nested JSON as a metadata value or a whole tensor entry.
      std::string text = header.dump();
      const std::string deep = nested(1000 + m.below(200000));
      const std::string key = "\"" + meta_key + "\":";
      const auto at = text.find(key);
      text = text.substr(0, at + key.size()) + deep + "," + text.substr(at);
      label += " nested";
      return join(text, parts.data);
    }
    default: {
      static const std::uint64_t lengths[] = {0, 1, 2, 7, 8, 100'000'000, 100'000'001, 1ULL << 63, UINT64_MAX};
      std::uint64_t n = lengths[m.below(9)];
      if (m.below(3) == 0) n = parts.header.size() + parts.data.size() + m.below(3) - 1;
      label += " length-field";
      return length_field(n) + parts.header + parts.data;
    }
  }
  std::string text;
  try {
    text = header.dump();
  } catch (const Json::type_error&) {  // a non-UTF-8 name: nlohmann refuses to write it; write it raw
    text = header.dump(-1, ' ', false, Json::error_handler_t::ignore);
  }
  return join(text, parts.data);
}

}  // namespace

class TestFuzzCheckpoint : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::vector<std::pair<std::string, std::string>> seeds_;  // name, bytes

  // 16 MiB + 8 × the file: tensors never exceed the file, float16 weights double.
  test::FuzzHarness harness(const char* reader) {
    return test::FuzzHarness(reader, dir_.path().toStdString(), ".safetensors", std::size_t{16} << 20, 8.0);
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    const std::string fixture =
        test::read_bytes(std::string(DDPM_TEST_DATA_DIR) + "/" + test::kCheckpointV1Fixture);
    QVERIFY(!fixture.empty());
    seeds_.emplace_back("v1 fixture with resume data", fixture);
    CheckpointData plain = test::fixture_checkpoint();
    plain.resume = {};
    const std::string path = dir_.filePath("seed.safetensors").toStdString();
    save_checkpoint(path, plain);
    seeds_.emplace_back("weights only", test::read_bytes(path));
    save_checkpoint(path, plain, WeightPrecision::Float16);
    seeds_.emplace_back("float16 weights", test::read_bytes(path));
    for (const auto& [name, bytes] : seeds_) read_like_the_app((test::write_bytes(path, bytes), path));
  }

  void truncations_eachGiveCleanError() {
    // Every length of the small float16 file, and every length of the larger ones up
    // to the end of the header plus every 13th after it.
    auto h = harness("checkpoint truncations");
    for (const auto& [name, bytes] : seeds_) {
      const std::size_t header_end = 8 + split(bytes).header.size();
      for (std::size_t n = 0; n < bytes.size(); ++n)
        if (name == "float16 weights" || n <= header_end + 64 || n % 13 == 0)
          h.run(bytes.substr(0, n), name + " cut to " + std::to_string(n), read_like_the_app);
    }
    QCOMPARE(h.loaded(), std::size_t{0});  // no prefix of a checkpoint is a valid checkpoint
    h.finish();
  }

  void byteMutations_eachLoadOrGiveCleanError() {
    auto h = harness("checkpoint byte mutations");
    test::Mutator m(20261125);
    const int n = test::fuzz_iterations(4000);
    for (int i = 0; i < n; ++i) {
      const auto& [name, bytes] = seeds_[static_cast<std::size_t>(i) % seeds_.size()];
      std::string label = name + ":";
      const std::string input = m.mutate(bytes, label);
      h.run(input, label, read_like_the_app);
    }
    h.finish();
  }

  void structureMutations_eachLoadOrGiveCleanError() {
    auto h = harness("checkpoint structure mutations");
    test::Mutator m(424242);
    const int n = test::fuzz_iterations(4000);
    for (int i = 0; i < n; ++i) {
      const auto& [name, bytes] = seeds_[static_cast<std::size_t>(i) % seeds_.size()];
      std::string label = name + ":";
      std::string input = mutate_structure(bytes, m, label);
      if (m.below(4) == 0) input = m.mutate(input, label);  // and a byte-level one on top
      h.run(input, label, read_like_the_app);
    }
    h.finish();
  }

  void hugeDeclaredModel_isRefusedBeforeBuildingIt() {
    // A config that asks for a network far larger than the weights in the file must be
    // refused before the network is allocated (64 blocks of 4096² would be 8.6 GB).
    const std::string path = dir_.filePath("huge.safetensors").toStdString();
    SafetensorsFile file = read_safetensors(std::string(DDPM_TEST_DATA_DIR) + "/" + test::kCheckpointV1Fixture);
    Json config = Json::parse(file.metadata.at("model_config"));
    config["hidden"] = 4096;
    config["blocks"] = 64;
    file.metadata["model_config"] = config.dump();
    write_safetensors(path, file);
    test::AllocationProbe probe(std::size_t{64} << 20);
    EXPECT_ERROR(load_checkpoint(path), "describes a network of at least");
    QVERIFY(probe.largest() < (std::size_t{64} << 20));
  }
};

QTEST_GUILESS_MAIN(TestFuzzCheckpoint)
#include "test_fuzz_checkpoint.moc"
