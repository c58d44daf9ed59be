#include "core/checkpoint/checkpoint.h"

#include "ui/sampling/exploration_panel.h"

#include "ui/sampling/eps_field.h"
#include "ui/sampling/exploration_session.h"
#include "ui/sampling/sample_grid_panel.h"
#include "ui/sampling/sampler_options.h"
#include "ui/sampling/sampling_form.h"
#include "ui/sampling/sampling_session.h"
#include "ui/sampling/trajectory_pictures.h"
#include "ui/sampling/trajectory_store.h"
#include "ui/shared/current_model.h"
#include "ui/shared/frame_render.h"
#include "ui/shared/maths_format.h"
#include "ui/shared/png_export.h"
#include "ui/shared/save_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <QStyle>
#include <QToolButton>

#include <algorithm>
#include <cmath>

namespace ddpm::ui {

ExplorationPanel::ExplorationPanel(CurrentModel* model, SamplingSession* trunk, SamplingForm* form, QWidget* parent)
    : QWidget(parent),
      m_model(model),
      m_trunk(trunk),
      m_form(form),
      m_branch(new QPushButton(tr("Branch from here"), this)),
      m_branchCount(new QSpinBox(this)),
      m_reconstruct(new QPushButton(tr("Reconstruct"), this)),
      m_reconSource(new QComboBox(this)),
      m_reconIndex(new QSpinBox(this)),
      m_reconFile(new QPushButton(tr("Image…"), this)),
      m_fieldBox(new QCheckBox(tr("ε̂ field"), this)),
      m_interpRow(new QWidget(this)),
      m_interpolate(new QPushButton(tr("Interpolate"), this)),
      m_interpFirst(new QSpinBox(this)),
      m_interpSecond(new QSpinBox(this)),
      m_interpT(new QSpinBox(this)),
      m_interpLambdas(new QSpinBox(this)),
      m_strip(new QPushButton(tr("Guidance strip"), this)),
      m_strengths(new QLineEdit(QStringLiteral("0, 1, 3, 7"), this)),
      m_progressive(new QPushButton(tr("Progressive (Fig. 6)"), this)),
      m_sharedLatent(new QPushButton(tr("Shared latents (Fig. 7)"), this)),
      m_export(new QToolButton(this)),
      m_status(new QLabel(this)),
      m_close(new QToolButton(this)),
      m_grid(new SampleGridPanel(parent)),
      m_exploration(new ExplorationSession(this)) {
  build();
  layOut();
  connectControls();
}

ExplorationPanel::~ExplorationPanel() = default;

void ExplorationPanel::build() {
  m_branch->setObjectName(QStringLiteral("samplingBranch"));
  m_branch->setToolTip(tr("Keep xₜ of the step shown and re-draw the noise of every later step with new seeds: "
                          "what the branches share was already decided at this t"));
  m_branchCount->setRange(1, 8);
  m_branchCount->setValue(4);
  m_branchCount->setSuffix(tr(" branches"));
  m_branchCount->setToolTip(tr("How many branches, each with its own seed"));
  m_reconstruct->setObjectName(QStringLiteral("samplingReconstruct"));
  m_reconstruct->setToolTip(tr("Noise a real x₀ to xₜ ~ q(xₜ | x₀) for several t and denoise it back with the sampler "
                               "settings above (the paper's Fig. 7): t decides how much of x₀ survives"));
  m_reconSource->setToolTip(tr("The real x₀ to reconstruct"));
  m_reconIndex->setRange(0, 9999);
  m_reconIndex->setPrefix(tr("test #"));
  m_reconIndex->setToolTip(tr("Fashion-MNIST test image number (0 … 9999)"));
  m_reconFile->setToolTip(tr("Choose a picture; it is cropped to a square and resized to the model's images"));
  m_fieldBox->setObjectName(QStringLiteral("samplingEpsField"));
  m_fieldBox->setToolTip(tr("2D models: draw the predicted noise ε̂_θ(x, t) over the plane as arrows along −ε̂ "
                            "(towards the data), at the t of the step shown"));
  m_interpolate->setObjectName(QStringLiteral("samplingInterpolate"));
  m_interpolate->setToolTip(tr("The paper's Figs. 8–9: noise two test images to the same t, mix them "
                               "(1 − λ) xₜ + λ x′ₜ and denoise every mix with the sampler settings above; one noise "
                               "for all λ, so the columns differ only by λ"));
  for (QSpinBox* box : {m_interpFirst, m_interpSecond}) {
    box->setRange(0, 9999);
    box->setPrefix(tr("test #"));
    box->setToolTip(tr("Fashion-MNIST test image number (0 … 9999)"));
  }
  m_interpSecond->setValue(1);
  m_interpT->setRange(0, 1000);
  m_interpT->setValue(500);
  m_interpT->setPrefix(tr("t = "));
  m_interpT->setToolTip(tr("The paper's t both images are noised to (0: mix the images themselves; the paper's "
                           "Fig. 8 uses 500)"));
  m_interpLambdas->setRange(2, 21);
  m_interpLambdas->setValue(11);
  m_interpLambdas->setSuffix(tr(" values of λ"));
  m_interpLambdas->setToolTip(tr("λ from 0 to 1 in equal steps (11: 0, 0.1, …, 1 as in the paper)"));
  m_strip->setObjectName(QStringLiteral("samplingGuidanceStrip"));
  m_strip->setToolTip(tr("Sample the chosen class with the same seed at each guidance strength, side by side: w for a "
                         "class-conditional model, the scale s with a noise-aware classifier"));
  m_strengths->setObjectName(QStringLiteral("samplingGuidanceStrengths"));
  m_strengths->setToolTip(tr("The strengths, separated by commas (w or s, 0 … 20)"));
  m_strengths->setMaximumWidth(m_strengths->fontMetrics().horizontalAdvance(QStringLiteral("0, 1, 3, 7, 10, 20")) + 16);
  m_progressive->setObjectName(QStringLiteral("samplingProgressive"));
  m_progressive->setToolTip(tr("The paper's Fig. 6: run the sampler above and keep its prediction x̂₀ every T/10 steps, "
                               "one row per sample: coarse features come first, details last"));
  m_sharedLatent->setObjectName(QStringLiteral("samplingSharedLatent"));
  m_sharedLatent->setToolTip(tr("The paper's Fig. 7: one chain from the seed above, stopped at t = 1000, 750, 500 and "
                                "250, and three independent runs to x₀ from each stop: late stops share more"));
  m_export->setObjectName(QStringLiteral("samplingExportGrid"));
  m_export->setIcon(style()->standardIcon(QStyle::SP_DialogSaveButton));
  m_export->setToolTip(tr("Save the picture below as a PNG"));
  m_status->setObjectName(QStringLiteral("caption"));
  m_close->setIcon(style()->standardIcon(QStyle::SP_DialogCloseButton));
  m_close->setToolTip(tr("Close the branches / reconstruction"));
  m_grid->setVisible(false);
}

void ExplorationPanel::layOut() {
  auto* row = new QHBoxLayout;
  row->setSpacing(6);
  row->addWidget(m_branch);
  row->addWidget(m_branchCount);
  row->addSpacing(12);
  row->addWidget(m_reconstruct);
  row->addWidget(m_reconSource);
  row->addWidget(m_reconIndex);
  row->addWidget(m_reconFile);
  row->addSpacing(12);
  row->addWidget(m_fieldBox);
  row->addSpacing(8);
  row->addWidget(m_status, 1);
  row->addWidget(m_export);
  row->addWidget(m_close);
  auto* interpolation = new QHBoxLayout(m_interpRow);
  interpolation->setContentsMargins(0, 0, 0, 0);
  interpolation->setSpacing(6);
  interpolation->addWidget(m_interpolate);
  interpolation->addWidget(m_interpFirst);
  interpolation->addWidget(new QLabel(tr("and"), m_interpRow));
  interpolation->addWidget(m_interpSecond);
  interpolation->addWidget(m_interpT);
  interpolation->addWidget(m_interpLambdas);
  auto* second = new QHBoxLayout;
  second->setSpacing(6);
  second->addWidget(m_interpRow);
  second->addSpacing(12);
  second->addWidget(m_strip);
  second->addWidget(m_strengths);
  second->addSpacing(12);
  second->addWidget(m_progressive);
  second->addWidget(m_sharedLatent);
  second->addStretch(1);
  auto* rows = new QVBoxLayout(this);
  rows->setContentsMargins(12, 0, 12, 8);
  rows->setSpacing(4);
  rows->addLayout(row);
  rows->addLayout(second);
}

void ExplorationPanel::connectControls() {
  connect(m_branch, &QPushButton::clicked, this, [this] { branchFromHere(); });
  connect(m_reconstruct, &QPushButton::clicked, this, &ExplorationPanel::reconstructFromControls);
  connect(m_interpolate, &QPushButton::clicked, this, &ExplorationPanel::interpolateFromControls);
  connect(m_strip, &QPushButton::clicked, this, &ExplorationPanel::guidanceStripFromControls);
  connect(m_progressive, &QPushButton::clicked, this, &ExplorationPanel::progressive);
  connect(m_sharedLatent, &QPushButton::clicked, this, &ExplorationPanel::sharedLatent);
  connect(m_export, &QToolButton::clicked, this, [this] {
    const QString path = askSavePath(this, tr("Save the picture"), QStringLiteral("figure.png"), SavedFile::Png);
    if (path.isEmpty()) return;
    QString error;
    if (!exportGrid(path, &error)) emit messageRequested(error, true);
    else emit messageRequested(tr("Saved %1").arg(path), false);
  });
  connect(m_reconSource, qOverload<int>(&QComboBox::currentIndexChanged), this, &ExplorationPanel::updateControls);
  connect(m_reconFile, &QPushButton::clicked, this, &ExplorationPanel::chooseFile);
  connect(m_fieldBox, &QCheckBox::toggled, this, &ExplorationPanel::fieldToggled);
  connect(m_close, &QToolButton::clicked, this, &ExplorationPanel::close);
  connect(m_exploration, &ExplorationSession::finished, this, &ExplorationPanel::onFinished);
  connect(m_exploration, &ExplorationSession::failed, this, &ExplorationPanel::onFailed);
}

void ExplorationPanel::chooseFile() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Image to reconstruct"), m_reconPath,
                                                    tr("Images (*.png *.jpg *.jpeg *.bmp *.gif *.tga *.pnm *.ppm *.pgm)"));
  if (!path.isEmpty()) setReconstructionFile(path);
}

