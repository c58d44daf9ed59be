#include "ui/compare/compare_view.h"

#include "ui/compare/ab_panel.h"
#include "ui/compare/compare_column.h"
#include "ui/compare/slerp_panel.h"
#include "ui/compare/slerp_strip.h"
#include "ui/shared/save_dialog.h"
#include "ui/shared/current_model.h"
#include "ui/shared/png_export.h"
#include "ui/shared/studio_icons.h"
#include "ui/shared/studio_style.h"

#include <QImage>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QVBoxLayout>

namespace ddpm::ui {

CompareView::CompareView(ScheduleModel* schedule, TimestepCursor* cursor, CurrentModel* model, QWidget* parent)
    : StudioView(schedule, cursor, parent),
      m_model(model),
      m_tabs(new QTabWidget(this)),
      m_ab(new AbPanel(model, this)),
      m_slerp(new SlerpPanel(model, this)) {
  setAcceptDrops(false);  // drops go to the window, which opens checkpoints
  m_tabs->addTab(m_ab, tr("A/B, same seed"));
  m_tabs->addTab(m_slerp, tr("Slerp in noise space"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(m_tabs);
  connect(m_tabs, &QTabWidget::currentChanged, this, &StudioView::formulaChanged);
  connect(m_ab, &AbPanel::frameChanged, this, &StudioView::formulaChanged);
  connect(m_ab, &AbPanel::runEnded, this, [this](bool ok) {
    if (ok) emit statusMessage(tr("A and B sampled from the same x_T"));
  });
  connect(m_slerp, &SlerpPanel::runEnded, this, [this](bool ok) {
    if (ok) emit statusMessage(tr("Interpolation done"));
    emit formulaChanged();
  });
  connect(m_slerp, &SlerpPanel::exportRequested, this, &CompareView::exportInteractive);
}

QIcon CompareView::icon() const { return compareViewIcon(); }

void CompareView::setPage(int page) { m_tabs->setCurrentIndex(page); }

QString CompareView::formulaHtml() const {
  const QString muted = colours::kMutedText.name();
  auto header = [&](const QString& title, const QString& note) {
    return QStringLiteral("<div style='font-size:large'><b>%1</b> &nbsp;<span style='color:%2'>%3</span></div>")
        .arg(title, muted, note);
  };
  if (m_tabs->currentWidget() == m_slerp) {
    return header(tr("Spherical interpolation of x<sub>T</sub>"), tr("(Shoemake 1985; DDIM, Song et al. 2021, §5.3)")) +
           QStringLiteral("<div style='font-size:x-large; margin-top:6px'>x<sub>T</sub>(λ) = sin((1 − λ)θ)/sin θ · a + "
                          "sin(λθ)/sin θ · b, &nbsp; cos θ = ⟨a, b⟩ / (‖a‖ ‖b‖)</div>") +
           QStringLiteral("<div style='margin-top:4px'>%1</div>").arg(m_slerp->summary().toHtmlEscaped());
  }
  QString html = header(tr("One x<sub>T</sub> ~ N(0, I), two reverse processes"),
                        tr("both draw x<sub>T</sub> first from a generator seeded with the shared seed"));
  html += QStringLiteral("<div style='font-size:x-large; margin-top:6px'>frame<sub>A</sub> = round(f · K<sub>A</sub>), "
                         "&nbsp; frame<sub>B</sub> = round(f · K<sub>B</sub>), &nbsp; f = fraction of the run</div>");
  if (!m_ab->statusText().isEmpty())
    html += QStringLiteral("<div style='margin-top:4px'>%1</div>").arg(m_ab->statusText().toHtmlEscaped());
  return html;
}

QString CompareView::exportImageName() const {
  return m_tabs->currentWidget() == m_slerp ? QStringLiteral("compare_slerp.png") : QStringLiteral("compare_ab.png");
}

bool CompareView::exportImage(const QString& path, QString* error) {
  QImage image = m_tabs->currentWidget() == m_slerp ? m_slerp->composeImage() : m_ab->composeImage();
  if (image.isNull()) {
    // Nothing run yet: the view as seen (models and settings), at 2×, as the Sampling view does.
    image = QImage(size() * 2, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(2.0);
    image.fill(palette().color(QPalette::Window));
    render(&image);
  }
  return writePng(image, path, error);
}

void CompareView::exportInteractive() {
  const QString path = askSavePath(this, tr("Export picture"), exportImageName(), SavedFile::Png, {m_model->path()});
  if (path.isEmpty()) return;
  QString error;
  if (exportImage(path, &error)) emit statusMessage(tr("Saved %1").arg(path));
  else emit statusMessage(error);
}

void CompareView::saveState(QSettings& settings) const {
  settings.beginGroup(QStringLiteral("compareView"));
  settings.setValue(QStringLiteral("page"), m_tabs->currentIndex());
  for (const auto& [group, column] : {std::pair{QStringLiteral("a"), m_ab->columnA()},
                                      std::pair{QStringLiteral("b"), m_ab->columnB()}}) {
    settings.beginGroup(group);
    const SamplingSettings s = column->settings();
    writeSamplerChoice(settings, s);
    settings.setValue(QStringLiteral("clipX0"), s.clipX0);
    settings.endGroup();
  }
  settings.setValue(QStringLiteral("seed"), m_ab->seedBox()->value());
  settings.setValue(QStringLiteral("samples"), m_ab->samplesBox()->value());
  const SlerpSettings slerp = m_slerp->settings();
  settings.beginGroup(QStringLiteral("slerp"));
  settings.setValue(QStringLiteral("seedA"), static_cast<qulonglong>(slerp.seedA));
  settings.setValue(QStringLiteral("seedB"), static_cast<qulonglong>(slerp.seedB));
  settings.setValue(QStringLiteral("count"), slerp.count);
  settings.setValue(QStringLiteral("samples"), slerp.samples);
  settings.setValue(QStringLiteral("ddpm"), slerp.ddpm);
  settings.setValue(QStringLiteral("steps"), slerp.steps);
  settings.endGroup();
  settings.endGroup();
}

void CompareView::restoreState(QSettings& settings) {
  settings.beginGroup(QStringLiteral("compareView"));
  for (const auto& [group, column] : {std::pair{QStringLiteral("a"), m_ab->columnA()},
                                      std::pair{QStringLiteral("b"), m_ab->columnB()}}) {
    settings.beginGroup(group);
    SamplingSettings s = readSamplerChoice(settings, column->settings());
    s.clipX0 = settings.value(QStringLiteral("clipX0"), s.clipX0).toBool();
    column->setSettings(s);
    settings.endGroup();
  }
  // QSpinBox clamps what it is given to its range, so a hand-edited file cannot break it.
  m_ab->seedBox()->setValue(settings.value(QStringLiteral("seed"), m_ab->seedBox()->value()).toInt());
  m_ab->samplesBox()->setValue(settings.value(QStringLiteral("samples"), m_ab->samplesBox()->value()).toInt());
  SlerpSettings slerp = m_slerp->settings();
  settings.beginGroup(QStringLiteral("slerp"));
  slerp.seedA = settings.value(QStringLiteral("seedA"), static_cast<qulonglong>(slerp.seedA)).toULongLong();
  slerp.seedB = settings.value(QStringLiteral("seedB"), static_cast<qulonglong>(slerp.seedB)).toULongLong();
  slerp.count = settings.value(QStringLiteral("count"), slerp.count).toInt();
  slerp.samples = settings.value(QStringLiteral("samples"), slerp.samples).toInt();
  slerp.ddpm = settings.value(QStringLiteral("ddpm"), slerp.ddpm).toBool();
  slerp.steps = settings.value(QStringLiteral("steps"), slerp.steps).toInt();
  settings.endGroup();
  m_slerp->setSettings(slerp);
  setPage(settings.value(QStringLiteral("page"), 0).toInt());
  settings.endGroup();
}

}  // namespace ddpm::ui
