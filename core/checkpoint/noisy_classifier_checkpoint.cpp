#include "core/checkpoint/noisy_classifier_checkpoint.h"

#include "core/checkpoint/file_format.h"
#include "core/checkpoint/safetensors.h"
#include "core/util/error.h"
#include "core/util/shape_text.h"
#include "core/util/utc_now.h"
#include "core/util/version.h"

#include <nlohmann/json.hpp>

namespace ddpm {
namespace {

using Json = nlohmann::json;

constexpr const char* kWhat = "a noise-aware classifier";
constexpr FileFormat kFormat{kNoisyClassifierFormatName, kNoisyClassifierFormatVersion, kWhat,
                             "a file from `ddpm classifier train --noisy` (e.g. fashion-mnist-noisy-classifier)"};

[[noreturn]] void invalid(const std::string& path, const std::string& reason) {
  throw Error("'" + path + "' is not " + std::string(kWhat) + ": " + reason);
}

Json info_to_json(const NoisyClassifierInfo& info) {
  Json accuracy = Json::array();
  for (const auto& [t, value] : info.accuracy_by_t) accuracy.push_back({{"t", t}, {"accuracy", value}});
  return {{"model",
           {{"architecture", "noisy-classifier"},
            {"sample_shape", info.shape.sample_shape},
            {"classes", info.shape.classes},
            {"width", info.shape.width},
            {"time_dim", info.shape.time_dim}}},
          {"class_names", info.class_names},
          {"schedule", Json::parse(info.schedule.empty() ? "{}" : info.schedule)},
          {"normalisation", {{"offset", info.normalisation.offset}, {"scale", info.normalisation.scale}}},
          {"data", info.data},
          {"trained_for", info.trained_for},
          {"test_accuracy_by_t", accuracy},
          {"epochs", info.epochs},
          {"seed", info.seed},
          {"train_samples", info.train_samples}};
}

// Reads field `name` of `j` as T, or says which field is wrong.
template <typename T>
T field(const std::string& path, const Json& j, const char* name) {
  try {
    return j.at(name).get<T>();
  } catch (const Json::exception&) {
    invalid(path, std::string("its metadata field '") + name + "' is missing or of the wrong kind");
  }
}

NoisyClassifierInfo info_from_metadata(const std::string& path, const std::map<std::string, std::string>& meta) {
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
  if (field<std::string>(path, m, "architecture") != "noisy-classifier")
    invalid(path, "its architecture is not 'noisy-classifier'");
  NoisyClassifierInfo info;
  info.shape.sample_shape = field<std::vector<std::int64_t>>(path, m, "sample_shape");
  info.shape.classes = field<std::int64_t>(path, m, "classes");
  info.shape.width = field<std::int64_t>(path, m, "width");
  info.shape.time_dim = field<std::int64_t>(path, m, "time_dim");
  try {
    validate_noisy_classifier_options(info.shape);
  } catch (const Error& e) {
    invalid(path, std::string("its shape is not valid (") + e.what() + ")");
  }
  info.class_names = field<std::vector<std::string>>(path, j, "class_names");
  if (static_cast<std::int64_t>(info.class_names.size()) != info.shape.classes)
    invalid(path, "it names " + std::to_string(info.class_names.size()) + " classes but has " +
                      std::to_string(info.shape.classes));
  if (!j.contains("schedule") || !j.at("schedule").is_object()) invalid(path, "its metadata has no schedule");
  info.schedule = j.at("schedule").dump();
  const Json norm = field<Json>(path, j, "normalisation");
  info.normalisation.offset = field<std::vector<double>>(path, norm, "offset");
  info.normalisation.scale = field<std::vector<double>>(path, norm, "scale");
  info.data = field<std::string>(path, j, "data");
  if (j.contains("trained_for") && j.at("trained_for").is_string()) info.trained_for = j.at("trained_for");
  if (j.contains("test_accuracy_by_t") && j.at("test_accuracy_by_t").is_array())
    for (const Json& row : j.at("test_accuracy_by_t"))
      info.accuracy_by_t.emplace_back(field<std::int64_t>(path, row, "t"), field<double>(path, row, "accuracy"));
  if (j.contains("epochs") && j.at("epochs").is_number_integer()) info.epochs = j.at("epochs");
  if (j.contains("seed") && j.at("seed").is_number_unsigned()) info.seed = j.at("seed");
  if (j.contains("train_samples") && j.at("train_samples").is_number_integer()) info.train_samples = j.at("train_samples");
  if (auto it = meta.find("created"); it != meta.end()) info.created = it->second;
  if (auto it = meta.find("app_version"); it != meta.end()) info.app_version = it->second;
  info.source = path;
  return info;
}

}  // namespace

void save_noisy_classifier(const std::string& path, NoisyClassifierImpl& model, const NoisyClassifierInfo& given) {
  NoisyClassifierInfo info = given;
  info.shape = model.options();
  if (static_cast<std::int64_t>(info.class_names.size()) != info.shape.classes)
    throw Error("cannot save '" + path + "': the classifier has " + std::to_string(info.shape.classes) +
                " classes but " + std::to_string(info.class_names.size()) + " names");
  if (info.created.empty()) info.created = utc_now();
  if (info.app_version.empty()) info.app_version = ddpm_version();
  write_module_file(path, model, kFormat,
                    {{"created", info.created}, {"app_version", info.app_version}, {"classifier", info_to_json(info).dump()}});
}

LoadedNoisyClassifier load_noisy_classifier(const std::string& path) {
  // Header first, so another kind of file is refused before its data is read.
  LoadedNoisyClassifier loaded;
  loaded.info = info_from_metadata(path, read_safetensors_header(path, kWhat).metadata);
  loaded.model = NoisyClassifier(loaded.info.shape);
  read_module_weights(path, *loaded.model, kFormat);
  loaded.model->eval();
  return loaded;
}

NoisyClassifierInfo read_noisy_classifier_info(const std::string& path) {
  return info_from_metadata(path, read_safetensors_header(path, kWhat).metadata);
}

bool is_noisy_classifier_file(const std::string& path) {
  return has_format(path, kNoisyClassifierFormatName);
}

std::string noisy_classifier_info_json(const NoisyClassifierInfo& info) {
  Json j = info_to_json(info);
  if (!info.source.empty()) j["file"] = info.source;
  j["format"] = kNoisyClassifierFormatName;
  return j.dump(2);
}

void check_classifier_fits(const NoisyClassifierInfo& classifier, const CheckpointData& model) {
  const std::string name = classifier.source.empty() ? std::string("the classifier") : "'" + classifier.source + "'";
  if (classifier.shape.sample_shape != model.sample_shape)
    throw Error(name + " classifies samples of shape " + shape_text(classifier.shape.sample_shape) +
                " but the model makes " + shape_text(model.sample_shape));
  if (classifier.schedule != schedule_json_text(model.schedule))
    throw Error(name + " was trained on another noise schedule than this model's, so it cannot read its x_t; "
                "train one for this model: ddpm classifier train --noisy --checkpoint MODEL");
  if (!(classifier.normalisation == model.normalisation))
    throw Error(name + " was trained on data in other coordinates than this model's (another normalisation); "
                "train one for this model: ddpm classifier train --noisy --checkpoint MODEL");
}

}  // namespace ddpm
