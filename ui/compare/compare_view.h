#pragma once

#include "ui/shared/studio_view.h"

class QTabWidget;

namespace ddpm::ui {

class AbPanel;
class CurrentModel;
class SlerpPanel;

/// Compare: two questions about samplers and noise that the paper's figures raise.
/// "A/B, same seed" samples two models or two samplers from one x_T and plays them in
/// lockstep with |A − B| between them; "Slerp in noise space" samples along a great
/// circle between the x_T of two seeds. Both run on their own worker threads.
class CompareView : public StudioView {
  Q_OBJECT

 public:
  CompareView(ScheduleModel* schedule, TimestepCursor* cursor, CurrentModel* model, QWidget* parent = nullptr);

  QString key() const override { return QStringLiteral("compare"); }
  QString title() const override { return tr("Compare"); }
  QIcon icon() const override;
  QString formulaHtml() const override;
  QString exportImageName() const override;
  bool exportImage(const QString& path, QString* error) override;
  /// The page, both sides' samplers, the shared seed and N, and the slerp settings (not
  /// the models: a file may be gone by the next session).
  void saveState(QSettings& settings) const override;
  void restoreState(QSettings& settings) override;

  AbPanel* abPanel() const { return m_ab; }
  SlerpPanel* slerpPanel() const { return m_slerp; }
  QTabWidget* tabs() const { return m_tabs; }
  /// Shows the A/B page (0) or the slerp page (1).
  void setPage(int page);

 private:
  void exportInteractive();

  CurrentModel* m_model;
  QTabWidget* m_tabs;
  AbPanel* m_ab;
  SlerpPanel* m_slerp;
};

}  // namespace ddpm::ui
