#include "ui/sampling/model_line.h"

#include "core/checkpoint/checkpoint.h"

#include "ui/shared/current_model.h"
#include "ui/shared/schedule_model.h"
#include "ui/shared/studio_style.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QStyle>
#include <QTextDocument>

namespace ddpm::ui {

namespace {

QString describeShape(const std::vector<std::int64_t>& shape) {
  if (shape.size() == 1 && shape[0] == 2) return ModelLine::tr("2D points");
  QString text;
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? QStringLiteral(" × ") : QString()) + QString::number(shape[i]);
  return ModelLine::tr("images %1").arg(text);
}

}  // namespace

ModelLine::ModelLine(QWidget* parent)
    : QWidget(parent), m_label(new QLabel(this)), m_open(new QPushButton(tr("Open checkpoint…"), this)) {
  m_label->setObjectName(QStringLiteral("samplingModel"));
  m_label->setWordWrap(true);
  m_label->setTextFormat(Qt::RichText);
  m_open->setIcon(style()->standardIcon(QStyle::SP_DirOpenIcon));
  m_open->setToolTip(tr("Open a trained model (.safetensors); you can also drop one on the window"));
  m_open->setFocusPolicy(Qt::TabFocus);  // a click leaves the focus where it was (Space keeps playing)
  auto* row = new QHBoxLayout(this);
  row->setContentsMargins(12, 10, 12, 0);
  row->addWidget(m_label, 1);
  row->addWidget(m_open);
  connect(m_open, &QPushButton::clicked, this, &ModelLine::openRequested);
}

void ModelLine::describe(const CurrentModel& model, const QString& trajectoryModel) {
  if (!model.isLoaded()) {
    m_label->setText(tr("<b>No model yet.</b> Open a checkpoint (File ▸ Open checkpoint…, or drop a .safetensors file "
                        "on the window), or train one in the Training view: it appears here when training saves it."));
    return;
  }
  const CheckpointData& d = model.data();
  const QString name = model.fileName().isEmpty() ? tr("the model just trained") : model.fileName();
  QString html = tr("<b>%1</b> · %2, %3 weights · trained %4 steps on <b>%5</b> · %6<br>"
                    "<span style='color:%8'>schedule %7</span>")
                     .arg(name.toHtmlEscaped(), QString::fromStdString(d.model.preset),
                          QLocale().toString(static_cast<qlonglong>(d.weight_count)),
                          QLocale().toString(static_cast<qlonglong>(d.step)),
                          QString::fromStdString(d.data_spec).toHtmlEscaped(), describeShape(d.sample_shape),
                          ScheduleModel::describe(d.schedule).toHtmlEscaped(), colours::kMutedText.name());
  if (!trajectoryModel.isEmpty() && trajectoryModel != model.summary() + model.path())
    html += tr("<br><span style='color:%1'>The trajectory below came from another model; press Sample to draw "
               "from this one.</span>")
                .arg(colours::kMutedText.name());
  m_label->setText(html);
}

QString ModelLine::plainText() const {
  QTextDocument doc;
  doc.setHtml(m_label->text());
  return doc.toPlainText();
}

}  // namespace ddpm::ui
