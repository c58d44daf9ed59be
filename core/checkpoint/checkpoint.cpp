#include "core/checkpoint/checkpoint.h"

#include "core/diffusion/parameterisation.h"

#include "core/checkpoint/safetensors.h"
#include "core/data/class_labels.h"
#include "core/models/model_config_json.h"
#include "core/util/error.h"
#include "core/util/shape_text.h"
#include "core/util/utc_now.h"
#include "core/util/version.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <ctime>
#include <set>


namespace ddpm {
namespace {

using Json = nlohmann::json;

constexpr const char* kWhat = "a DDPM Studio checkpoint";
const std::string kResumePrefix = "resume.";
const std::string kResumeModel = "resume.model.";
const std::string kResumeEma = "resume.ema.";
const std::string kResumeAdam = "resume.adam.";
const std::string kResumeRng = "resume.rng";
const std::string kExpAvg = ".exp_avg";
const std::string kExpAvgSq = ".exp_avg_sq";

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}
bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

[[noreturn]] void invalid(const std::string& path, const std::string& reason) {
  throw Error("'" + path + "' is not " + kWhat + ": " + reason);
}

// ---- metadata → JSON ---------------------------------------------------------------

Json schedule_to_json(const ScheduleSpec& s) {
  Json j = {{"kind", to_string(s.kind)}, {"steps", s.steps},     {"beta_start", s.beta_start},
            {"beta_end", s.beta_end},    {"cosine_s", s.cosine_s}};
  if (s.kind == ScheduleKind::Custom) {
    j["custom_betas"] = s.custom_betas;  // nlohmann writes doubles that read back exactly
    j["custom_source"] = s.custom_source;
  }
  return j;
}

Json data_to_json(const CheckpointData& d) {
  Json j = {{"spec", d.data_spec},
            {"normalisation", {{"offset", d.normalisation.offset}, {"scale", d.normalisation.scale}}},
            {"sample_shape", d.sample_shape}};
  if (!d.data_range.empty()) j["range"] = {{"low", d.data_range.low}, {"high", d.data_range.high}};
  if (!d.class_names.empty()) j["class_names"] = d.class_names;
  return j;
}

Json training_to_json(const CheckpointData& d) {
  const TrainOptions& o = d.training;
  Json j = {{"step", d.step},           {"ema_decay", o.ema_decay},       {"learning_rate", o.learning_rate},
            {"batch_size", o.batch_size}, {"seed", o.seed},               {"warmup_steps", o.warmup_steps},
            {"grad_clip", o.grad_clip}};
  if (d.model.conditional()) j["label_dropout"] = o.label_dropout;
  j["loss"] = o.loss;
  if (o.world_size > 1) {  // a data-parallel run: batch_size is per process
    j["world_size"] = o.world_size;
    j["global_batch"] = o.batch_size * o.world_size;
  }
  return j;
}

// ---- JSON → metadata, with messages that name the field ----------------------------

// Reads typed fields of one metadata section; any problem is one sentence naming the
// file, the section and the field.
class Section {
 public:
  Section(const std::string& path, const std::map<std::string, std::string>& metadata, const std::string& key)
      : path_(path), key_(key) {
    const auto it = metadata.find(key);
    if (it == metadata.end()) invalid(path_, "its metadata has no '" + key + "' entry");
    try {
      json_ = Json::parse(it->second);
    } catch (const Json::exception&) {  // parse errors, and numbers like 1e999 (out_of_range)
      invalid(path_, "its metadata '" + key + "' is not valid JSON");
    }
    if (!json_.is_object()) invalid(path_, "its metadata '" + key + "' is not a JSON object");
  }

  const Json& json() const { return json_; }
  bool has(const std::string& field) const { return json_.contains(field); }

