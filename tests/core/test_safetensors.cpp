// The safetensors reader/writer: exact byte layout against hand-built files, round
// trips, and real broken files (each must give ddpm::Error naming the file, never a crash).
#include "core/checkpoint/safetensors.h"
#include "core/util/error.h"
#include "core_test_support.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cstring>
#include <fstream>
#include <random>

#include <QTemporaryDir>
#include <QtTest>

using namespace ddpm;
using ddpm::test::read_bytes;
using ddpm::test::write_bytes;

namespace {

std::string le64(std::uint64_t n) {
  std::string s;
  for (int i = 0; i < 8; ++i) s.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
  return s;
}

template <typename T>
std::string raw(std::initializer_list<T> values) {
  std::string s;
  for (T v : values) s.append(reinterpret_cast<const char*>(&v), sizeof v);
  return s;
}

// A file from a header text and a data buffer, built by hand (independent of the writer).
std::string file_bytes(const std::string& header, const std::string& data) {
  return le64(header.size()) + header + data;
}

// Two F32 values and one I64, with metadata: 24 bytes of data.
const std::string kGoodHeader =
    R"({"b":{"dtype":"I64","shape":[1],"data_offsets":[8,16]},)"
    R"("a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
    R"("c":{"dtype":"F16","shape":[2,2],"data_offsets":[16,24]},)"
    R"("__metadata__":{"format":"test","note":"h\u00e9llo"}})";

std::string good_data() {
  // F32 1.5 = 0x3FC00000, −2.0 = 0xC0000000; I64 7; F16 1.0 = 0x3C00, −0.5 = 0xB800, 2.0 = 0x4000, 0.
  return raw<std::uint32_t>({0x3FC00000u, 0xC0000000u}) + raw<std::int64_t>({7}) +
         raw<std::uint16_t>({0x3C00, 0xB800, 0x4000, 0x0000});
}

void expect_error(const std::string& path, const std::string& fragment) {
  try {
    read_safetensors(path);
  } catch (const Error& e) {
    const std::string message = e.what();
    QVERIFY2(message.find("'" + path + "'") != std::string::npos, message.c_str());
    QVERIFY2(message.find(fragment) != std::string::npos, (message + "  [expected: " + fragment + "]").c_str());
    return;
  }
  QFAIL(("no error for a broken file (expected: " + fragment + ")").c_str());
}

}  // namespace