void ExplorationPanel::close() {
  m_exploration->cancel();
  m_grid->setVisible(false);
  m_status->clear();
  updateControls();
}

void ExplorationPanel::setTrunk(std::shared_ptr<const CheckpointData> checkpoint) {
  m_trunkCheckpoint = std::move(checkpoint);
  m_field.reset();  // the field follows the trunk's model
  m_trunkColours.clear();
}

void ExplorationPanel::setFrame(int k) {
  m_frame = k;
  updateControls();
}

void ExplorationPanel::fitModel(bool images) {
  const QVariant current = m_reconSource->currentData();
  m_reconSource->blockSignals(true);
  m_reconSource->clear();
  if (images) {
    m_reconSource->addItem(tr("Fashion-MNIST test image"), static_cast<int>(ReconstructionSource::Kind::FashionMnistTest));
    m_reconSource->addItem(tr("Image file"), static_cast<int>(ReconstructionSource::Kind::ImageFile));
  } else {
    m_reconSource->addItem(tr("Points of the data"), static_cast<int>(ReconstructionSource::Kind::DataPoints));
  }
  m_reconSource->setCurrentIndex(std::max(0, m_reconSource->findData(current)));
  m_reconSource->blockSignals(false);
  m_interpRow->setVisible(images);
}

void ExplorationPanel::updateControls() {
  const TrajectoryStore& s = m_trunk->store();
  const bool canBranch = !s.isEmpty() && m_trunkCheckpoint && m_frame < s.layout().totalSteps();
  m_branch->setEnabled(canBranch);
  m_branch->setToolTip(canBranch ? tr("Keep xₜ of step %1 and re-draw the noise of every later step with new seeds: "
                                      "what the branches share was already decided at this t")
                                       .arg(m_frame)
                                 : tr("Sample, then pause or scrub to a step with noise left (not x₀) to branch from it"));
  m_reconstruct->setEnabled(m_model->isLoaded());
  m_interpolate->setEnabled(m_model->isLoaded());
  m_strip->setEnabled(m_model->isLoaded());
  m_progressive->setEnabled(m_model->isLoaded() && m_form->imagesModel());
  m_sharedLatent->setEnabled(m_model->isLoaded() && m_form->imagesModel());
  m_interpT->setMaximum(std::max(1, m_form->maxSteps()));
  const auto kind = static_cast<ReconstructionSource::Kind>(m_reconSource->currentData().toInt());
  m_reconIndex->setVisible(kind == ReconstructionSource::Kind::FashionMnistTest);
  m_reconFile->setVisible(kind == ReconstructionSource::Kind::ImageFile);
  m_fieldBox->setEnabled(!m_form->imagesModel());
  m_close->setVisible(m_grid->isVisible());
  m_export->setVisible(m_grid->isVisible() && !m_grid->grid().isEmpty());
}