  const Json& get(const std::string& field) const {
    if (!json_.contains(field)) fail(field, "is missing");
    return json_.at(field);
  }
  double number(const std::string& field) const {
    const Json& v = get(field);
    if (!v.is_number() || !std::isfinite(v.get<double>())) fail(field, "is not a finite number");
    return v.get<double>();
  }
  std::int64_t integer(const std::string& field) const {
    const Json& v = get(field);
    if (!v.is_number_integer() || (v.is_number_unsigned() && v.get<std::uint64_t>() > INT64_MAX))
      fail(field, "is not an integer");
    return v.get<std::int64_t>();
  }
  std::uint64_t unsigned_integer(const std::string& field) const {
    const Json& v = get(field);
    if (!v.is_number_unsigned()) fail(field, "is not a non-negative integer");
    return v.get<std::uint64_t>();
  }
  std::string text(const std::string& field) const {
    const Json& v = get(field);
    if (!v.is_string()) fail(field, "is not text");
    return v.get<std::string>();
  }
  std::vector<std::string> texts(const std::string& field) const {
    const Json& v = get(field);
    if (!v.is_array()) fail(field, "is not a list of text");
    std::vector<std::string> out;
    for (const Json& x : v) {
      if (!x.is_string()) fail(field, "is not a list of text");
      out.push_back(x.get<std::string>());
    }
    return out;
  }
  std::vector<double> numbers(const Json& v, const std::string& field) const {
    if (!v.is_array()) fail(field, "is not a list of numbers");
    std::vector<double> out;
    for (const Json& x : v) {
      if (!x.is_number() || !std::isfinite(x.get<double>())) fail(field, "is not a list of finite numbers");
      out.push_back(x.get<double>());
    }
    return out;
  }
  std::vector<std::int64_t> integers(const Json& v, const std::string& field) const {
    if (!v.is_array()) fail(field, "is not a list of integers");
    std::vector<std::int64_t> out;
    for (const Json& x : v) {
      if (!x.is_number_integer() || (x.is_number_unsigned() && x.get<std::uint64_t>() > INT64_MAX))
        fail(field, "is not a list of integers");
      out.push_back(x.get<std::int64_t>());
    }
    return out;
  }

  [[noreturn]] void fail(const std::string& field, const std::string& problem) const {
    invalid(path_, "its metadata field '" + key_ + "." + field + "' " + problem);
  }

