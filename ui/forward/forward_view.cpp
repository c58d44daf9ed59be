#include "core/diffusion/q_sample_variance.h"
#include "core/schedule/noise_schedule.h"

#include "ui/forward/forward_view.h"

#include "ui/forward/forward_data.h"
#include "ui/forward/forward_engine.h"
#include "ui/shared/maths_format.h"
#include "ui/shared/png_export.h"
#include "ui/shared/schedule_model.h"
#include "ui/shared/studio_icons.h"
#include "ui/shared/message_line.h"
#include "ui/shared/studio_style.h"
#include "ui/shared/timestep_cursor.h"
#include "ui/forward/histogram_plot.h"
#include "ui/shared/image_panel.h"
#include "ui/shared/timestep_bar.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QShowEvent>
#include <QStyle>
#include <QTimer>
#include <QVBoxLayout>

namespace ddpm::ui {

namespace {

const QString kFashion = QStringLiteral("fashion-mnist");
const QString kImage = QStringLiteral("image");
const QString kFallbackToy = QStringLiteral("swissroll");

bool isToy(const QString& source) {
  for (const auto& [key, name] : toyDataSets())
    if (key == source) return true;
  return false;
}

}  // namespace

ForwardView::ForwardView(ScheduleModel* schedule, TimestepCursor* cursor, Playback* playback, QWidget* parent)
    : StudioView(schedule, cursor, parent),
      m_engine(std::make_unique<ForwardEngine>()),
      m_fashion(std::make_unique<FashionMnistLibrary>()),
      m_frame(std::make_unique<ForwardFrame>()),
      m_sourceBox(new QComboBox(this)),
      m_classBox(new QComboBox(this)),
      m_indicesEdit(new QLineEdit(this)),
      m_shuffle(new QPushButton(tr("Shuffle"), this)),
      m_openImage(new QPushButton(tr("Open image…"), this)),
      m_grayscale(new QCheckBox(tr("Grayscale"), this)),
      m_newNoise(new QPushButton(tr("New noise ε"), this)),
      m_noiseLabel(new QLabel(this)),
      m_message(new MessageLine(this)),
      m_imageControls(new QWidget(this)),
      m_fileControls(new QWidget(this)),
      m_x0Panel(new ImagePanel(tr("Data x₀"), this)),
      m_xtPanel(new ImagePanel(QString(), this)),
      m_noisePanel(new ImagePanel(tr("Noise ε"), this)),
      m_histogram(new HistogramPlot(this)),
      m_bar(new TimestepBar(cursor, playback, this)) {
  m_engine->setSchedule(schedule->sharedSchedule());

  setUpControls();
  layOut();
  connectSignals();
  updateControls();
}

void ForwardView::setUpControls() {
  m_sourceBox->setObjectName(QStringLiteral("forwardSource"));
  m_sourceBox->addItem(tr("Fashion-MNIST images"), kFashion);
  for (const auto& [key, name] : toyDataSets()) m_sourceBox->addItem(tr("2D: %1").arg(name), key);
  m_sourceBox->addItem(tr("Your image…"), kImage);
  m_sourceBox->setToolTip(tr("What x₀ is: 16 Fashion-MNIST test images, 2,000 points of a 2D toy set, or a picture of yours"));

  m_classBox->addItem(tr("any class"), -1);
  m_classBox->setToolTip(tr("Draw the images from one Fashion-MNIST class"));
  m_indicesEdit->setObjectName(QStringLiteral("forwardIndices"));
  m_indicesEdit->setToolTip(tr("Which test images (0 … 9999): numbers and ranges, e.g. 0-15 or 3, 17, 42"));
  m_indicesEdit->setMinimumWidth(m_indicesEdit->fontMetrics().horizontalAdvance(QStringLiteral("0000, 0000, 0000, 0000…")));
  m_shuffle->setToolTip(tr("Another random choice of images"));
  m_grayscale->setToolTip(tr("Load your picture as one grey channel instead of RGB"));
  m_newNoise->setObjectName(QStringLiteral("newNoise"));
  m_newNoise->setIcon(style()->standardIcon(QStyle::SP_BrowserReload));
  m_newNoise->setToolTip(tr("Draw a new ε ~ N(0, I); ε stays fixed while t moves (N)"));
  m_noiseLabel->setObjectName(QStringLiteral("caption"));
}

void ForwardView::layOut() {
  auto* imageRow = new QHBoxLayout(m_imageControls);
  imageRow->setContentsMargins(0, 0, 0, 0);
  imageRow->addWidget(m_classBox);
  imageRow->addWidget(new QLabel(tr("Images"), m_imageControls));
  imageRow->addWidget(m_indicesEdit, 1);
  imageRow->addWidget(m_shuffle);
  auto* fileRow = new QHBoxLayout(m_fileControls);
  fileRow->setContentsMargins(0, 0, 0, 0);
  fileRow->addWidget(m_openImage);
  fileRow->addWidget(m_grayscale);

  auto* controls = new QHBoxLayout;
  controls->setContentsMargins(12, 10, 12, 4);
  controls->setSpacing(8);
  controls->addWidget(new QLabel(tr("Data"), this));
  controls->addWidget(m_sourceBox);
  controls->addSpacing(8);
  controls->addWidget(m_imageControls, 1);
  controls->addWidget(m_fileControls);
  controls->addStretch(0);
  controls->addSpacing(12);
  controls->addWidget(m_noiseLabel);
  controls->addWidget(m_newNoise);

  auto* messageRow = new QHBoxLayout;
  messageRow->setContentsMargins(12, 0, 12, 0);
  messageRow->addWidget(m_message);

  auto* panels = new QHBoxLayout;
  panels->setContentsMargins(8, 4, 8, 0);
  panels->setSpacing(8);
  panels->addWidget(m_x0Panel, 2);
  panels->addWidget(m_xtPanel, 3);
  panels->addWidget(m_noisePanel, 2);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(4);
  layout->addLayout(controls);
  layout->addLayout(messageRow);
  layout->addLayout(panels, 3);
  auto* histogramRow = new QHBoxLayout;
  histogramRow->setContentsMargins(8, 0, 8, 0);
  histogramRow->addWidget(m_histogram);
  layout->addLayout(histogramRow, 2);
  layout->addWidget(m_bar);
}

void ForwardView::connectSignals() {
  connect(m_cursor, &TimestepCursor::tChanged, this, &ForwardView::requestFrame);
  connect(m_schedule, &ScheduleModel::scheduleChanged, this, [this] {
    m_engine->setSchedule(m_schedule->sharedSchedule());
    requestFrame();
  });
  connect(m_sourceBox, qOverload<int>(&QComboBox::activated), this, &ForwardView::onSourceActivated);
  connect(m_classBox, qOverload<int>(&QComboBox::activated), this,
          [this] { setClassFilter(m_classBox->currentData().toInt()); });
  connect(m_indicesEdit, &QLineEdit::editingFinished, this, [this] {
    if (m_indicesEdit->isModified()) setImageIndices(m_indicesEdit->text());
    m_indicesEdit->setModified(false);
  });
  connect(m_shuffle, &QPushButton::clicked, this, &ForwardView::shuffleImages);
  connect(m_openImage, &QPushButton::clicked, this, &ForwardView::openImageInteractive);
  connect(m_grayscale, &QCheckBox::toggled, this, [this] {
    if (m_source == kImage && !m_imagePath.isEmpty()) loadImage(m_imagePath);
  });
  connect(m_newNoise, &QPushButton::clicked, this, &ForwardView::newNoise);
  connect(m_xtPanel, &ImagePanel::canvasResized, this, [this](QSize pixels) {
    m_engine->setCanvas(pixels, devicePixelRatioF());
    if (m_engine->batch().isPoints()) requestFrame();
  });
  connect(m_x0Panel, &ImagePanel::canvasResized, this, [this] {
    if (m_engine->batch().isPoints()) renderStaticPanels();
  });
  connect(m_noisePanel, &ImagePanel::canvasResized, this, [this] {
    if (m_engine->batch().isPoints()) renderStaticPanels();
  });
}

ForwardView::~ForwardView() = default;

QIcon ForwardView::icon() const {
  return forwardViewIcon();
}

const ForwardFrame& ForwardView::currentFrame() const {
  return *m_frame;
}

QString ForwardView::message() const {
  return m_message->message();
}

void ForwardView::showEvent(QShowEvent* event) {
  StudioView::showEvent(event);
  ensureLoaded();
  if (m_frameDirty) requestFrame();
}

void ForwardView::showMessage(const QString& text, bool error) {
  m_message->showMessage(text, error);
}

void ForwardView::setFashionMnistDir(const QString& dir) {
  m_fashionDir = dir;
  m_fashion = std::make_unique<FashionMnistLibrary>();
  if (m_source == kFashion) m_sourceDirty = true;
}

bool ForwardView::setSource(const QString& source) {
  if (source != kFashion && source != kImage && !isToy(source)) {
    showMessage(tr("Unknown data '%1'.").arg(source), true);
    return false;
  }
  if (source == kImage && m_imagePath.isEmpty()) {
    showMessage(tr("Open an image first (File ▸ Open image…)."), true);
    return false;
  }
  m_source = source;
  m_sourceDirty = true;
  loadSource();
  return m_source == source;
}

void ForwardView::ensureLoaded() {
  if (m_sourceDirty) loadSource();
}

void ForwardView::loadSource() {
  m_sourceDirty = false;
  showMessage(QString(), false);
  if (m_source == kFashion) {
    if (!m_fashion->isLoaded()) {
      QApplication::setOverrideCursor(Qt::WaitCursor);
      const QString error = m_fashion->load(m_fashionDir);
      QApplication::restoreOverrideCursor();
      if (!error.isEmpty()) {
        m_source = kFallbackToy;
        loadSource();
        showMessage(tr("Fashion-MNIST is not available: %1 Showing the Swiss roll instead.").arg(error), true);
        updateControls();
        return;
      }
      while (m_classBox->count() > 1) m_classBox->removeItem(1);
      for (int k = 0; k < m_fashion->classNames().size(); ++k)
        m_classBox->addItem(m_fashion->classNames().at(k), k);
      m_classBox->setCurrentIndex(std::max(0, m_classBox->findData(m_classFilter)));
    }
    if (m_indices.isEmpty() || m_indices.last() >= m_fashion->size())
      m_indices = m_fashion->randomIndices(kImageCount, m_classFilter, m_shuffleSeed);
    applyBatchFromIndices();
  } else if (m_source == kImage) {
    QString error;
    ForwardBatch batch = loadImageFile(m_imagePath, m_grayscale->isChecked(), kUserImageSize, &error);
    if (batch.isEmpty()) {
      m_source = kFallbackToy;
      loadSource();
      showMessage(tr("Could not open your image: %1").arg(error), true);
      return;
    }
    m_engine->setBatch(std::move(batch));
  } else {
    QString error;
    ForwardBatch batch = loadToyPoints(m_source, kPointCount, 0, &error);
    if (batch.isEmpty()) {
      showMessage(error, true);
      return;
    }
    m_engine->setBatch(std::move(batch));
  }
  m_engine->setNoiseSeed(m_noiseSeed);
  updateControls();
  renderStaticPanels();
  requestFrame();
}

void ForwardView::applyBatchFromIndices() {
  m_engine->setBatch(m_fashion->batch(m_indices));
  m_indicesEdit->setText(formatIndexList(m_indices));
  m_indicesEdit->setModified(false);
}

bool ForwardView::setImageIndices(const QString& text, QString* error) {
  if (m_source != kFashion) setSource(kFashion);
  ensureLoaded();
  if (m_source != kFashion) {
    if (error) *error = message();
    return false;
  }
  QString reason;
  const QVector<int> indices = parseIndexList(text, m_fashion->size(), &reason);
  if (indices.isEmpty()) {
    showMessage(tr("Images not changed: %1.").arg(reason), true);
    if (error) *error = reason;
    return false;
  }
  showMessage(QString(), false);
  m_indices = indices;
  applyBatchFromIndices();
  m_engine->setNoiseSeed(m_noiseSeed);
  renderStaticPanels();
  requestFrame();
  return true;
}

void ForwardView::shuffleImages() {
  ++m_shuffleSeed;
  if (m_source != kFashion || !m_fashion->isLoaded()) {
    m_indices.clear();
    setSource(kFashion);
    return;
  }
  m_indices = m_fashion->randomIndices(kImageCount, m_classFilter, m_shuffleSeed);
  setImageIndices(formatIndexList(m_indices));
}

void ForwardView::setClassFilter(int label) {
  m_classFilter = label;
  const int index = m_classBox->findData(label);
  if (index >= 0) m_classBox->setCurrentIndex(index);
  if (m_source == kFashion && m_fashion->isLoaded()) {
    m_indices = m_fashion->randomIndices(kImageCount, m_classFilter, m_shuffleSeed);
    setImageIndices(formatIndexList(m_indices));
  }
}

bool ForwardView::loadImage(const QString& path, QString* error) {
  QString reason;
  ForwardBatch batch = loadImageFile(path, m_grayscale->isChecked(), kUserImageSize, &reason);
  if (batch.isEmpty()) {
    showMessage(tr("Could not open your image: %1").arg(reason), true);
    if (error) *error = reason;
    updateControls();
    return false;
  }
  showMessage(QString(), false);
  m_imagePath = QFileInfo(path).absoluteFilePath();
  m_source = kImage;
  m_sourceDirty = false;
  m_engine->setBatch(std::move(batch));
  m_engine->setNoiseSeed(m_noiseSeed);
  updateControls();
  renderStaticPanels();
  requestFrame();
  emit imageOpened(m_imagePath);
  return true;
}

void ForwardView::openImageInteractive() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Open an image"), QFileInfo(m_imagePath).absolutePath(),
                                                    tr("Images (*.png *.jpg *.jpeg *.bmp *.gif *.tga *.pgm *.ppm);;"
                                                       "All files (*)"));
  if (!path.isEmpty()) loadImage(path);
  updateControls();
}