void ExplorationPanel::setVectorFieldShown(bool shown) {
  m_fieldBox->setChecked(shown);
}

bool ExplorationPanel::isVectorFieldShown() const {
  return m_fieldBox->isChecked() && m_fieldBox->isEnabled();
}

int ExplorationPanel::fieldTimestep(int k) const {
  return TrajectoryPictures::fieldTimestep(m_trunk->store(), k);
}

EpsField* ExplorationPanel::field() {
  if (!m_field && m_trunkCheckpoint) {
    try {
      m_field = std::make_unique<EpsField>(*m_trunkCheckpoint);
    } catch (const std::exception& e) {
      emit messageRequested(tr("The ε̂ field cannot be drawn: %1").arg(QString::fromUtf8(e.what())), true);
    }
  }
  return m_field.get();
}

bool ExplorationPanel::isExploring() const {
  return m_exploration->isRunning();
}

const SampleGrid& ExplorationPanel::grid() const {
  return m_grid->grid();
}

void ExplorationPanel::setReconstructionIndex(int index) {
  m_reconIndex->setValue(index);
}

void ExplorationPanel::setReconstructionFile(const QString& path) {
  m_reconPath = path;
  m_reconFile->setText(QFileInfo(path).fileName());
  const int file = m_reconSource->findData(static_cast<int>(ReconstructionSource::Kind::ImageFile));
  if (file >= 0) m_reconSource->setCurrentIndex(file);
  updateControls();
}

