#include "ui/schedule/schedule_editor.h"
#include "ui/shared/studio_style.h"

#include "ui/shared/maths_format.h"
#include "core/schedule/betas_file.h"
#include "ui/shared/schedule_model.h"
#include "core/util/error.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

#include <cmath>

namespace ddpm::ui {

namespace {

// Numbers as people type them: "1e-4", "0.02", "0,02".
bool parseNumber(const QString& text, double* value) {
  bool ok = false;
  const QString trimmed = text.trimmed();
  *value = QLocale::c().toDouble(trimmed, &ok);
  if (!ok) *value = QLocale::c().toDouble(QString(trimmed).replace(u',', u'.'), &ok);
  return ok && std::isfinite(*value);
}

QString numberText(double value) {
  return QString::number(value, 'g', 10);
}

}  // namespace

ScheduleEditor::ScheduleEditor(ScheduleModel* model, QWidget* parent)
    : QWidget(parent),
      m_model(model),
      m_kind(new QComboBox(this)),
      m_steps(new QLineEdit(this)),
      m_betaStart(new QLineEdit(this)),
      m_betaEnd(new QLineEdit(this)),
      m_cosineS(new QLineEdit(this)),
      m_file(new QLineEdit(this)),
      m_browse(new QPushButton(tr("Open…"), this)),
      m_message(new QLabel(this)) {
  m_kind->addItem(tr("linear (DDPM paper)"), static_cast<int>(ScheduleKind::Linear));
  m_kind->addItem(tr("cosine (Nichol & Dhariwal)"), static_cast<int>(ScheduleKind::Cosine));
  m_kind->addItem(tr("quadratic (linear in √β)"), static_cast<int>(ScheduleKind::Quadratic));
  m_kind->addItem(tr("sigmoid"), static_cast<int>(ScheduleKind::Sigmoid));
  m_kind->addItem(tr("custom β file"), static_cast<int>(ScheduleKind::Custom));
  m_kind->setObjectName(QStringLiteral("scheduleKind"));
  m_steps->setObjectName(QStringLiteral("scheduleSteps"));
  m_betaStart->setObjectName(QStringLiteral("scheduleBetaStart"));
  m_betaEnd->setObjectName(QStringLiteral("scheduleBetaEnd"));
  m_cosineS->setObjectName(QStringLiteral("scheduleCosineS"));
  m_message->setObjectName(QStringLiteral("scheduleMessage"));

  m_steps->setToolTip(tr("T, the number of diffusion steps (1 … %1)").arg(kMaxScheduleSteps));
  m_betaStart->setToolTip(tr("beta_start: β₁, the noise variance of the first step, in (0, 1); the paper uses 10⁻⁴"));
  m_betaEnd->setToolTip(tr("beta_end: β_T, the noise variance of the last step, in (0, 1); the paper uses 0.02"));
  m_cosineS->setToolTip(tr("s, the small offset of the cosine schedule that keeps β₁ from being tiny; 0.008 in the paper"));
  m_file->setReadOnly(true);
  m_file->setPlaceholderText(tr("one β per line"));
  m_browse->setToolTip(tr("Read a custom β schedule: one number per line, # comments allowed"));

  auto* form = new QFormLayout;
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
  form->addRow(tr("Kind"), m_kind);
  form->addRow(tr("Steps T"), m_steps);
  form->addRow(tr("β start"), m_betaStart);
  form->addRow(tr("β end"), m_betaEnd);
  form->addRow(tr("Cosine s"), m_cosineS);
  auto* fileRow = new QHBoxLayout;
  fileRow->addWidget(m_file, 1);
  fileRow->addWidget(m_browse);
  form->addRow(tr("β file"), fileRow);

  m_message->setWordWrap(true);
  m_message->setTextFormat(Qt::RichText);
  m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
  m_message->setMinimumHeight(m_message->fontMetrics().height() * 2);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addLayout(form);
  layout->addWidget(m_message);

  m_debounce.setSingleShot(true);
  m_debounce.setInterval(450);
  connect(&m_debounce, &QTimer::timeout, this, &ScheduleEditor::applyNow);
  for (QLineEdit* edit : {m_steps, m_betaStart, m_betaEnd, m_cosineS}) {
    connect(edit, &QLineEdit::textEdited, this, [this] { m_debounce.start(); });
    connect(edit, &QLineEdit::editingFinished, this, &ScheduleEditor::applyNow);
  }
  connect(m_kind, qOverload<int>(&QComboBox::activated), this, &ScheduleEditor::onKindChanged);
  connect(m_browse, &QPushButton::clicked, this, &ScheduleEditor::browseBetasFile);
  connect(m_model, &ScheduleModel::scheduleChanged, this, [this] {
    if (!m_applying) syncFromModel();
  });
  syncFromModel();
}

ScheduleKind ScheduleEditor::currentKind() const {
  return static_cast<ScheduleKind>(m_kind->currentData().toInt());
}

QString ScheduleEditor::messageKind() const {
  return m_message->property("message").toString();
}

void ScheduleEditor::syncFromModel() {
  const ScheduleSpec& spec = m_model->spec();
  m_kind->setCurrentIndex(m_kind->findData(static_cast<int>(spec.kind)));
  m_steps->setText(QString::number(spec.timesteps()));
  m_betaStart->setText(numberText(spec.beta_start));
  m_betaEnd->setText(numberText(spec.beta_end));
  m_cosineS->setText(numberText(spec.cosine_s));
  if (spec.kind == ScheduleKind::Custom) {
    m_customBetas = spec.custom_betas;
    m_customPath = QString::fromStdString(spec.custom_source);
    m_file->setText(QFileInfo(m_customPath).fileName());
    m_file->setToolTip(m_customPath);
  }
  clearMarks();
  updateFieldStates();
  showScheduleStatus();
}

void ScheduleEditor::showScheduleStatus() {
  const QStringList warnings = m_model->warnings();
  if (!warnings.isEmpty()) {
    showMessage(QStringLiteral("warning"), QStringLiteral("⚠ ") + warnings.join(QStringLiteral("\n⚠ ")));
  } else {
    const auto& s = m_model->schedule();
    const double last = s.alpha_bar.back();
    showMessage(QStringLiteral("ok"), tr("✓ ᾱ<sub>T</sub> = %1: x<sub>T</sub> is noise; only √ᾱ<sub>T</sub> = %2 "
                                         "of x₀ is left in it")
                                         .arg(formatNumber(last, 3), formatNumber(s.sqrt_alpha_bar.back(), 3)));
  }
}

void ScheduleEditor::updateFieldStates() {
  const ScheduleKind kind = currentKind();
  const bool custom = kind == ScheduleKind::Custom;
  const bool cosine = kind == ScheduleKind::Cosine;
  m_steps->setEnabled(!custom);
  m_betaStart->setEnabled(!custom && !cosine);
  m_betaEnd->setEnabled(!custom && !cosine);
  m_cosineS->setEnabled(cosine);
  m_file->setEnabled(custom);
  m_browse->setEnabled(true);
}

void ScheduleEditor::onKindChanged() {
  updateFieldStates();
  if (currentKind() == ScheduleKind::Custom && m_customBetas.empty()) {
    showMessage(QStringLiteral("warning"),
                tr("Open a β file to use a custom schedule (one β per line). Until then the current schedule stays."));
    return;
  }
  applyNow();
}

void ScheduleEditor::browseBetasFile() {
  const QString path = QFileDialog::getOpenFileName(this, tr("Open a β schedule file"), QString(),
                                                    tr("β schedules (*.txt *.csv *.dat);;All files (*)"));
  if (!path.isEmpty()) loadBetasFile(path);
}

QString ScheduleEditor::loadBetasFile(const QString& path) {
  try {
    m_customBetas = read_betas_file(QFileInfo(path).absoluteFilePath().toStdString());
  } catch (const std::exception& error) {
    const QString reason = QString::fromStdString(error.what());
    showMessage(QStringLiteral("error"), tr("✖ Not applied: %1. The previous schedule is kept.").arg(reason));
    return reason;
  }
  m_customPath = QFileInfo(path).absoluteFilePath();
  m_file->setText(QFileInfo(path).fileName());
  m_file->setToolTip(m_customPath);
  m_kind->setCurrentIndex(m_kind->findData(static_cast<int>(ScheduleKind::Custom)));
  updateFieldStates();
  applyNow();
  if (messageKind() == QLatin1String("error")) return m_messageText;
  emit betasFileLoaded(m_customPath);
  return {};
}

void ScheduleEditor::applyNow() {
  m_debounce.stop();
  clearMarks();
  ScheduleSpec spec = m_model->spec();
  spec.kind = currentKind();
  QStringList problems;
  if (spec.kind == ScheduleKind::Custom) {
    if (m_customBetas.empty()) return;  // nothing to apply until a file is chosen
    spec.custom_betas = m_customBetas;
    spec.custom_source = m_customPath.toStdString();
    spec.steps = static_cast<std::int64_t>(m_customBetas.size());
  } else {
    spec.custom_betas.clear();
    spec.custom_source.clear();
    bool ok = false;
    const qlonglong steps = m_steps->text().trimmed().toLongLong(&ok);
    if (!ok) {
      problems << tr("T must be a whole number of steps, got '%1'").arg(m_steps->text().trimmed());
      markInvalid(m_steps, true);
    } else {
      spec.steps = steps;
    }
    auto read = [&](QLineEdit* edit, double* target, const QString& name) {
      if (!edit->isEnabled()) return;
      if (!parseNumber(edit->text(), target)) {
        problems << tr("%1 must be a number, got '%2'").arg(name, edit->text().trimmed());
        markInvalid(edit, true);
      }
    };
    read(m_betaStart, &spec.beta_start, QStringLiteral("beta_start"));
    read(m_betaEnd, &spec.beta_end, QStringLiteral("beta_end"));
    read(m_cosineS, &spec.cosine_s, tr("the cosine offset s"));
  }
  if (!problems.isEmpty()) {
    showMessage(QStringLiteral("error"),
                tr("✖ Not applied: %1. The previous schedule is kept.").arg(problems.join(QStringLiteral("; "))));
    return;
  }
  m_applying = true;
  const QString error = m_model->trySetSpec(spec);
  m_applying = false;
  if (!error.isEmpty()) {
    // Point at the field core's message names.
    if (error.contains(QLatin1String("beta_start"))) markInvalid(m_betaStart, true);
    if (error.contains(QLatin1String("beta_end"))) markInvalid(m_betaEnd, true);
    if (error.contains(QLatin1String("cosine"))) markInvalid(m_cosineS, true);
    if (error.contains(QLatin1String("steps T"))) markInvalid(m_steps, true);
    showMessage(QStringLiteral("error"), tr("✖ Not applied: %1. The previous schedule is kept.").arg(error));
    return;
  }
  // The fields keep what was typed ("1e-4" stays "1e-4"); only the verdict changes, and
  // T follows a custom file's length.
  if (spec.kind == ScheduleKind::Custom) m_steps->setText(QString::number(spec.timesteps()));
  showScheduleStatus();
}

void ScheduleEditor::showMessage(const QString& kind, const QString& text) {
  m_messageText = text;
  m_message->setText(kind == QLatin1String("ok") ? text : text.toHtmlEscaped().replace(u'\n', QStringLiteral("<br>")));
  setMessageKind(m_message, kind);
}

void ScheduleEditor::markInvalid(QLineEdit* edit, bool invalid) {
  edit->setProperty("invalid", invalid);
  edit->style()->unpolish(edit);
  edit->style()->polish(edit);
}

void ScheduleEditor::clearMarks() {
  for (QLineEdit* edit : {m_steps, m_betaStart, m_betaEnd, m_cosineS}) markInvalid(edit, false);
}

}  // namespace ddpm::ui
