#pragma once

#include "ui/shared/studio_view.h"

#include "ui/evaluate/evaluation_types.h"

#include <memory>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTabWidget;

namespace ddpm::ui {

struct StudioOptions;
class BitsPerTChart;
class CurrentModel;
class EvaluateSession;
class QualityStepsChart;
class RateDistortionPage;

/// The Evaluate view: measure the window's current model, beyond watching it sample.
/// "Where do the bits go?" evaluates the variational bound (eq. 5) on test data term by
/// term (core's variational_bound) and charts L_t in bits/dim against t, with L_0 and L_T
/// called out and the cumulative share of the total. "Quality against NFE" samples with
/// DDPM (T steps) and the ticked samplers (DDIM, DPM-Solver++, Euler, Heun) at several K
/// from one seed and charts the score (energy distance for 2D points, the classifier's
/// Fréchet distance for Fashion-MNIST) and the wall time against the number of network
/// evaluations (NFE), with a table to export as CSV. "Rate and distortion" draws Fig. 5
/// (progressive coding) from a bound of images with all T terms. The runs go on an
/// EvaluateSession's thread with progress and Cancel.
class EvaluateView : public StudioView {
  Q_OBJECT

 public:
  EvaluateView(ScheduleModel* schedule, TimestepCursor* cursor, CurrentModel* model, QWidget* parent = nullptr);
  ~EvaluateView() override;

  QString key() const override { return QStringLiteral("evaluate"); }
  QString title() const override { return tr("Evaluate"); }
  QIcon icon() const override;
  QString formulaHtml() const override;
  QString exportImageName() const override { return QStringLiteral("evaluate.png"); }
  bool exportImage(const QString& path, QString* error) override;
  void saveState(QSettings& settings) const override;
  void restoreState(QSettings& settings) override;

  /// Starts the bound with the panel's settings; false (and errorReported) when it cannot.
  bool runBound();
  /// Starts the quality runs with the panel's settings; false (and errorReported) when it cannot.
  bool runQuality();
  void cancel();
  bool isRunning() const;
  /// The panel's settings as the runs would use them.
  BoundSettings boundSettings() const;
  /// False with a sentence when the step list does not parse.
  bool qualitySettings(QualitySettings* settings, QString* error) const;
  /// Writes the quality table as CSV (atomically).
  bool exportQualityCsv(const QString& path, QString* error) const;
  /// Command-line options: --eval-examples, --eval-terms, --eval-steps, --samples, --seed,
  /// and --evaluate bound|quality starts that run. Returns an error or empty.
  QString applyOptions(const StudioOptions& options);
  /// Shows the bits (0), quality (1) or rate–distortion (2) page.
  void showPage(int page);

  const BoundResult* lastBound() const { return m_bound.get(); }
  const std::vector<QualityRow>& qualityRows() const { return m_rows; }
  QString boundSummary() const;

  EvaluateSession* session() const { return m_session; }
  BitsPerTChart* bitsChart() const { return m_bitsChart; }
  QualityStepsChart* qualityChart() const { return m_qualityChart; }
  QTableWidget* qualityTable() const { return m_table; }
  RateDistortionPage* rateDistortionPage() const { return m_rateDistortion; }
  QComboBox* boundDataBox() const { return m_boundData; }
  QSpinBox* examplesBox() const { return m_examples; }
  QComboBox* termsModeBox() const { return m_termsMode; }
  QSpinBox* termsBox() const { return m_terms; }
  QCheckBox* logScaleBox() const { return m_logScale; }
  QSpinBox* samplesBox() const { return m_samples; }
  QLineEdit* stepsEdit() const { return m_steps; }
  QCheckBox* ddpmBox() const { return m_ddpm; }
  /// The quality panel's tick box for one sampler (DDIM, DPM-Solver++, Euler, Heun; not DDPM).
  QCheckBox* samplerBox(SamplingSettings::Sampler sampler) const;
  /// The ticked samplers as core's names ("ddim,heun"), and back: an unknown name (or
  /// DDPM) gives a message and changes nothing.
  QString samplersText() const;
  QString setSamplersFromText(const QString& text);
  QSpinBox* seedBox() const { return m_seed; }
  QPushButton* boundButton() const { return m_runBound; }
  QPushButton* qualityButton() const { return m_runQuality; }
  QPushButton* cancelButton() const { return m_cancel; }
  QProgressBar* progressBar() const { return m_progress; }
  QString statusText() const;

 signals:
  void errorReported(const QString& title, const QString& message);
  /// A bound run completed (lastBound() holds it).
  void boundReady();
  /// A run ended: completed, cancelled or failed.
  void runEnded();

 private:
  void setUpControls();
  void layOut();
  void connectSignals();
  void onModelChanged();
  void onFinished(bool cancelled);
  void onFailed(const QString& message);
  void onQualityRow(const QualityRow& row);
  void updateButtons();
  void setStatus(const QString& text, const QString& kind = {});
  void exportCsvInteractive();
  QString scoreName() const;
  int modelSteps() const;

  CurrentModel* m_model;
  EvaluateSession* m_session;
  std::unique_ptr<BoundResult> m_bound;
  std::vector<QualityRow> m_rows;
  bool m_modelIsPoints = true;
  bool m_kindKnown = false;  // defaults set for m_modelIsPoints' kind

  QLabel* m_modelLabel;
  QComboBox* m_boundData;
  QSpinBox* m_examples;
  QComboBox* m_termsMode;
  QSpinBox* m_terms;
  QComboBox* m_variance;
  QCheckBox* m_logScale;
  QPushButton* m_runBound;
  QSpinBox* m_samples;
  QLineEdit* m_steps;
  QCheckBox* m_ddpm;
  std::vector<std::pair<SamplingSettings::Sampler, QCheckBox*>> m_samplerBoxes;
  QSpinBox* m_seed;
  QPushButton* m_runQuality;
  QPushButton* m_exportCsv;
  QPushButton* m_cancel;
  QProgressBar* m_progress;
  QLabel* m_status;
  QTabWidget* m_pages;
  BitsPerTChart* m_bitsChart;
  QLabel* m_boundText;
  QualityStepsChart* m_qualityChart;
  QTableWidget* m_table;
  RateDistortionPage* m_rateDistortion;
};

}  // namespace ddpm::ui