void ExplorationPanel::startExploration(const QString& what, std::function<SampleGrid(const std::atomic<bool>*)> job) {
  emit messageRequested(QString(), false);
  m_grid->setVisible(true);
  m_grid->setPlaceholder(what + QStringLiteral("…"));
  m_status->setText(what + QStringLiteral("…"));
  m_exploration->start(std::move(job));
  updateControls();
}

bool ExplorationPanel::branchFromHere(int branches) {
  if (branches <= 0) branches = m_branchCount->value();
  const TrajectoryStore& s = m_trunk->store();
  if (s.isEmpty() || !m_trunkCheckpoint) {
    emit messageRequested(tr("Sample first: a branch starts from a step of a recorded run."), true);
    return false;
  }
  const int K = s.layout().totalSteps();
  if (m_frame >= K) {
    emit messageRequested(
        tr("Step %1 is x₀, the end of the run: move back to a step with noise left to branch from it.").arg(m_frame), true);
    return false;
  }
  const SamplingSettings settings = m_trunk->settings();
  if (settings.sampler == SamplingSettings::Sampler::DDIM && settings.eta <= 0.0) {
    emit messageRequested(tr("DDIM with η = 0 adds no noise after x_T, so every branch would end exactly as the trunk: "
                             "sample with η > 0 (or with DDPM) to branch."),
                          true);
    return false;
  }
  if (skipsSteps(settings.sampler) && settings.sampler != SamplingSettings::Sampler::DDIM) {
    emit messageRequested(tr("%1 solves the probability-flow ODE and adds no noise after x_T, so every branch would end "
                             "exactly as the trunk: sample with DDPM (or DDIM with η > 0) to branch.")
                              .arg(samplerName(settings.sampler)),
                          true);
    return false;
  }
  emit pauseRequested();
  const int frame = m_frame;
  // New seeds every time, never the trunk's own.
  const quint64 seed = settings.seed + 1 + static_cast<quint64>(m_branchRound++) * static_cast<quint64>(branches);
  const int t = s.layout().timesteps[static_cast<std::size_t>(frame)];
  m_isBranch = true;
  startExploration(tr("Branching %1 times from step %2 (t = %3)").arg(branches).arg(frame).arg(t),
                   [checkpoint = m_trunkCheckpoint, settings, frame, branches, seed](const std::atomic<bool>* cancel) {
                     return computeBranches(*checkpoint, settings, frame, branches, seed, 6, cancel);
                   });
  return true;
}

bool ExplorationPanel::reconstructFromControls() {
  ReconstructionSource source;
  source.kind = static_cast<ReconstructionSource::Kind>(m_reconSource->currentData().toInt());
  source.index = m_reconIndex->value();
  source.path = m_reconPath;
  source.seed = m_form->settings().seed;
  if (source.kind == ReconstructionSource::Kind::ImageFile && source.path.isEmpty()) {
    emit messageRequested(tr("Choose an image file to reconstruct (the Image… button)."), true);
    return false;
  }
  return reconstruct(source);
}