class TestSafetensors : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir dir_;
  std::string path(const char* name) const { return dir_.filePath(name).toStdString(); }

 private slots:
  void readHandBuiltFile_givesKnownValues() {
    const std::string p = path("hand.safetensors");
    write_bytes(p, file_bytes(kGoodHeader, good_data()));
    const SafetensorsFile f = read_safetensors(p);
    QCOMPARE(f.tensors.size(), std::size_t{3});
    const auto a = f.tensors.at("a");
    QCOMPARE(a.scalar_type(), torch::kFloat32);
    QCOMPARE(a.sizes().vec(), (std::vector<std::int64_t>{2}));
    QCOMPARE(a[0].item<float>(), 1.5f);
    QCOMPARE(a[1].item<float>(), -2.0f);
    QCOMPARE(f.tensors.at("b").scalar_type(), torch::kInt64);
    QCOMPARE(f.tensors.at("b")[0].item<std::int64_t>(), std::int64_t{7});
    const auto c = f.tensors.at("c");
    QCOMPARE(c.scalar_type(), torch::kFloat16);
    QVERIFY(torch::equal(c.to(torch::kFloat32), torch::tensor({1.0f, -0.5f, 2.0f, 0.0f}).reshape({2, 2})));
    QCOMPARE(f.metadata.at("format"), std::string("test"));
    QCOMPARE(f.metadata.at("note"), std::string("h\xc3\xa9llo"));  // UTF-8 é
  }

  void writer_headerParsesAndOffsetsAreRight() {
    SafetensorsFile f;
    f.tensors["weight"] = torch::arange(6, torch::kFloat32).reshape({2, 3});
    f.tensors["bias"] = torch::tensor({-1.0, 2.5}, torch::kFloat64);
    f.tensors["count"] = torch::tensor({std::int64_t{42}});
    f.metadata["k"] = "v";
    const std::string bytes = serialize_safetensors(f);

    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(bytes[i]);
    QCOMPARE(n % 8, std::uint64_t{0});  // data 8-byte aligned
    const auto header = nlohmann::json::parse(bytes.substr(8, n));
    QCOMPARE(header["__metadata__"]["k"].get<std::string>(), std::string("v"));
    std::uint64_t total = 0;
    for (const auto& [name, tensor] : f.tensors) {
      const auto& entry = header.at(name);
      const auto begin = entry["data_offsets"][0].get<std::uint64_t>();
      const auto end = entry["data_offsets"][1].get<std::uint64_t>();
      QCOMPARE(entry["shape"].get<std::vector<std::int64_t>>(), tensor.sizes().vec());
      QCOMPARE(end - begin, static_cast<std::uint64_t>(tensor.numel() * tensor.element_size()));
      QVERIFY(std::memcmp(bytes.data() + 8 + n + begin, tensor.data_ptr(), end - begin) == 0);
      total += end - begin;
    }
    QCOMPARE(header["weight"]["dtype"].get<std::string>(), std::string("F32"));
    QCOMPARE(header["bias"]["dtype"].get<std::string>(), std::string("F64"));
    QCOMPARE(header["count"]["dtype"].get<std::string>(), std::string("I64"));
    // Sorted by name in the buffer: bias, count, weight.
    QCOMPARE(header["bias"]["data_offsets"][0].get<std::uint64_t>(), std::uint64_t{0});
    QCOMPARE(header["count"]["data_offsets"][0].get<std::uint64_t>(), std::uint64_t{16});
    QCOMPARE(header["weight"]["data_offsets"][0].get<std::uint64_t>(), std::uint64_t{24});
    QCOMPARE(bytes.size(), 8 + n + total);
  }

  void roundTrip_severalDtypesAndShapes() {
    SafetensorsFile f;
    f.tensors["f32"] = torch::randn({3, 4});
    f.tensors["f64_scalar"] = torch::tensor(3.25, torch::kFloat64).reshape({});
    f.tensors["f16"] = torch::randn({5}).to(torch::kFloat16);
    f.tensors["bf16"] = torch::randn({2, 2, 2}).to(torch::kBFloat16);
    f.tensors["i64"] = torch::arange(-3, 4, torch::kInt64);
    f.tensors["i32"] = torch::arange(5, torch::kInt32);
    f.tensors["u8"] = torch::arange(250, 256).to(torch::kUInt8);
    f.tensors["bool"] = torch::tensor({true, false, true});
    f.tensors["empty"] = torch::zeros({0, 3});
    f.tensors["strided"] = torch::arange(12, torch::kFloat32).reshape({3, 4}).t();  // not contiguous
    f.metadata = {{"a", "1"}, {"long", std::string(1000, 'x')}};
    const std::string p = path("round.safetensors");
    write_safetensors(p, f);
    const SafetensorsFile g = read_safetensors(p);
    QCOMPARE(g.metadata, f.metadata);
    QCOMPARE(g.tensors.size(), f.tensors.size());
    for (const auto& [name, tensor] : f.tensors) {
      const auto& back = g.tensors.at(name);
      QCOMPARE(back.scalar_type(), tensor.scalar_type());
      QVERIFY2(torch::equal(back, tensor.contiguous()), name.c_str());
    }
    const SafetensorsHeader h = read_safetensors_header(p);
    QCOMPARE(h.tensors.at("bf16").dtype, std::string("BF16"));
    QCOMPARE(h.tensors.at("f64_scalar").shape.size(), std::size_t{0});
    QCOMPARE(h.file_size, static_cast<std::uint64_t>(read_bytes(p).size()));
  }

  void brokenFile_reportsError_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("fragment");
    const std::string good = file_bytes(kGoodHeader, good_data());
    const auto row = [](const char* name, const std::string& bytes, const char* fragment) {
      QTest::newRow(name) << QByteArray(bytes.data(), static_cast<int>(bytes.size())) << QString(fragment);
    };
    row("empty", "", "is truncated");
    row("4 bytes", good.substr(0, 4), "is truncated");
    row("8 bytes", good.substr(0, 8), "is truncated");
    row("mid-header", good.substr(0, 8 + kGoodHeader.size() / 2), "is truncated");
    row("mid-data", good.substr(0, good.size() - 12), "is truncated");
    row("last byte missing", good.substr(0, good.size() - 1), "is truncated");
    row("header length > file", le64(good.size()) + good.substr(8), "is truncated");
    row("huge header length", le64(std::uint64_t{1} << 60) + good.substr(8), "100 MB");
    row("invalid JSON", file_bytes(R"({"a": [1, 2)", ""), "not valid JSON");
    row("invalid UTF-8", file_bytes("{\"\xff\xfe\":{}}", ""), "not valid JSON");
    row("not an object", file_bytes("[1, 2, 3]", ""), "not a JSON object");
    row("first byte flipped", le64(kGoodHeader.size()) + "}" + kGoodHeader.substr(1) + good_data(),
        "not a JSON object");
    row("unknown dtype", file_bytes(R"({"a":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}})", std::string(8, 0)),
        "unknown dtype 'F33'");
    row("unsupported dtype", file_bytes(R"({"a":{"dtype":"U32","shape":[2],"data_offsets":[0,8]}})", std::string(8, 0)),
        "cannot read");
    row("dtype not text", file_bytes(R"({"a":{"dtype":4,"shape":[2],"data_offsets":[0,8]}})", std::string(8, 0)),
        "not a string");
    row("negative shape", file_bytes(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", std::string(8, 0)),
        "non-negative");
    row("fractional shape", file_bytes(R"({"a":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}})", std::string(8, 0)),
        "non-negative");
    row("huge shape", file_bytes(R"({"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}})",
                                 std::string(8, 0)),
        "impossibly large");
    row("shape/offsets mismatch", file_bytes(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})",
                                             std::string(8, 0)),
        "span 8 bytes");
    row("offsets out of range", file_bytes(R"({"a":{"dtype":"F32","shape":[250],"data_offsets":[0,1000]}})",
                                           std::string(8, 0)),
        "is truncated");
    row("offsets reversed", file_bytes(R"({"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}})", std::string(8, 0)),
        "end before they begin");
    row("offsets overlap", file_bytes(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                                      R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                                      std::string(12, 0)),
        "overlap");
    row("gap in data", file_bytes(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},)"
                                  R"("b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}})",
                                  std::string(12, 0)),
        "unused bytes");
    row("unexplained tail", file_bytes(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})", std::string(9, 0)),
        "not described");
    row("offsets not a pair", file_bytes(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}})", std::string(4, 0)),
        "[begin, end] pair");
    row("no offsets", file_bytes(R"({"a":{"dtype":"F32","shape":[1]}})", std::string(4, 0)), "no \"data_offsets\"");
    row("entry not object", file_bytes(R"({"a":"F32"})", ""), "not a JSON object");
    row("metadata not text", file_bytes(R"({"__metadata__":{"k":1}})", ""), "'k' is not a string");
    row("metadata not object", file_bytes(R"({"__metadata__":[]})", ""), "__metadata__ is not a JSON object");
  }

  void brokenFile_reportsError() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, fragment);
    const std::string p = path("broken.safetensors");
    write_bytes(p, bytes.toStdString());
    expect_error(p, fragment.toStdString());
    // The header-only reader refuses it too, with the same kind of sentence.
    QVERIFY_THROWS_EXCEPTION(Error, read_safetensors_header(p));
  }

  void referenceImplementationVectors_behaveTheSame() {
    // Byte strings of the kind huggingface/safetensors' own Rust tests feed its reader,
    // with the length prefix spelled out as bytes ('<' = 60), and that reader's verdict.
    const std::string header = R"({"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}})";
    QCOMPARE(header.size(), std::size_t{60});
    const std::string prefix("<\0\0\0\0\0\0\0", 8);
    const std::string p = path("reference.safetensors");

    write_bytes(p, prefix + header + std::string(16, '\0'));  // accepted
    const SafetensorsFile f = read_safetensors(p);
    QCOMPARE(f.tensors.at("test").scalar_type(), torch::kInt32);
    QCOMPARE(f.tensors.at("test").sizes().vec(), (std::vector<std::int64_t>{2, 2}));
    QVERIFY(torch::equal(f.tensors.at("test"), torch::zeros({2, 2}, torch::kInt32)));

    write_bytes(p, prefix + header + std::string(16, '\0') + "extra_bogus_data_for_polyglot_file");
    expect_error(p, "not described");  // MetadataIncompleteBuffer
    write_bytes(p, prefix + header + std::string(14, '\0'));
    expect_error(p, "is truncated");  // MetadataIncompleteBuffer (missing 2 bytes)
    write_bytes(p, std::string("<\0\0\0\0\xff\xff\xff", 8) + header + std::string(16, '\0'));
    expect_error(p, "100 MB");  // HeaderTooLarge
    write_bytes(p, prefix);
    expect_error(p, "is truncated");  // InvalidHeaderLength
    write_bytes(p, std::string("\x01\0\0\0\0\0\0\0\xff", 9));
    expect_error(p, "not a JSON object");  // InvalidHeader (not UTF-8, not '{')
    write_bytes(p, std::string("\x01\0\0\0\0\0\0\0{", 9));
    expect_error(p, "not a JSON object");  // InvalidHeaderDeserialization
    write_bytes(p, std::string("\x06\0\0\0\0\0\0\0{}\r \t\n", 14));  // whitespace padding is allowed
    QCOMPARE(read_safetensors(p).tensors.size(), std::size_t{0});

    const std::string scalar = R"({"test":{"dtype":"I32","shape":[],"data_offsets":[0,4]}})";
    write_bytes(p, std::string("8\0\0\0\0\0\0\0", 8) + scalar + std::string(4, '\0'));  // '8' = 56
    QCOMPARE(read_safetensors(p).tensors.at("test").dim(), std::int64_t{0});

    const std::string zero = R"({"test":{"dtype":"I32","shape":[2,0],"data_offsets":[0, 0]}})";
    write_bytes(p, prefix + zero);  // zero-sized tensor, no data
    QCOMPARE(read_safetensors(p).tensors.at("test").numel(), std::int64_t{0});

    write_bytes(p, prefix + R"({"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0, 4]}})");
    expect_error(p, "span 4 bytes");  // TensorInvalidInfo
    const std::string overflow = R"({"test":{"dtype":"I32","shape":[2,18446744073709551614],"data_offsets":[0,16]}})";
    write_bytes(p, std::string("O\0\0\0\0\0\0\0", 8) + overflow + std::string(16, '\0'));
    expect_error(p, "non-negative integer");  // ValidationOverflow (beyond int64)
    const std::string overflow2 = R"({"test":{"dtype":"I32","shape":[2,9223372036854775807],"data_offsets":[0,16]}})";
    write_bytes(p, std::string("N\0\0\0\0\0\0\0", 8) + overflow2 + std::string(16, '\0'));
    expect_error(p, "impossibly large");  // ValidationOverflow
  }

  void everyTruncation_reportsError() {
    const std::string good = file_bytes(kGoodHeader, good_data());
    const std::string p = path("cut.safetensors");
    for (std::size_t n = 0; n < good.size(); ++n) {
      write_bytes(p, good.substr(0, n));
      QVERIFY_THROWS_EXCEPTION(Error, read_safetensors(p));
    }
  }

  void flippedHeaderBytes_neverCrash() {
    // Every header byte XOR-ed with a few masks: the reader either refuses with
    // ddpm::Error or (when the flip keeps it valid, e.g. inside a metadata string)
    // returns tensors that fit the file.
    const std::string good = file_bytes(kGoodHeader, good_data());
    const std::string p = path("flipped.safetensors");
    int refused = 0, accepted = 0;
    for (std::size_t i = 0; i < 8 + kGoodHeader.size(); ++i)
      for (unsigned char mask : {0x01, 0x20, 0x80, 0xff}) {
        std::string bytes = good;
        bytes[i] = static_cast<char>(static_cast<unsigned char>(bytes[i]) ^ mask);
        write_bytes(p, bytes);
        try {
          const SafetensorsFile f = read_safetensors(p);
          std::int64_t total = 0;
          for (const auto& [name, t] : f.tensors) total += t.numel() * t.element_size();
          QVERIFY(total <= static_cast<std::int64_t>(good_data().size()));
          ++accepted;
        } catch (const Error& e) {
          QVERIFY(std::string(e.what()).find(p) != std::string::npos);
          ++refused;
        }
      }
    QVERIFY(refused > accepted);  // most flips break the file
  }

  void missingFileOrFolder_reportsError() {
    try {
      read_safetensors(path("nope.safetensors"));
      QFAIL("no error");
    } catch (const Error& e) {
      QVERIFY(std::string(e.what()).find("cannot read") != std::string::npos);
    }
    try {
      read_safetensors(dir_.path().toStdString());
      QFAIL("no error");
    } catch (const Error& e) {
      QVERIFY(std::string(e.what()).find("is a folder") != std::string::npos);
    }
  }

  void writeIntoMissingFolder_reportsError() {
    SafetensorsFile f;
    f.tensors["a"] = torch::ones({2});
    const std::string p = path("no/such/folder/x.safetensors");
    QVERIFY_THROWS_EXCEPTION(Error, write_safetensors(p, f));
  }

  void writeUnsupported_reportsError() {
    SafetensorsFile f;
    f.tensors["__metadata__"] = torch::ones({1});
    QVERIFY_THROWS_EXCEPTION(Error, serialize_safetensors(f));
    SafetensorsFile g;
    g.tensors["c"] = torch::ones({1}, torch::kComplexFloat);
    QVERIFY_THROWS_EXCEPTION(Error, serialize_safetensors(g));
  }
};

QTEST_GUILESS_MAIN(TestSafetensors)
#include "test_safetensors.moc"
