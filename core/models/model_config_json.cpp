#include "core/models/model_config_json.h"

#include "core/util/error.h"

#include <limits>
#include <string>

namespace ddpm {

namespace {

std::int64_t to_int64(const nlohmann::json& value, const std::string& field) {
  if (!value.is_number_integer()) throw Error("model config: field \"" + field + "\" must be an integer");
  if (value.is_number_unsigned() &&
      value.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    throw Error("model config: field \"" + field + "\" is out of range");
  return value.get<std::int64_t>();
}

const nlohmann::json* find_field(const nlohmann::json& json, const std::string& field, bool required) {
  const auto it = json.find(field);
  if (it == json.end()) {
    if (required) throw Error("model config: missing field \"" + field + "\"");
    return nullptr;
  }
  return &*it;
}

void read_int(const nlohmann::json& json, const std::string& field, bool required, std::int64_t& out) {
  if (const auto* value = find_field(json, field, required)) out = to_int64(*value, field);
}

void read_int_list(const nlohmann::json& json, const std::string& field, bool required, std::vector<std::int64_t>& out) {
  const auto* value = find_field(json, field, required);
  if (!value) return;
  if (!value->is_array()) throw Error("model config: field \"" + field + "\" must be a list of integers");
  if (value->size() > 64) throw Error("model config: field \"" + field + "\" has too many entries");
  std::vector<std::int64_t> list;
  for (const auto& item : *value) list.push_back(to_int64(item, field + " entry"));
  out = std::move(list);
}

}  // namespace

nlohmann::json to_json(const ModelConfig& config) {
  nlohmann::json json;
  json["preset"] = config.preset;
  json["sample_shape"] = config.sample_shape;
  json["time_embedding_dim"] = config.time_embedding_dim;
  if (config.conditional()) json["num_classes"] = config.num_classes;  // absent: unconditional (older files too)
  if (config.objective != Objective::Eps) json["objective"] = to_string(config.objective);  // absent: ε (older files too)
  const bool unet = config.preset != "mlp";
  if (!unet) {
    json["hidden"] = config.hidden;
    json["blocks"] = config.blocks;
  } else {
    json["base_channels"] = config.base_channels;
    json["channel_mult"] = config.channel_mult;
    json["res_blocks"] = config.res_blocks;
    json["attention_resolutions"] = config.attention_resolutions;
    json["dropout"] = config.dropout;
    json["groups"] = config.groups;
  }
  return json;
}

ModelConfig model_config_from_json(const nlohmann::json& json) {
  if (!json.is_object()) throw Error("model config: expected a JSON object");
  ModelConfig config;
  const auto* preset = find_field(json, "preset", true);
  if (!preset->is_string()) throw Error("model config: field \"preset\" must be a string");
  config.preset = preset->get<std::string>();
  const bool mlp = model_family(config.preset) == ModelFamily::Mlp;
  read_int_list(json, "sample_shape", true, config.sample_shape);
  read_int(json, "time_embedding_dim", true, config.time_embedding_dim);
  read_int(json, "num_classes", false, config.num_classes);
  if (const auto* objective = find_field(json, "objective", false)) {
    if (!objective->is_string()) throw Error("model config: field \"objective\" must be a string");
    config.objective = objective_from_string(objective->get<std::string>());
  }
  read_int(json, "hidden", mlp, config.hidden);
  read_int(json, "blocks", mlp, config.blocks);
  read_int(json, "base_channels", !mlp, config.base_channels);
  read_int_list(json, "channel_mult", !mlp, config.channel_mult);
  read_int(json, "res_blocks", !mlp, config.res_blocks);
  read_int_list(json, "attention_resolutions", !mlp, config.attention_resolutions);
  if (const auto* dropout = find_field(json, "dropout", !mlp)) {
    if (!dropout->is_number()) throw Error("model config: field \"dropout\" must be a number");
    config.dropout = dropout->get<double>();
  }
  read_int(json, "groups", !mlp, config.groups);
  validate_model_config(config);
  return config;
}

}  // namespace ddpm