namespace {

QString sourceName(const ReconstructionSource& source) {
  switch (source.kind) {
    case ReconstructionSource::Kind::FashionMnistTest:
      return ExplorationPanel::tr("Fashion-MNIST test #%1").arg(source.index);
    case ReconstructionSource::Kind::ImageFile: return QFileInfo(source.path).fileName();
    case ReconstructionSource::Kind::DataPoints: return ExplorationPanel::tr("%1 points of the data").arg(source.points);
  }
  return {};
}

}  // namespace

bool ExplorationPanel::reconstruct(const ReconstructionSource& source) {
  if (!m_model->isLoaded()) {
    emit messageRequested(tr("There is no model to reconstruct with: open a checkpoint or train one first."), true);
    return false;
  }
  emit pauseRequested();
  auto checkpoint = std::make_shared<const CheckpointData>(m_model->data());
  const SamplingSettings settings = m_form->settings();
  const std::vector<int> ts = reconstructionTimesteps(m_form->maxSteps());
  const int draws = m_form->imagesModel() ? 4 : 3;
  const QString name = sourceName(source);
  const QString sampler = samplerSummary(settings);
  m_isBranch = false;
  startExploration(tr("Reconstructing %1 from %2 noise levels").arg(name).arg(ts.size()),
                   [checkpoint, settings, source, ts, draws, name, sampler](const std::atomic<bool>* cancel) {
                     const std::vector<float> x0 = reconstructionOriginal(*checkpoint, source);
                     SampleGrid grid = computeReconstruction(*checkpoint, settings, x0, ts, draws, settings.seed, cancel);
                     grid.title = QStringLiteral("%1 noised to xₜ and denoised back (%2)").arg(name, sampler);
                     return grid;
                   });
  return true;
}

bool ExplorationPanel::interpolateFromControls() {
  return interpolate(m_interpFirst->value(), m_interpSecond->value(), m_interpT->value(), m_interpLambdas->value());
}

bool ExplorationPanel::interpolate(int first, int second, int t, int lambdas) {
  if (!m_model->isLoaded()) {
    emit messageRequested(tr("There is no model to interpolate with: open a checkpoint or train one first."), true);
    return false;
  }
  if (!m_form->imagesModel()) {
    emit messageRequested(tr("Interpolation mixes two images; this model makes 2D points."), true);
    return false;
  }
  emit pauseRequested();
  auto checkpoint = std::make_shared<const CheckpointData>(m_model->data());
  const SamplingSettings settings = m_form->settings();
  const QString sampler = samplerSummary(settings);
  m_isBranch = false;
  startExploration(tr("Interpolating test #%1 and #%2 at t = %3").arg(first).arg(second).arg(t),
                   [checkpoint, settings, first, second, t, lambdas, sampler](const std::atomic<bool>* cancel) {
                     SampleGrid grid = computeInterpolation(*checkpoint, settings, first, second, t, lambdas, cancel);
                     if (!grid.isEmpty()) grid.title += QStringLiteral(" (%1)").arg(sampler);
                     return grid;
                   });
  return true;
}

bool ExplorationPanel::guidanceStripFromControls() {
  std::vector<double> strengths;
  for (const QString& part : m_strengths->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
    bool ok = false;
    const double value = QLocale::c().toDouble(part.trimmed(), &ok);
    if (!ok || !std::isfinite(value)) {
      emit messageRequested(tr("The strengths must be numbers separated by commas, e.g. 0, 1, 3, 7; '%1' is not one")
                                .arg(part.trimmed()),
                            true);
      return false;
    }
    strengths.push_back(value);
  }
  return guidanceStrip(strengths);
}