void ForwardView::onSourceActivated(int index) {
  const QString source = m_sourceBox->itemData(index).toString();
  if (source == kImage) {
    if (m_imagePath.isEmpty()) openImageInteractive();
    else setSource(kImage);
    updateControls();
    return;
  }
  setSource(source);
}

void ForwardView::newNoise() {
  setNoiseSeed(m_noiseSeed + 1);
}

void ForwardView::setNoiseSeed(std::uint64_t seed) {
  m_noiseSeed = seed;
  m_engine->setNoiseSeed(seed);
  updateControls();
  renderStaticPanels();
  requestFrame();
}

void ForwardView::updateControls() {
  const int index = m_sourceBox->findData(m_source);
  if (index >= 0) m_sourceBox->setCurrentIndex(index);
  m_imageControls->setVisible(m_source == kFashion);
  m_fileControls->setVisible(m_source == kImage);
  m_noiseLabel->setText(tr("ε seed %1").arg(m_noiseSeed));
}

void ForwardView::renderStaticPanels() {
  const ForwardBatch& batch = m_engine->batch();
  if (batch.isEmpty()) {
    m_x0Panel->setPlaceholder(tr("No data"));
    m_noisePanel->setPlaceholder(QString());
    return;
  }
  const bool images = batch.isImages();
  const qreal dpr = devicePixelRatioF();
  m_x0Panel->setImage(m_engine->renderX0(m_x0Panel->canvasSize(), dpr), images);
  m_noisePanel->setImage(m_engine->renderNoise(m_noisePanel->canvasSize(), dpr), images);
  m_x0Panel->setCaption(batch.caption);
  m_noisePanel->setCaption(tr("ε ~ N(0, I), seed %1: fixed while t moves").arg(m_noiseSeed));
}

