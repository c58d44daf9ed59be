#include "core/checkpoint/classifier_checkpoint.h"

#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/file_format.h"
#include "core/checkpoint/safetensors.h"
#include "core/util/error.h"
#include "core/util/utc_now.h"
#include "core/util/version.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <ctime>

namespace ddpm {
namespace {

using Json = nlohmann::json;

constexpr const char* kWhat = "a DDPM Studio classifier";
constexpr FileFormat kFormat{kClassifierFormatName, kClassifierFormatVersion, kWhat, "fmnist-classifier.safetensors"};

[[noreturn]] void invalid(const std::string& path, const std::string& reason) {
  throw Error("'" + path + "' is not " + std::string(kWhat) + ": " + reason);
}

Json shape_to_json(const FmnistClassifierOptions& s) {
  return {{"architecture", "fmnist-cnn"}, {"input", {1, kClassifierImageSize, kClassifierImageSize}},
          {"input_range", {-1, 1}},      {"channels", {s.channels1(), s.channels2(), s.channels3()}},
          {"feature_dim", s.feature_dim()}, {"classes", s.classes()}};
}

Json info_to_json(const ClassifierInfo& info) {
  return {{"model", shape_to_json(info.shape)},
          {"test_accuracy", info.test_accuracy},
          {"epochs", info.epochs},
          {"seed", info.seed},
          {"train_images", info.train_images},
          {"data", info.data},
          {"created", info.created},
          {"app_version", info.app_version}};
}

std::int64_t integer_field(const std::string& path, const Json& j, const char* field) {
  if (!j.contains(field) || !j.at(field).is_number_integer())
    invalid(path, std::string("its metadata field '") + field + "' is missing or not an integer");
  return j.at(field).get<std::int64_t>();
}

ClassifierInfo info_from_metadata(const std::string& path, const std::map<std::string, std::string>& meta) {
  require_format(path, meta, kFormat);
  const auto text = meta.find("classifier");
  if (text == meta.end()) invalid(path, "its metadata has no 'classifier' entry");
  Json j;
  try {
    j = Json::parse(text->second);
  } catch (const Json::exception&) {  // parse errors, and numbers like 1e999 (out_of_range)
    invalid(path, "its metadata 'classifier' is not valid JSON");
  }
  if (!j.is_object() || !j.contains("model") || !j.at("model").is_object())
    invalid(path, "its metadata 'classifier' has no model description");
  const Json& m = j.at("model");
  if (!m.contains("architecture") || m.at("architecture") != "fmnist-cnn")
    invalid(path, "its architecture is not 'fmnist-cnn'");
  if (!m.contains("channels") || !m.at("channels").is_array() || m.at("channels").size() != 3)
    invalid(path, "its metadata field 'channels' is not a list of three integers");
  ClassifierInfo info;
  std::int64_t channels[3];
  for (int i = 0; i < 3; ++i) {
    if (!m.at("channels")[i].is_number_integer()) invalid(path, "its metadata field 'channels' is not a list of integers");
    channels[i] = m.at("channels")[i].get<std::int64_t>();
  }
  info.shape.channels1(channels[0]).channels2(channels[1]).channels3(channels[2]);
  info.shape.feature_dim(integer_field(path, m, "feature_dim")).classes(integer_field(path, m, "classes"));
  try {
    validate_classifier_options(info.shape);
  } catch (const Error& e) {
    invalid(path, std::string("its shape is not valid (") + e.what() + ")");
  }
  if (j.contains("test_accuracy") && j.at("test_accuracy").is_number()) info.test_accuracy = j.at("test_accuracy");
  if (j.contains("epochs") && j.at("epochs").is_number_integer()) info.epochs = j.at("epochs");
  if (j.contains("seed") && j.at("seed").is_number_unsigned()) info.seed = j.at("seed");
  if (j.contains("train_images") && j.at("train_images").is_number_integer()) info.train_images = j.at("train_images");
  if (j.contains("data") && j.at("data").is_string()) info.data = j.at("data");
  if (auto it = meta.find("created"); it != meta.end()) info.created = it->second;
  if (auto it = meta.find("app_version"); it != meta.end()) info.app_version = it->second;
  info.source = path;
  return info;
}

}  // namespace

void save_classifier(const std::string& path, FmnistClassifierImpl& model, const ClassifierInfo& given) {
  ClassifierInfo info = given;
  info.shape = model.options();
  if (info.created.empty()) info.created = utc_now();
  if (info.app_version.empty()) info.app_version = ddpm_version();
  write_module_file(path, model, kFormat,
                    {{"created", info.created}, {"app_version", info.app_version}, {"classifier", info_to_json(info).dump()}});
}

LoadedClassifier load_classifier(const std::string& path) {
  // Header first, so another kind of file is refused before its data is read.
  const SafetensorsHeader header = read_safetensors_header(path, kWhat);
  LoadedClassifier loaded;
  loaded.info = info_from_metadata(path, header.metadata);
  loaded.model = FmnistClassifier(loaded.info.shape);
  read_module_weights(path, *loaded.model, kFormat);
  loaded.model->eval();
  return loaded;
}

ClassifierInfo read_classifier_info(const std::string& path) {
  return info_from_metadata(path, read_safetensors_header(path, kWhat).metadata);
}

bool is_classifier_file(const std::string& path) {
  return has_format(path, kClassifierFormatName);
}

std::string classifier_info_json(const ClassifierInfo& info) {
  Json j = info_to_json(info);
  if (!info.source.empty()) j["file"] = info.source;
  j["format"] = kClassifierFormatName;
  return j.dump(2);
}

}  // namespace ddpm