bool ExplorationPanel::guidanceStrip(const std::vector<double>& strengths) {
  if (!m_model->isLoaded()) {
    emit messageRequested(tr("There is no model to sample: open a checkpoint or train one first."), true);
    return false;
  }
  const SamplingSettings settings = m_form->settings();
  const bool byClassifier = !settings.noisyClassifier.isEmpty() && settings.classifierClass >= 0;
  if (!byClassifier && settings.classLabel < 0) {
    emit messageRequested(tr("Choose a class first: a conditional model's Class, or a noise-aware Classifier and its "
                             "class."),
                          true);
    return false;
  }
  if (strengths.empty() || strengths.size() > 12) {
    emit messageRequested(tr("Give 1 to 12 strengths, e.g. 0, 1, 3, 7."), true);
    return false;
  }
  emit pauseRequested();
  auto checkpoint = std::make_shared<const CheckpointData>(m_model->data());
  m_isBranch = false;  // the title names the class and the seed; the strengths head the columns
  startExploration(tr("Sampling the class at %1 strengths").arg(strengths.size()),
                   [checkpoint, settings, strengths](const std::atomic<bool>* cancel) {
                     return computeGuidanceStrip(*checkpoint, settings, strengths, 6, cancel);
                   });
  return true;
}

bool ExplorationPanel::startImageFigure(const QString& what, std::function<SampleGrid(const std::atomic<bool>*)> job) {
  if (!m_model->isLoaded()) {
    emit messageRequested(tr("There is no model to sample: open a checkpoint or train one first."), true);
    return false;
  }
  if (!m_form->imagesModel()) {
    emit messageRequested(tr("The paper's figures show images; this model makes 2D points."), true);
    return false;
  }
  emit pauseRequested();
  m_isBranch = false;
  startExploration(what, std::move(job));
  return true;
}

bool ExplorationPanel::progressive() {
  if (!m_model->isLoaded()) return startImageFigure({}, {});
  auto checkpoint = std::make_shared<const CheckpointData>(m_model->data());
  const SamplingSettings settings = m_form->settings();
  const QString sampler = samplerSummary(settings);
  return startImageFigure(tr("Progressive generation"), [checkpoint, settings, sampler](const std::atomic<bool>* cancel) {
    SampleGrid grid = computeProgressive(*checkpoint, settings, 10, 6, cancel);
    if (!grid.isEmpty()) grid.title += QStringLiteral(" (%1)").arg(sampler);
    return grid;
  });
}

bool ExplorationPanel::sharedLatent() {
  if (!m_model->isLoaded()) return startImageFigure({}, {});
  auto checkpoint = std::make_shared<const CheckpointData>(m_model->data());
  const SamplingSettings settings = m_form->settings();
  const QString sampler = samplerSummary(settings);
  const std::int64_t T = checkpoint->schedule.timesteps();
  std::vector<std::int64_t> levels;
  for (const int quarter : {4, 3, 2, 1}) levels.push_back(std::max<std::int64_t>(1, T * quarter / 4));
  return startImageFigure(tr("Shared latents"), [checkpoint, settings, sampler, levels](const std::atomic<bool>* cancel) {
    SampleGrid grid = computeSharedLatent(*checkpoint, settings, levels, 3, cancel);
    if (!grid.isEmpty()) grid.title += QStringLiteral(" (%1)").arg(sampler);
    return grid;
  });
}

bool ExplorationPanel::exportGrid(const QString& path, QString* error, QSize pixels) const {
  if (m_grid->grid().isEmpty()) {
    if (error) *error = tr("There is no picture to save yet");
    return false;
  }
  const QSize size = pixels.isValid() ? pixels : m_grid->size();
  return writePng(renderSampleGrid(m_grid->grid(), size, 1.0, m_gridColours), path, error);
}

void ExplorationPanel::onFinished(const SampleGrid& grid, double seconds) {
  std::vector<QRgb> colours;
  if (grid.kind == SampleGrid::Kind::Points && !grid.isEmpty()) {
    // Branches keep the trunk's colours (where each point ends in the trunk); a
    // reconstruction colours each point by where it started, x₀.
    if (m_isBranch && static_cast<int>(m_trunkColours.size()) == grid.points) colours = m_trunkColours;
    else if (m_isBranch) colours = pointColours(grid.cells[1].data(), grid.points);
    else colours = pointColours(grid.cells[0].data(), grid.points);
  }
  m_grid->setGrid(grid, colours);
  m_gridColours = colours;
  m_status->setText((m_isBranch ? tr("Branches done in %1 s") : tr("Done in %1 s")).arg(formatNumber(seconds, 3)));
  updateControls();
  emit explorationEnded(true);
}

void ExplorationPanel::onFailed(const QString& message) {
  m_grid->setPlaceholder(QString());
  m_grid->setVisible(false);
  m_status->clear();
  emit messageRequested(tr("That did not work: %1").arg(message), true);
  updateControls();
  emit explorationEnded(false);
}

}  // namespace ddpm::ui