void ForwardView::requestFrame() {
  if (!isVisible()) {
    m_frameDirty = true;
    emit formulaChanged();
    return;
  }
  if (m_framePending) return;
  m_framePending = true;
  QTimer::singleShot(0, this, &ForwardView::refreshNow);
}

void ForwardView::refreshNow() {
  m_framePending = false;
  m_frameDirty = false;
  ensureLoaded();
  const ForwardBatch& batch = m_engine->batch();
  *m_frame = m_engine->frame(m_cursor->t());
  if (batch.isEmpty()) {
    m_xtPanel->setPlaceholder(tr("No data"));
    emit formulaChanged();
    return;
  }
  const int t = m_frame->t;
  m_xtPanel->setTitle(tr("xₜ at t = %1").arg(t));
  m_xtPanel->setImage(m_frame->picture, batch.isImages());
  m_xtPanel->setCaption(tr("xₜ = %1 · x₀ + %2 · ε")
                            .arg(formatNumber(m_frame->sqrtAlphaBar), formatNumber(m_frame->sqrtOneMinusAlphaBar)));
  const QString pooled = batch.isPoints()
                             ? tr("x and y pooled, %1 values").arg(QLocale().toString(static_cast<qlonglong>(m_frame->xt.size())))
                             : tr("all pixels pooled, %1 values").arg(QLocale().toString(static_cast<qlonglong>(m_frame->xt.size())));
  m_histogram->setTitle(tr("Histogram of xₜ (%1): mean %2, variance %3")
                            .arg(pooled, formatNumber(m_frame->mean, 3), formatNumber(m_frame->variance, 3)));
  m_histogram->setDensities(m_frame->density, m_engine->x0Density(), kHistogramLow, kHistogramHigh);
  emit formulaChanged();
}

