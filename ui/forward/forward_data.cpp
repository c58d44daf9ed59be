// torch first: Qt's `slots` macro breaks ATen headers included after Qt.
#include "core/data/dataset.h"
#include "core/data/image_file.h"
#include "core/runtime/random.h"
#include "core/util/error.h"

#include "ui/forward/forward_data.h"

#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>

namespace ddpm::ui {

namespace {

ForwardBatch batchFromTensor(const torch::Tensor& x) {
  ForwardBatch batch;
  auto values = x.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  batch.count = static_cast<int>(values.size(0));
  if (values.dim() == 2) {
    batch.kind = ForwardBatch::Kind::Points;
    batch.channels = static_cast<int>(values.size(1));
  } else {
    batch.kind = ForwardBatch::Kind::Images;
    batch.channels = static_cast<int>(values.size(1));
    batch.height = static_cast<int>(values.size(2));
    batch.width = static_cast<int>(values.size(3));
  }
  batch.values.assign(values.data_ptr<float>(), values.data_ptr<float>() + values.numel());
  return batch;
}

}  // namespace

struct FashionMnistLibrary::Data {
  torch::Tensor x;       // [N, 1, 28, 28] in [−1, 1]
  torch::Tensor labels;  // [N]
  std::vector<std::int64_t> labelList;
  QStringList classNames;
};

FashionMnistLibrary::FashionMnistLibrary() = default;
FashionMnistLibrary::~FashionMnistLibrary() = default;

QString FashionMnistLibrary::load(const QString& dataDir) {
  try {
    DataOptions options;
    options.split = Split::Test;
    options.data_dir = dataDir.toStdString();
    Dataset dataset = load_dataset("fashion-mnist", options);
    auto data = std::make_unique<Data>();
    data->x = dataset.x;
    data->labels = dataset.labels.to(torch::kLong).contiguous();
    data->labelList.assign(data->labels.data_ptr<std::int64_t>(),
                           data->labels.data_ptr<std::int64_t>() + data->labels.numel());
    for (const auto& name : dataset.class_names) data->classNames << QString::fromStdString(name);
    m_data = std::move(data);
    return {};
  } catch (const std::exception& error) {
    return QString::fromStdString(error.what());
  }
}

bool FashionMnistLibrary::isLoaded() const {
  return m_data != nullptr;
}

int FashionMnistLibrary::size() const {
  return m_data ? static_cast<int>(m_data->x.size(0)) : 0;
}

int FashionMnistLibrary::label(int index) const {
  return m_data ? static_cast<int>(m_data->labelList.at(static_cast<std::size_t>(index))) : -1;
}

QStringList FashionMnistLibrary::classNames() const {
  return m_data ? m_data->classNames : QStringList{};
}

QVector<int> FashionMnistLibrary::randomIndices(int count, int classFilter, std::uint64_t seed) const {
  QVector<int> pool;
  for (int i = 0; i < size(); ++i)
    if (classFilter < 0 || label(i) == classFilter) pool << i;
  at::Generator generator = make_generator(seed);
  const auto order = torch::randperm(pool.size(), generator, torch::kLong);
  QVector<int> chosen;
  for (int k = 0; k < std::min<int>(count, pool.size()); ++k)
    chosen << pool[static_cast<int>(order[k].item<std::int64_t>())];
  return chosen;
}

ForwardBatch FashionMnistLibrary::batch(const QVector<int>& indices) const {
  if (!m_data) return {};
  std::vector<std::int64_t> rows;
  for (int i : indices) {
    if (i < 0 || i >= size()) throw std::out_of_range("Fashion-MNIST index out of range");
    rows.push_back(i);
  }
  const auto selection = torch::tensor(rows, torch::kLong);
  ForwardBatch batch = batchFromTensor(m_data->x.index_select(0, selection));
  for (int i : indices) batch.labels.push_back(label(i));
  batch.caption = batch.count == 1 ? QObject::tr("1 Fashion-MNIST test image")
                                   : QObject::tr("%1 Fashion-MNIST test images").arg(batch.count);
  return batch;
}

QVector<QPair<QString, QString>> toyDataSets() {
  return {{QStringLiteral("swissroll"), QObject::tr("Swiss roll")},
          {QStringLiteral("moons"), QObject::tr("Two moons")},
          {QStringLiteral("gaussians8"), QObject::tr("8 Gaussians")},
          {QStringLiteral("circles"), QObject::tr("Circles")}};
}

ForwardBatch loadToyPoints(const QString& spec, int count, std::uint64_t seed, QString* error) {
  try {
    DataOptions options;
    options.split = Split::Test;
    options.toy_points = count;
    options.seed = seed;
    ForwardBatch batch = batchFromTensor(load_dataset(spec.toStdString(), options).x);
    QString name = spec;
    for (const auto& [key, display] : toyDataSets())
      if (key == spec) name = display;
    batch.caption = QObject::tr("%1: %2 points (standardised)").arg(name).arg(QLocale().toString(batch.count));
    return batch;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return {};
  }
}

ForwardBatch loadImageFile(const QString& path, bool grayscale, int size, QString* error) {
  try {
    ForwardBatch batch =
        batchFromTensor(load_image_file(QFileInfo(path).absoluteFilePath().toStdString(), size, grayscale ? 1 : 3));
    batch.caption = QObject::tr("%1 (%2×%2, %3)")
                        .arg(QFileInfo(path).fileName())
                        .arg(size)
                        .arg(grayscale ? QObject::tr("grayscale") : QObject::tr("colour"));
    return batch;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return {};
  }
}

QVector<int> parseIndexList(const QString& text, int size, QString* error) {
  QVector<int> indices;
  static const QRegularExpression separators(QStringLiteral("[,;\\s]+"));
  static const QRegularExpression range(QStringLiteral("^(\\d+)\\s*[-–]\\s*(\\d+)$"));
  // Normalise "3 - 7" to "3-7" before splitting on whitespace.
  QString normalised = text.trimmed();
  normalised.replace(QRegularExpression(QStringLiteral("\\s*[-–]\\s*")), QStringLiteral("-"));
  for (const QString& part : normalised.split(separators, Qt::SkipEmptyParts)) {
    bool ok = false;
    const int single = part.toInt(&ok);
    int first = single, last = single;
    if (!ok) {
      const auto match = range.match(part);
      if (!match.hasMatch()) {
        if (error) *error = QObject::tr("'%1' is not an image number or a range like 0-15").arg(part);
        return {};
      }
      first = match.captured(1).toInt();
      last = match.captured(2).toInt();
      if (first > last) std::swap(first, last);
    }
    if (first < 0 || last >= size) {
      if (error) *error = QObject::tr("image numbers go from 0 to %1; '%2' is outside").arg(size - 1).arg(part);
      return {};
    }
    for (int i = first; i <= last && indices.size() <= 64; ++i) indices << i;
  }
  if (indices.isEmpty()) {
    if (error) *error = QObject::tr("choose at least one image, e.g. 0-15");
    return {};
  }
  if (indices.size() > 64) {
    if (error) *error = QObject::tr("at most 64 images at once");
    return {};
  }
  return indices;
}

QString formatIndexList(const QVector<int>& indices) {
  QStringList parts;
  for (int i = 0; i < indices.size();) {
    int j = i;
    while (j + 1 < indices.size() && indices[j + 1] == indices[j] + 1) ++j;
    parts << (j - i >= 2 ? QStringLiteral("%1-%2").arg(indices[i]).arg(indices[j])
                         : (j > i ? QStringLiteral("%1, %2").arg(indices[i]).arg(indices[j])
                                  : QString::number(indices[i])));
    i = j + 1;
  }
  return parts.join(QStringLiteral(", "));
}

}  // namespace ddpm::ui