 private:
  std::string path_;
  std::string key_;
  Json json_;
};

ScheduleSpec schedule_from_json(const Section& s, const std::string& path) {
  ScheduleSpec spec;
  try {
    spec.kind = schedule_kind_from_string(s.text("kind"));
  } catch (const Error&) {
    s.fail("kind", "is not a known schedule kind");
  }
  spec.steps = s.integer("steps");
  spec.beta_start = s.number("beta_start");
  spec.beta_end = s.number("beta_end");
  spec.cosine_s = s.number("cosine_s");
  if (spec.kind == ScheduleKind::Custom) {
    spec.custom_betas = s.numbers(s.get("custom_betas"), "custom_betas");
    if (s.has("custom_source")) spec.custom_source = s.text("custom_source");
  }
  try {
    NoiseSchedule check(spec);  // validates every β and the step count
  } catch (const Error& e) {
    invalid(path, std::string("its schedule is not valid (") + e.what() + ")");
  }
  return spec;
}

// Everything but the tensors, from the metadata table of a file at `path`.
// The `data` section: SPEC, sample shape (the model's), normalisation, and the optional
// range and class names. `d.model` must be read already.
void read_data_section(const Section& data, CheckpointData& d) {
  d.data_spec = data.text("spec");
  d.sample_shape = data.integers(data.get("sample_shape"), "sample_shape");
  if (d.sample_shape != d.model.sample_shape)
    data.fail("sample_shape", "does not match the model's sample shape");
  const Json& norm = data.get("normalisation");
  if (!norm.is_object() || !norm.contains("offset") || !norm.contains("scale"))
    data.fail("normalisation", "does not have an offset and a scale");
  d.normalisation.offset = data.numbers(norm.at("offset"), "normalisation.offset");
  d.normalisation.scale = data.numbers(norm.at("scale"), "normalisation.scale");
  if (d.normalisation.offset.empty() || d.normalisation.offset.size() != d.normalisation.scale.size())
    data.fail("normalisation", "needs as many offsets as scales, at least one");
  const std::size_t channels = d.normalisation.offset.size();
  if (channels != 1 && (d.sample_shape.empty() || channels != static_cast<std::size_t>(d.sample_shape[0])))
    data.fail("normalisation", "needs one value or one per channel / coordinate");
  for (double s : d.normalisation.scale)
    if (s == 0) data.fail("normalisation.scale", "contains a zero");
  if (data.has("range")) {  // optional: written since DataRange (older files have none)
    const Json& range = data.get("range");
    if (!range.is_object() || !range.contains("low") || !range.contains("high"))
      data.fail("range", "does not have a low and a high");
    d.data_range.low = data.numbers(range.at("low"), "range.low");
    d.data_range.high = data.numbers(range.at("high"), "range.high");
    if (d.data_range.low.size() != channels || d.data_range.high.size() != channels)
      data.fail("range", "needs one low and one high per channel / coordinate");
    for (std::size_t i = 0; i < channels; ++i)
      if (!(d.data_range.low[i] < d.data_range.high[i])) data.fail("range", "has a low that is not below its high");
  }
  if (data.has("class_names")) {  // optional: conditional models (older files have none)
    d.class_names = data.texts("class_names");
    if (static_cast<std::int64_t>(d.class_names.size()) != d.model.num_classes)
      data.fail("class_names", "does not name the model's " + std::to_string(d.model.num_classes) + " classes");
  }
}

CheckpointData metadata_to_checkpoint(const std::string& path, const std::map<std::string, std::string>& meta) {
  const auto format = meta.find("format");
  if (format == meta.end() || format->second != kCheckpointFormatName)
    invalid(path, "it is a safetensors file without DDPM Studio metadata (it was probably written by another program)");
  const auto version_it = meta.find("format_version");
  if (version_it == meta.end()) invalid(path, "its metadata has no format_version");
  long long version = 0;
  std::size_t used = 0;
  try {
    version = std::stoll(version_it->second, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != version_it->second.size() || version < 1)
    invalid(path, "its format_version '" + version_it->second + "' is not a positive integer");
  if (version > kCheckpointFormatVersion)
    throw Error("'" + path + "' was written by a newer DDPM Studio (format " + std::to_string(version) +
                "); this build reads format " + std::to_string(kCheckpointFormatVersion) +
                ". Update DDPM Studio to open it");

  CheckpointData d;
  d.source = path;
  d.format_version = static_cast<int>(version);
  if (auto it = meta.find("app_version"); it != meta.end()) d.app_version = it->second;
  if (auto it = meta.find("created"); it != meta.end()) d.created = it->second;
  if (auto it = meta.find("weights_dtype"); it != meta.end()) d.weights_dtype = it->second;

  const auto model = meta.find("model_config");
  if (model == meta.end()) invalid(path, "its metadata has no 'model_config' entry");
  Json model_json;
  try {
    model_json = Json::parse(model->second);
  } catch (const Json::exception&) {  // parse errors, and numbers like 1e999 (out_of_range)
    invalid(path, "its metadata 'model_config' is not valid JSON");
  }
  try {
    d.model = model_config_from_json(model_json);
    validate_model_config(d.model);
  } catch (const Error& e) {
    invalid(path, std::string("its model config is not valid (") + e.what() + ")");
  }

  d.schedule = schedule_from_json(Section(path, meta, "schedule"), path);

  read_data_section(Section(path, meta, "data"), d);

  const Section training(path, meta, "training");
  d.step = training.integer("step");
  if (d.step < 0) training.fail("step", "is negative");
  d.training.ema_decay = training.number("ema_decay");
  d.training.learning_rate = training.number("learning_rate");
  d.training.batch_size = training.integer("batch_size");
  d.training.seed = training.unsigned_integer("seed");
  d.training.warmup_steps = training.integer("warmup_steps");
  d.training.grad_clip = training.number("grad_clip");
  if (training.has("label_dropout")) d.training.label_dropout = training.number("label_dropout");
  if (training.has("loss")) d.training.loss = training.text("loss");
  if (training.has("world_size")) d.training.world_size = training.integer("world_size");
  try {
    d.training.validate();
  } catch (const Error& e) {
    invalid(path, std::string("its training options are not valid (") + e.what() + ")");
  }

  if (meta.count("resume")) {
    d.resumable = true;
    const Section resume(path, meta, "resume");
    d.resume.adam_step = resume.integer("adam_step");
    if (d.resume.adam_step < 0) resume.fail("adam_step", "is negative");
  }
  return d;
}

// ---- tensors ----------------------------------------------------------------------------

bool is_float(torch::ScalarType t) {
  return t == torch::kFloat32 || t == torch::kFloat16 || t == torch::kBFloat16 || t == torch::kFloat64;
}

torch::Tensor as_float32(const torch::Tensor& t) {
  return is_float(t.scalar_type()) ? t.to(torch::kFloat32) : t;
}

// Checks that `names` has exactly the names and shapes of `reference`.
void check_same_names(const std::string& path, const std::string& what, const NamedTensors& names,
                      const NamedTensors& reference) {
  for (const auto& [name, tensor] : names) {
    const auto it = reference.find(name);
    if (it == reference.end()) invalid(path, what + " has a tensor '" + name + "' that the model does not have");
    if (!it->second.sizes().equals(tensor.sizes()))
      invalid(path, what + " tensor '" + name + "' has shape " + shape_text(tensor.sizes()) + " but the model's is " +
                        shape_text(it->second.sizes()));
  }
  for (const auto& [name, tensor] : reference)
    if (!names.count(name)) invalid(path, what + " lacks the tensor '" + name + "'");
}

void fill_tensors(CheckpointData& d, SafetensorsFile&& file) {
  const std::string& path = d.source;
  bool has_resume_tensors = false;
  for (auto& [name, tensor] : file.tensors) {
    if (!starts_with(name, kResumePrefix)) {
      d.weights.emplace(name, as_float32(tensor));
      continue;
    }
    has_resume_tensors = true;
    if (starts_with(name, kResumeModel)) {
      d.resume.online_weights.emplace(name.substr(kResumeModel.size()), as_float32(tensor));
    } else if (starts_with(name, kResumeEma)) {
      d.resume.ema_weights.emplace(name.substr(kResumeEma.size()), as_float32(tensor));
    } else if (starts_with(name, kResumeAdam) && ends_with(name, kExpAvgSq)) {
      const auto param = name.substr(kResumeAdam.size(), name.size() - kResumeAdam.size() - kExpAvgSq.size());
      d.resume.adam_exp_avg_sq.emplace(param, as_float32(tensor));
    } else if (starts_with(name, kResumeAdam) && ends_with(name, kExpAvg)) {
      const auto param = name.substr(kResumeAdam.size(), name.size() - kResumeAdam.size() - kExpAvg.size());
      d.resume.adam_exp_avg.emplace(param, as_float32(tensor));
    } else if (name == kResumeRng) {
      if (tensor.scalar_type() != torch::kUInt8 || tensor.dim() != 1)
        invalid(path, "its generator state 'resume.rng' is not a list of bytes");
      d.resume.rng_state = tensor;
    } else {
      invalid(path, "it has an unknown resume tensor '" + name + "'");
    }
  }
  if (d.weights.empty()) invalid(path, "it holds no model weights");
  for (const auto& [name, tensor] : d.weights)
    if (tensor.scalar_type() != torch::kFloat32) invalid(path, "its weight '" + name + "' is not floating point");

  if (has_resume_tensors != (file.metadata.count("resume") > 0))
    invalid(path, "its resume data is incomplete (tensors and metadata disagree)");
  if (!has_resume_tensors) return;
  check_same_names(path, "its resume data", d.resume.online_weights, d.weights);
  if (!d.resume.ema_weights.empty()) check_same_names(path, "its resume EMA data", d.resume.ema_weights, d.weights);
  if (!d.resume.rng_state.defined()) invalid(path, "its resume data has no generator state 'resume.rng'");
  for (const auto* moments : {&d.resume.adam_exp_avg, &d.resume.adam_exp_avg_sq})
    for (const auto& [name, tensor] : *moments) {
      const auto it = d.weights.find(name);
      if (it == d.weights.end() || !it->second.sizes().equals(tensor.sizes()))
        invalid(path, "its optimiser state for '" + name + "' does not match any weight");
    }
  if (d.resume.adam_exp_avg.size() != d.resume.adam_exp_avg_sq.size())
    invalid(path, "its optimiser state is incomplete");
  for (const auto& [name, tensor] : d.resume.adam_exp_avg)
    if (!d.resume.adam_exp_avg_sq.count(name)) invalid(path, "its optimiser state for '" + name + "' is incomplete");
}

// A lower bound on the parameters of the network `config` describes, counting only the
// square weight matrices it must have: the time embedding's second dense layer (temb²),
// 2 hidden² per MLP block (linear1, linear2), 9 c² per UNet residual block on the down
// path (its 3×3 conv2, c → c).
std::int64_t minimum_parameter_count(const ModelConfig& config) {
  const bool mlp = model_family(config.preset) == ModelFamily::Mlp;
  const std::int64_t temb =
      config.time_embedding_dim > 0 ? config.time_embedding_dim : 4 * (mlp ? config.hidden : config.base_channels);
  if (mlp) return temb * temb + 2 * config.blocks * config.hidden * config.hidden;
  std::int64_t count = temb * temb;
  for (const auto mult : config.channel_mult) {
    const std::int64_t channels = config.base_channels * mult;
    count += config.res_blocks * 9 * channels * channels;
  }
  return count;
}

void count_weights(CheckpointData& d, const SafetensorsHeader& header) {
  // Tensor sizes are bounded by the file (the header tiles its data), so no overflow.
  d.weight_count = 0;
  for (const auto& [name, info] : header.tensors) {
    if (starts_with(name, kResumePrefix)) continue;
    std::int64_t n = 1;
    for (auto s : info.shape) n *= s;
    d.weight_count += n;
  }
  // Refuse a config that asks for a far larger network than the file holds before
  // anything builds it: a corrupt "hidden" or "blocks" must not become gigabytes.
  const std::int64_t needed = minimum_parameter_count(d.model);
  if (needed > d.weight_count)
    invalid(d.source, "its model config describes a network of at least " + std::to_string(needed) +
                          " parameters but the file holds only " + std::to_string(d.weight_count) + " weights");
}

torch::Tensor stored(const std::string& name, const torch::Tensor& weight, WeightPrecision precision) {
  torch::Tensor cpu = weight.detach().to(torch::kCPU);
  if (!is_float(cpu.scalar_type())) return cpu;
  if (precision == WeightPrecision::Float32) return cpu.to(torch::kFloat32);
  const auto dtype = precision == WeightPrecision::Float16 ? torch::kFloat16 : torch::kBFloat16;
  torch::Tensor reduced = cpu.to(dtype);
  if (!torch::isfinite(reduced).all().item<bool>() && torch::isfinite(cpu).all().item<bool>())
    throw Error("weight '" + name + "' has values too large for " + std::string(c10::toString(dtype)) +
                "; save it as float32 instead");
  return reduced;
}

}  // namespace

void save_checkpoint(const std::string& path, const CheckpointData& d, WeightPrecision precision) {
  if (d.weights.empty()) throw Error("cannot save '" + path + "': the checkpoint has no model weights");
  SafetensorsFile file;
  for (const auto& [name, tensor] : d.weights) {
    if (starts_with(name, kResumePrefix))
      throw Error("cannot save '" + path + "': weight name '" + name + "' uses the reserved prefix 'resume.'");
    file.tensors.emplace(name, stored(name, tensor, precision));
  }
  const std::string dtype = precision == WeightPrecision::Float32   ? "F32"
                            : precision == WeightPrecision::Float16 ? "F16"
                                                                    : "BF16";
  auto& meta = file.metadata;
  meta["format"] = kCheckpointFormatName;
  meta["format_version"] = std::to_string(kCheckpointFormatVersion);
  meta["app_version"] = d.app_version.empty() ? ddpm_version() : d.app_version;
  meta["created"] = d.created.empty() ? utc_now() : d.created;
  meta["weights_dtype"] = dtype;
  meta["model_config"] = to_json(d.model).dump();
  meta["schedule"] = schedule_to_json(d.schedule).dump();
  meta["data"] = data_to_json(d).dump();
  meta["training"] = training_to_json(d).dump();

  if (!d.resume.empty()) {
    const ResumeState& r = d.resume;
    if (!r.rng_state.defined()) throw Error("cannot save '" + path + "': the resume data has no generator state");
    const auto float32 = [](const torch::Tensor& t) { return t.detach().to(torch::kCPU).to(torch::kFloat32); };
    for (const auto& [name, tensor] : r.online_weights) file.tensors.emplace(kResumeModel + name, float32(tensor));
    // 16-bit model weights would not resume exactly: keep a float32 EMA copy as well.
    const NamedTensors& ema = r.ema_weights.empty() ? d.weights : r.ema_weights;
    if (precision != WeightPrecision::Float32 || !r.ema_weights.empty())
      for (const auto& [name, tensor] : ema) file.tensors.emplace(kResumeEma + name, float32(tensor));
    for (const auto& [name, tensor] : r.adam_exp_avg) file.tensors.emplace(kResumeAdam + name + kExpAvg, float32(tensor));
    for (const auto& [name, tensor] : r.adam_exp_avg_sq)
      file.tensors.emplace(kResumeAdam + name + kExpAvgSq, float32(tensor));
    file.tensors.emplace(kResumeRng, r.rng_state.detach().to(torch::kCPU).to(torch::kUInt8).flatten());
    meta["resume"] = Json{{"adam_step", r.adam_step}}.dump();
  }
  write_safetensors(path, file);
}

std::string schedule_json_text(const ScheduleSpec& schedule) {
  return schedule_to_json(schedule).dump();
}

CheckpointData read_checkpoint_metadata(const std::string& path) {
  const SafetensorsHeader header = read_safetensors_header(path, kWhat);
  CheckpointData d = metadata_to_checkpoint(path, header.metadata);
  count_weights(d, header);
  return d;
}

CheckpointData load_checkpoint(const std::string& path) {
  // Header and metadata first, so a foreign or newer file is refused before any data is read.
  const SafetensorsHeader header = read_safetensors_header(path, kWhat);
  CheckpointData d = metadata_to_checkpoint(path, header.metadata);
  count_weights(d, header);
  SafetensorsFile file = read_safetensors(path, kWhat);
  if (file.metadata != header.metadata) throw Error("'" + path + "' changed while it was being read; try again");
  fill_tensors(d, std::move(file));
  return d;
}

std::string checkpoint_metadata_json(const CheckpointData& d) {
  Json j;
  if (!d.source.empty()) j["file"] = d.source;
  j["format"] = kCheckpointFormatName;
  j["format_version"] = d.format_version;
  j["app_version"] = d.app_version;
  j["created"] = d.created;
  j["model_config"] = to_json(d.model);
  j["parameters"] = d.weight_count;
  j["weights_dtype"] = d.weights_dtype;
  j["schedule"] = schedule_to_json(d.schedule);
  j["data"] = data_to_json(d);
  j["training"] = training_to_json(d);
  j["resumable"] = d.resumable;
  return j.dump(2);
}

NamedTensors named_weights(const torch::nn::Module& module) {
  NamedTensors out;
  const auto copy = [](const torch::Tensor& t) { return as_float32(t.detach().to(torch::kCPU).clone()); };
  for (const auto& item : module.named_parameters(true)) out.emplace(item.key(), copy(item.value()));
  for (const auto& item : module.named_buffers(true)) out.emplace(item.key(), copy(item.value()));
  return out;
}

void load_weights(torch::nn::Module& module, const NamedTensors& weights, const std::string& source) {
  NamedTensors targets;
  for (const auto& item : module.named_parameters(true)) targets.emplace(item.key(), item.value());
  for (const auto& item : module.named_buffers(true)) targets.emplace(item.key(), item.value());

  // Check everything before touching the module, so an error never leaves it half-loaded.
  std::vector<std::string> missing, unexpected, wrong_shape, not_finite;
  for (const auto& [name, target] : targets)
    if (!weights.count(name)) missing.push_back(name);
  for (const auto& [name, weight] : weights) {
    const auto it = targets.find(name);
    if (it == targets.end()) {
      unexpected.push_back(name);
    } else if (!it->second.sizes().equals(weight.sizes())) {
      wrong_shape.push_back(name + " is " + shape_text(weight.sizes()) + " in the file but " +
                            shape_text(it->second.sizes()) + " in the model");
    } else if (is_float(weight.scalar_type()) && !torch::isfinite(weight).all().item<bool>()) {
      not_finite.push_back(name);
    }
  }
  if (!missing.empty() || !unexpected.empty() || !wrong_shape.empty() || !not_finite.empty()) {
    const auto list = [](const std::vector<std::string>& names) {
      std::string text;
      for (std::size_t i = 0; i < names.size() && i < 3; ++i) text += (i ? ", " : "") + names[i];
      if (names.size() > 3) text += " and " + std::to_string(names.size() - 3) + " more";
      return text;
    };
    std::string problems;
    const auto add = [&](const std::string& label, const std::vector<std::string>& names) {
      if (!names.empty()) problems += (problems.empty() ? "" : "; ") + label + ": " + list(names);
    };
    add("missing tensors", missing);
    add("unexpected tensors", unexpected);
    add("wrong shapes", wrong_shape);
    add("NaN or infinite values in", not_finite);
    throw Error("'" + source + "' does not fit the model it describes (" + problems + ")");
  }

  torch::NoGradGuard no_grad;
  for (auto& [name, target] : targets) target.copy_(weights.at(name));
}

std::vector<std::string> class_names_of(const CheckpointData& data) {
  if (!data.model.conditional()) return {};
  if (static_cast<std::int64_t>(data.class_names.size()) == data.model.num_classes) return data.class_names;
  return numbered_class_names(data.model.num_classes);
}

Denoiser load_denoiser(const CheckpointData& data, torch::Device device) {
  Denoiser model = make_denoiser(data.model);
  load_weights(*model, data.weights, data.source.empty() ? "the checkpoint" : data.source);
  model->to(device);
  model->eval();
  return as_eps_predictor(model, NoiseSchedule(data.schedule), device);  // every caller sees ε
}

}  // namespace ddpm