QString ForwardView::formulaHtml() const {
  const NoiseSchedule& s = m_schedule->schedule();
  const int t = std::min<int>(m_cursor->t(), static_cast<int>(s.steps()) - 1);
  const auto i = static_cast<std::size_t>(t);
  const QString muted = colours::kMutedText.name();
  QString html;
  html += QStringLiteral("<div style='font-size:large'><b>%1</b> &nbsp;<span style='color:%2'>%3</span></div>")
              .arg(tr("Forward process q(xₜ | x₀) = N(√ᾱₜ x₀, (1 − ᾱₜ) I)"), muted,
                   tr("(eq. 4) · t = %1, paper step %2 of %3").arg(t).arg(t + 1).arg(s.steps()));
  html += QStringLiteral("<div style='font-size:x-large; margin-top:6px'>xₜ = √ᾱₜ x₀ + √(1 − ᾱₜ) ε &nbsp;=&nbsp; "
                         "<b>%1</b> · x₀ + <b>%2</b> · ε, &nbsp;&nbsp;ε ~ N(0, I)</div>")
              .arg(formatNumber(s.sqrt_alpha_bar[i]), formatNumber(s.sqrt_one_minus_alpha_bar[i]));
  const ForwardBatch& batch = m_engine->batch();
  if (!batch.isEmpty()) {
    const double predicted = q_sample_variance(s, t, m_engine->x0Variance());
    QString measured;
    if (m_frame->t == t && !m_frame->xt.empty())
      measured = tr(" &nbsp;&nbsp;measured: <b>%1</b>").arg(formatNumber(m_frame->variance, 3));
    html += QStringLiteral("<div style='font-size:large; margin-top:4px'>Var[xₜ] ≈ ᾱₜ Var[x₀] + (1 − ᾱₜ) = "
                           "%1 × %2 + %3 = <b>%4</b>%5 &nbsp;<span style='color:%6'>(values pooled; → 1 as ᾱₜ → 0)</span></div>")
                .arg(formatNumber(s.alpha_bar[i]), formatNumber(m_engine->x0Variance(), 3),
                     formatNumber(s.one_minus_alpha_bar[i]), formatNumber(predicted, 3), measured, muted);
  }
  return html;
}

