#pragma once

#include "ui/shared/studio_view.h"

#include <QVector>

#include <cstdint>
#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace ddpm::ui {

class FashionMnistLibrary;
class ForwardEngine;
struct ForwardFrame;
class HistogramPlot;
class ImagePanel;
class MessageLine;
class Playback;
class TimestepBar;

/// The Forward-process view: a batch x₀ (Fashion-MNIST images, a 2D toy point cloud or
/// the user's own picture), one fixed noise ε and xₜ = √ᾱₜ x₀ + √(1 − ᾱₜ) ε at the shared
/// t (eq. 4), beside a histogram of xₜ's values against the N(0, 1) density. Frames are
/// computed when t, the data or the noise change — coalesced to one per event-loop pass
/// and skipped while the view is hidden — and painted from cached images.
class ForwardView : public StudioView {
  Q_OBJECT

 public:
  /// Number of Fashion-MNIST images shown (a 4 × 4 grid) and of 2D points.
  static constexpr int kImageCount = 16;
  static constexpr int kPointCount = 2000;
  /// Side of a user's picture after resizing.
  static constexpr int kUserImageSize = 64;

  ForwardView(ScheduleModel* schedule, TimestepCursor* cursor, Playback* playback, QWidget* parent = nullptr);
  ~ForwardView() override;

  QString key() const override { return QStringLiteral("forward"); }
  QString title() const override { return tr("Forward process"); }
  QIcon icon() const override;
  QString formulaHtml() const override;
  QString exportImageName() const override;
  /// The picture opened with "Open image…" (absolute path), or empty.
  QString imagePath() const { return m_imagePath; }
  bool exportImage(const QString& path, QString* error) override;
  void saveState(QSettings& settings) const override;
  void restoreState(QSettings& settings) override;

  /// Data sources: "fashion-mnist", a 2D toy SPEC ("swissroll", "moons", "gaussians8",
  /// "circles") or "image" (the picture last opened). Fashion-MNIST that cannot be
  /// loaded shows why and falls back to the Swiss roll; returns false then.
  bool setSource(const QString& source);
  QString source() const { return m_source; }
  /// Opens a picture file as x₀ (64 × 64, colour unless grayscale is ticked).
  bool loadImage(const QString& path, QString* error = nullptr);
  /// Chooses Fashion-MNIST images by number ("0-15, 40"); errors are shown and returned.
  bool setImageIndices(const QString& text, QString* error = nullptr);
  QVector<int> imageIndices() const { return m_indices; }
  /// A fresh random choice of images (from the chosen class, if any).
  void shuffleImages();
  void setClassFilter(int label);
  /// Draws a new ε (the next seed) / sets the seed; ε is otherwise fixed.
  void newNoise();
  void setNoiseSeed(std::uint64_t seed);
  std::uint64_t noiseSeed() const { return m_noiseSeed; }
  /// Where to read Fashion-MNIST from (empty: the default); for tests and odd setups.
  void setFashionMnistDir(const QString& dir);

  /// Computes the frame for the current t now (normally done on the next event-loop pass).
  void refreshNow();
  const ForwardFrame& currentFrame() const;
  const ForwardEngine& engine() const { return *m_engine; }
  /// The message shown above the pictures (a fallback or an error), or empty.
  QString message() const;

  ImagePanel* x0Panel() const { return m_x0Panel; }
  ImagePanel* xtPanel() const { return m_xtPanel; }
  ImagePanel* noisePanel() const { return m_noisePanel; }
  HistogramPlot* histogram() const { return m_histogram; }
  TimestepBar* timestepBar() const { return m_bar; }
  QComboBox* sourceBox() const { return m_sourceBox; }
  QPushButton* newNoiseButton() const { return m_newNoise; }

 signals:
  /// A picture file was opened (for recent files).
  void imageOpened(const QString& path);

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  void setUpControls();
  void layOut();
  void connectSignals();
  void requestFrame();
  void ensureLoaded();
  void loadSource();
  void applyBatchFromIndices();
  void renderStaticPanels();
  void updateControls();
  void showMessage(const QString& text, bool error);
  void onSourceActivated(int index);
  void openImageInteractive();

  std::unique_ptr<ForwardEngine> m_engine;
  std::unique_ptr<FashionMnistLibrary> m_fashion;
  std::unique_ptr<ForwardFrame> m_frame;

  QComboBox* m_sourceBox;
  QComboBox* m_classBox;
  QLineEdit* m_indicesEdit;
  QPushButton* m_shuffle;
  QPushButton* m_openImage;
  QCheckBox* m_grayscale;
  QPushButton* m_newNoise;
  QLabel* m_noiseLabel;
  MessageLine* m_message;
  QWidget* m_imageControls;
  QWidget* m_fileControls;
  ImagePanel* m_x0Panel;
  ImagePanel* m_xtPanel;
  ImagePanel* m_noisePanel;
  HistogramPlot* m_histogram;
  TimestepBar* m_bar;

  QString m_source = QStringLiteral("fashion-mnist");
  QString m_imagePath;
  QString m_fashionDir;
  QVector<int> m_indices;
  int m_classFilter = -1;
  std::uint64_t m_noiseSeed = 0;
  std::uint64_t m_shuffleSeed = 0;
  bool m_sourceDirty = true;
  bool m_frameDirty = true;
  bool m_framePending = false;
};

}  // namespace ddpm::ui
