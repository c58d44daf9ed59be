#pragma once

#include "ui/sampling/sampling_settings.h"

#include <QImage>
#include <QString>
#include <QWidget>

#include <memory>

class QLabel;
class QProgressBar;
class QPushButton;
class QSlider;
class QSpinBox;

namespace ddpm {
struct CheckpointData;
}

namespace ddpm::ui {

class CompareColumn;
class CurrentModel;
class ImagePanel;
class SamplingSession;
class TrajectoryPlayer;
class TrajectoryPlayerBar;
class TrajectoryStore;

/// A/B with the same seed: two columns (model and sampler each) sampled from one seed,
/// so both start from the same x_T (ReverseProcess draws x_T first from a generator
/// seeded with the seed). Each side has its own SamplingSession; B starts when A has
/// finished (one network at a time: a UNet already uses every core, and two networks
/// running at once in one process gave runs that did not repeat bit for bit). Then one
/// slider plays both in lockstep by fraction of the run (lockstepFrame), with |A − B|
/// per pixel between them for images, or both clouds overlaid for 2D points. The
/// slider is a TrajectoryPlayer over the lockstep positions 0 … max(K_A, K_B), with the
/// Sampling view's player bar (Play and the scrubber only).
class AbPanel : public QWidget {
  Q_OBJECT

 public:
  explicit AbPanel(CurrentModel* model, QWidget* parent = nullptr);
  ~AbPanel() override;

  CompareColumn* columnA() const { return m_a; }
  CompareColumn* columnB() const { return m_b; }
  const TrajectoryStore& storeA() const;
  const TrajectoryStore& storeB() const;
  QSlider* slider() const;
  TrajectoryPlayer* player() const { return m_player; }
  ImagePanel* panelA() const { return m_panelA; }
  ImagePanel* panelB() const { return m_panelB; }
  ImagePanel* differencePanel() const { return m_panelDiff; }
  QPushButton* runButton() const { return m_run; }
  QSpinBox* seedBox() const { return m_seed; }        ///< one seed for both sides
  QSpinBox* samplesBox() const { return m_samples; }  ///< N for both sides

  void setSeed(quint64 seed);
  void setSamples(int samples);
  /// Starts both runs; false (and a message) when they cannot be compared.
  bool startRuns();
  void stop();
  bool isRunning() const;
  /// The frame each side shows now.
  int frameA() const { return m_frameA; }
  int frameB() const { return m_frameB; }
  /// The message shown above the panels (empty when none).
  QString message() const;
  /// The three panels side by side with a caption, for export.
  QImage composeImage() const;
  /// One line about the comparison at the slider's position.
  QString statusText() const { return m_status; }

 signals:
  /// Both runs ended: `ok` when both finished (not cancelled, not failed).
  void runEnded(bool ok);
  void frameChanged();

 private:
  void finishRuns(bool ok);
  void updateState();
  void updateSliderRange();
  void render();
  /// The middle panel's title: the two clouds overlaid (2D) or |A − B| per pixel (images).
  static QString middleTitle(bool points);
  void showMessage(const QString& text);
  void build();
  void layOut();
  void connectRuns();
  void onModelA();

  CompareColumn* m_a;
  CompareColumn* m_b;
  SamplingSession* m_sessionA;
  SamplingSession* m_sessionB;
  QSpinBox* m_seed;
  QSpinBox* m_samples;
  QPushButton* m_run;
  QPushButton* m_stop;
  QProgressBar* m_progress;
  QLabel* m_message;
  ImagePanel* m_panelA;
  ImagePanel* m_panelDiff;
  ImagePanel* m_panelB;
  TrajectoryPlayer* m_player;
  TrajectoryPlayerBar* m_bar;
  QLabel* m_position;
  int m_frameA = 0;
  int m_frameB = 0;
  int m_pending = 0;       // runs still to finish: A and B run at once
  bool m_failed = false;   // a side failed or was stopped: the pair is incomplete
  QString m_status;
  QString m_titleA, m_titleB;  // model and sampler of the runs on show
};

}  // namespace ddpm::ui
