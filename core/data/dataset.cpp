#include "core/data/dataset.h"

#include "core/data/class_labels.h"
#include "core/data/csv_points.h"
#include "core/data/fashion_mnist.h"
#include "core/data/image_folder.h"
#include "core/data/toy_2d.h"
#include "core/util/error.h"

namespace ddpm {
namespace {

const char* kSpecForms = "fashion-mnist, swissroll, moons, gaussians8, circles, csv:PATH or images:DIR";

// Points in the data's own coordinates → a Points2D set standardised by the training split.
Dataset points_dataset(const DataSpec& spec, torch::Tensor raw, const Normalisation& normalisation) {
  Dataset d;
  d.spec = spec;
  d.kind = DataKind::Points2D;
  d.normalisation = normalisation;
  d.x = normalisation.normalise(raw.to(torch::kFloat64)).to(torch::kFloat32).contiguous();
  return d;
}

torch::Tensor limited(const torch::Tensor& t, std::int64_t limit) {
  return (t.defined() && limit > 0 && limit < t.size(0)) ? t.narrow(0, 0, limit) : t;
}

}  // namespace

std::string DataSpec::text() const {
  return path.empty() ? source : source + ":" + path;
}

bool DataSpec::is_toy_2d() const {
  return toy_2d_kind_from_string(source).has_value();
}

DataSpec parse_data_spec(const std::string& spec) {
  const auto colon = spec.find(':');
  DataSpec parsed;
  if (colon == std::string::npos) {
    parsed.source = spec;
    if (spec == "fashion-mnist" || parsed.is_toy_2d()) return parsed;
    if (spec == "csv" || spec == "images")
      throw Error("data '" + spec + "' needs a path: " + spec + (spec == "csv" ? ":PATH" : ":DIR"));
    throw Error("unknown data '" + spec + "' (expected " + kSpecForms + ")");
  }
  parsed.source = spec.substr(0, colon);
  parsed.path = spec.substr(colon + 1);
  if (parsed.source != "csv" && parsed.source != "images")
    throw Error("unknown data '" + spec + "' (expected " + kSpecForms + ")");
  if (parsed.path.empty()) throw Error("data '" + spec + "' has an empty path");
  return parsed;
}

std::vector<std::int64_t> Dataset::sample_shape() const {
  if (!x.defined()) return {};
  auto sizes = x.sizes().vec();
  sizes.erase(sizes.begin());
  return sizes;
}

void require_labels(const Dataset& data) {
  if (data.classes() > 0 && data.labels.defined()) return;
  throw Error("a class-conditional model needs labelled data, and '" + data.spec.text() +
              "' has no labels (labelled: fashion-mnist, moons, gaussians8, circles, or a CSV file whose third "
              "column is an integer label)");
}

Dataset only_class(const Dataset& data, std::int64_t label) {
  require_labels(data);
  const auto rows = data.labels.eq(label).nonzero().flatten();
  if (rows.numel() == 0)
    throw Error("'" + data.spec.text() + "' has no samples of class " + std::to_string(label));
  Dataset subset = data;
  subset.x = data.x.index_select(0, rows.to(data.x.device()));
  subset.labels = data.labels.index_select(0, rows);
  return subset;
}

Dataset load_dataset(const std::string& spec, const DataOptions& options) {
  return load_dataset(parse_data_spec(spec), options);
}

Dataset load_dataset(const DataSpec& spec, const DataOptions& options) {
  if (spec.source == "fashion-mnist") {
    FashionMnist data = read_fashion_mnist(options.data_dir, options.split);
    Dataset d;
    d.spec = spec;
    d.kind = DataKind::Images;
    d.normalisation = Normalisation::pixels_to_unit_range();
    d.x = d.normalisation.normalise(limited(data.images, options.limit).to(torch::kFloat32)).contiguous();
    d.labels = limited(data.labels, options.limit);
    d.class_names = fashion_mnist_class_names();
    return d;
  }
  if (auto toy = toy_2d_kind_from_string(spec.source)) {
    // The normalisation always comes from the training stream, so train and test
    // live in the same coordinates.
    const auto train = make_toy_2d(*toy, options.toy_points, options.seed);
    const auto normalisation = Normalisation::standardise(train);
    const auto raw = options.split == Split::Train ? train : make_toy_2d(*toy, options.toy_points, options.seed + 1);
    Dataset d = points_dataset(spec, limited(raw, options.limit), normalisation);
    d.labels = limited(toy_2d_labels(*toy, options.toy_points), options.limit);
    d.class_names = toy_2d_class_names(*toy);
    return d;
  }
  if (spec.source == "csv") {
    const auto raw = read_labelled_csv_points(spec.path);
    Dataset d = points_dataset(spec, limited(raw.points, options.limit), Normalisation::standardise(raw.points));
    if (raw.labels.defined()) {
      d.labels = limited(raw.labels, options.limit);
      d.class_names = numbered_class_names(raw.labels.max().item<std::int64_t>() + 1);
    }
    return d;
  }
  if (spec.source == "images") {
    Dataset d;
    d.spec = spec;
    d.kind = DataKind::Images;
    d.normalisation = Normalisation::pixels_to_unit_range();
    d.x = limited(load_image_folder(spec.path, options.image_size, options.image_channels), options.limit);
    return d;
  }
  throw Error("unknown data '" + spec.text() + "' (expected " + kSpecForms + ")");
}

}  // namespace ddpm