QString ForwardView::exportImageName() const {
  return QStringLiteral("forward_t%1.png").arg(m_cursor->t());
}

bool ForwardView::exportImage(const QString& path, QString* error) {
  // The whole view as seen (data, xₜ, noise, histogram), at the screen's resolution ×2.
  ensureLoaded();
  refreshNow();
  const qreal scale = 2.0;
  QImage image(size() * scale, QImage::Format_ARGB32_Premultiplied);
  image.setDevicePixelRatio(scale);
  image.fill(palette().color(QPalette::Window));
  render(&image);
  return writePng(image, path, error);
}

void ForwardView::saveState(QSettings& settings) const {
  settings.beginGroup(QStringLiteral("forwardView"));
  settings.setValue(QStringLiteral("source"), m_source);
  settings.setValue(QStringLiteral("imagePath"), m_imagePath);
  settings.setValue(QStringLiteral("grayscale"), m_grayscale->isChecked());
  settings.setValue(QStringLiteral("indices"), formatIndexList(m_indices));
  settings.setValue(QStringLiteral("classFilter"), m_classFilter);
  settings.setValue(QStringLiteral("noiseSeed"), static_cast<qulonglong>(m_noiseSeed));
  settings.setValue(QStringLiteral("shuffleSeed"), static_cast<qulonglong>(m_shuffleSeed));
  settings.endGroup();
}

void ForwardView::restoreState(QSettings& settings) {
  settings.beginGroup(QStringLiteral("forwardView"));
  const QString source = settings.value(QStringLiteral("source"), kFashion).toString();
  m_imagePath = settings.value(QStringLiteral("imagePath")).toString();
  m_grayscale->setChecked(settings.value(QStringLiteral("grayscale"), false).toBool());
  QString ignored;
  m_indices = parseIndexList(settings.value(QStringLiteral("indices")).toString(), 10000, &ignored);
  m_classFilter = settings.value(QStringLiteral("classFilter"), -1).toInt();
  m_noiseSeed = settings.value(QStringLiteral("noiseSeed"), 0).toULongLong();
  m_shuffleSeed = settings.value(QStringLiteral("shuffleSeed"), 0).toULongLong();
  settings.endGroup();
  // Loading waits until the view is shown (the data may be large or gone).
  m_source = (source == kFashion || isToy(source) || (source == kImage && !m_imagePath.isEmpty())) ? source : kFashion;
  m_sourceDirty = true;
  updateControls();
  if (isVisible()) {
    ensureLoaded();
    requestFrame();
  }
}

}  // namespace ddpm::ui
