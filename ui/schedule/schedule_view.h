#pragma once

#include "ui/shared/studio_view.h"

class QCheckBox;
class QGroupBox;
class QPushButton;

namespace ddpm::ui {

class Playback;
class ScheduleChart;
class ScheduleEditor;
class ScheduleReadout;
class TimestepBar;

/// The Schedule view: edit the noise schedule (kind, T, β range, cosine s, custom file),
/// see βₜ, ᾱₜ, √ᾱₜ, √(1 − ᾱₜ), β̃ₜ and log SNR against t with the shared cursor, compare
/// with a second schedule, export the chart (PNG) and the table (CSV, the CLI's columns).
class ScheduleView : public StudioView {
  Q_OBJECT

 public:
  ScheduleView(ScheduleModel* schedule, TimestepCursor* cursor, Playback* playback, QWidget* parent = nullptr);
  ~ScheduleView() override;

  QString key() const override { return QStringLiteral("schedule"); }
  QString title() const override { return tr("Schedule"); }
  QIcon icon() const override;
  QString formulaHtml() const override;
  QString exportImageName() const override { return QStringLiteral("schedule.png"); }
  bool exportImage(const QString& path, QString* error) override;
  /// The schedule's table as CSV: t and the CLI's columns (`ddpm schedule --format csv`).
  bool exportTable(const QString& path, QString* error) const;

  void saveState(QSettings& settings) const override;
  void restoreState(QSettings& settings) override;

  /// Compare mode: overlays the second schedule (edited in its own form).
  void setCompareEnabled(bool enabled);
  bool compareEnabled() const;
  ScheduleModel* compareModel() const { return m_compareModel; }

  ScheduleEditor* editor() const { return m_editor; }
  ScheduleEditor* compareEditor() const { return m_compareEditor; }
  ScheduleChart* chart() const { return m_chart; }
  ScheduleReadout* readout() const { return m_readout; }
  TimestepBar* timestepBar() const { return m_bar; }
  /// Log scale for the variances; chosen automatically (see chooseVarianceScale) until
  /// the user clicks it.
  QCheckBox* logScaleBox() const { return m_logScale; }
  QCheckBox* compareBox() const { return m_compareBox; }
  /// "Retrain with this schedule": emits retrainRequested (the window opens the Training view).
  QPushButton* retrainButton() const { return m_retrain; }

 signals:
  /// The person wants to train a model with the schedule as it is now.
  void retrainRequested();

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  void onScheduleChanged();
  void onCompareChanged();
  void onCursorMoved();
  void chooseVarianceScale();
  void exportChartInteractive();
  void exportTableInteractive();

  ScheduleModel* m_compareModel;
  ScheduleEditor* m_editor;
  ScheduleEditor* m_compareEditor;
  QCheckBox* m_compareBox;
  QGroupBox* m_compareGroup;
  ScheduleChart* m_chart;
  ScheduleReadout* m_readout;
  QCheckBox* m_logScale;
  TimestepBar* m_bar;
  QPushButton* m_retrain;
  bool m_readoutDirty = true;
  bool m_logScaleChosen = false;  ///< the user ticked or unticked the log scale
};

}  // namespace ddpm::ui
