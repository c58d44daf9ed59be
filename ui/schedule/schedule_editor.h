#pragma once

#include "core/schedule/noise_schedule.h"

#include <QTimer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace ddpm::ui {

class ScheduleModel;

/// A form that edits one ScheduleModel: kind, T, β start/end, cosine s, or a custom β
/// file. Edits apply on their own a moment after typing stops (or at once on Enter or a
/// new kind). A value core refuses is shown inline with core's reason, the field is
/// marked, and the model keeps its previous schedule; a valid schedule's warnings (such
/// as ᾱ_T ≫ 0) are shown in the same place.
class ScheduleEditor : public QWidget {
  Q_OBJECT

 public:
  explicit ScheduleEditor(ScheduleModel* model, QWidget* parent = nullptr);

  QComboBox* kindBox() const { return m_kind; }
  QLineEdit* stepsEdit() const { return m_steps; }
  QLineEdit* betaStartEdit() const { return m_betaStart; }
  QLineEdit* betaEndEdit() const { return m_betaEnd; }
  QLineEdit* cosineSEdit() const { return m_cosineS; }
  QLabel* messageLabel() const { return m_message; }
  /// The message shown under the form (error, warning or verdict), as text.
  QString messageText() const { return m_messageText; }
  /// "error", "warning" or "ok": the kind of message shown.
  QString messageKind() const;

  /// Reads a β file (one β per line) and applies it as the custom schedule; errors are
  /// shown inline and returned (empty string on success).
  QString loadBetasFile(const QString& path);

 public slots:
  /// Applies the fields now (what a pause in typing does after a moment).
  void applyNow();
  /// Fills the fields from the model (after a change made elsewhere).
  void syncFromModel();

 signals:
  /// A β file was read successfully (for the recent-files list).
  void betasFileLoaded(const QString& path);

 private:
  void browseBetasFile();
  void onKindChanged();
  void updateFieldStates();
  void showScheduleStatus();
  void showMessage(const QString& kind, const QString& text);
  void markInvalid(QLineEdit* edit, bool invalid);
  void clearMarks();
  ScheduleKind currentKind() const;

  ScheduleModel* m_model;
  QComboBox* m_kind;
  QLineEdit* m_steps;
  QLineEdit* m_betaStart;
  QLineEdit* m_betaEnd;
  QLineEdit* m_cosineS;
  QLineEdit* m_file;
  QPushButton* m_browse;
  QLabel* m_message;
  QTimer m_debounce;
  QString m_messageText;
  std::vector<double> m_customBetas;
  QString m_customPath;
  bool m_applying = false;
};

}  // namespace ddpm::ui
