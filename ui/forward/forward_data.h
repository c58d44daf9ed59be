#pragma once

#include "ui/forward/forward_batch.h"

#include <QString>
#include <QStringList>
#include <QVector>

#include <cstdint>
#include <memory>

namespace ddpm::ui {

/// The Fashion-MNIST test split (10,000 images), loaded once through core's
/// load_dataset and kept in memory so choosing other images is instant.
class FashionMnistLibrary {
 public:
  FashionMnistLibrary();
  ~FashionMnistLibrary();
  FashionMnistLibrary(const FashionMnistLibrary&) = delete;
  FashionMnistLibrary& operator=(const FashionMnistLibrary&) = delete;

  /// Loads from `dataDir` (empty: $DDPM_FASHION_MNIST_DIR or the Debian package's folder).
  /// Returns an empty string on success, else core's message (which names the package).
  QString load(const QString& dataDir = {});
  bool isLoaded() const;
  int size() const;
  int label(int index) const;
  QStringList classNames() const;

  /// `count` distinct indices drawn with `seed`, from class `classFilter` (−1: any class).
  QVector<int> randomIndices(int count, int classFilter, std::uint64_t seed) const;
  /// x₀ for the given images (valid indices only; throws std::out_of_range otherwise).
  ForwardBatch batch(const QVector<int>& indices) const;

 private:
  struct Data;
  std::unique_ptr<Data> m_data;
};

/// The generated 2D sets the forward view offers, in menu order: (SPEC, display name).
QVector<QPair<QString, QString>> toyDataSets();

/// `count` points of a generated 2D set (SPEC as in core: "swissroll", "moons", …), drawn
/// with `seed` and standardised as core does for training. Errors go to `error`.
ForwardBatch loadToyPoints(const QString& spec, int count, std::uint64_t seed, QString* error);

/// A user's picture as one image of size × size (RGB or grayscale) in [−1, 1], through
/// core's load_image_file. Errors (missing file, not an image) go to `error`.
ForwardBatch loadImageFile(const QString& path, bool grayscale, int size, QString* error);

/// Parses "0-7, 12, 40" into indices; `error` names the first bad part.
QVector<int> parseIndexList(const QString& text, int size, QString* error);
/// The inverse: compresses runs ("0-7, 12, 40").
QString formatIndexList(const QVector<int>& indices);

}  // namespace ddpm::ui
