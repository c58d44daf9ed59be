// torch-free: rate_distortion.h declares plain structs only.
#include "ui/evaluate/rate_distortion_page.h"

#include "core/io/atomic_file.h"
#include "ui/evaluate/curve_chart.h"
#include "ui/shared/maths_format.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include <exception>

namespace ddpm::ui {

namespace {

// The paper's CIFAR-10 numbers (Table 4), quoted for context: steps, rate, distortion.
struct PaperRow {
  int steps;
  double rate, distortion;
};
constexpr PaperRow kPaperTable4[] = {{1000, 1.77581, 0.95136}, {500, 0.00716, 38.03}, {100, 0.0, 67.60}};

}  // namespace

RateDistortionPage::RateDistortionPage(QWidget* parent)
    : QWidget(parent),
      m_distortion(new CurveChart(tr("Distortion against steps"), tr("reverse steps k = T − t"),
                                  tr("RMSE of the predicted x₀, [0, 255]"), this)),
      m_rate(new CurveChart(tr("Rate against steps"), tr("reverse steps k = T − t"), tr("rate sent (bits/dim)"), this)),
      m_tradeOff(new CurveChart(tr("Distortion against rate"), tr("rate (bits/dim)"), tr("RMSE, [0, 255]"), this)),
      m_summary(new QLabel(this)),
      m_export(new QPushButton(tr("Export CSV…"), this)) {
  m_summary->setWordWrap(true);
  m_summary->setTextFormat(Qt::RichText);
  m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* charts = new QHBoxLayout;
  charts->addWidget(m_distortion);
  charts->addWidget(m_rate);
  charts->addWidget(m_tradeOff);
  auto* bottom = new QHBoxLayout;
  bottom->addWidget(m_summary, 1);
  bottom->addWidget(m_export, 0, Qt::AlignTop);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 4, 0, 0);
  layout->addLayout(charts, 1);
  layout->addLayout(bottom);
  connect(m_export, &QPushButton::clicked, this, &RateDistortionPage::exportRequested);
  clear(tr("Evaluate the bound with all T terms on test images (“Bits per t”) to see how much of the image "
           "each reverse step sends."));
}

void RateDistortionPage::clear(const QString& hint) {
  m_curve.clear();
  for (CurveChart* chart : {m_distortion, m_rate, m_tradeOff}) chart->clear();
  m_summary->setText(hint.toHtmlEscaped());
  m_export->setEnabled(false);
}

void RateDistortionPage::setCurve(const std::vector<RateDistortionPoint>& curve, const QString& dataSpec, int examples) {
  if (curve.size() < 2) {
    clear(tr("The curve needs all T terms of the bound on images."));
    return;
  }
  m_curve = curve;
  std::vector<double> steps, rate, distortion;
  for (const auto& point : curve) {
    steps.push_back(static_cast<double>(point.steps));
    rate.push_back(point.rate_bits_per_dim);
    distortion.push_back(point.distortion_rmse);
  }
  m_distortion->setCurve(steps, distortion);
  m_rate->setCurve(steps, rate);
  m_tradeOff->setCurve(rate, distortion);
  m_export->setEnabled(true);

  // This model's rows where the paper's Table 4 has them. The paper's 1000-step row leaves
  // L_0 out of the rate and has a distortion above 0, so it is the state x_1: t = 1 here.
  const int T = static_cast<int>(curve.size()) - 1;
  QString rows;
  for (const PaperRow& paper : kPaperTable4) {
    const int t = paper.steps == 1000 ? 1 : T - paper.steps * T / 1000;
    const RateDistortionPoint& ours = curve[static_cast<std::size_t>(T - t)];
    rows += QStringLiteral("<tr><td align=right>%1</td><td align=right>%2</td><td align=right>%3</td>"
                           "<td align=right>&nbsp;&nbsp;%4</td><td align=right>%5</td><td align=right>%6</td></tr>")
                .arg(paper.steps)
                .arg(paper.rate, 0, 'f', 5)
                .arg(paper.distortion, 0, 'f', 3)
                .arg(t)
                .arg(ours.rate_bits_per_dim, 0, 'f', 5)
                .arg(ours.distortion_rmse, 0, 'f', 3);
  }
  m_summary->setText(
      tr("<b>Progressive coding</b> (section 4.3): after k reverse steps the receiver holds x<sub>t</sub>, t = T − k; "
         "the rate is what was sent (L<sub>T</sub> + Σ<sub>s&gt;t</sub> L<sub>s−1</sub>), the distortion the RMSE of "
         "the prediction of x₀ from xₜ (eq. 15). %1 test images of %2; the whole bound is %3 bits/dim."
         "<table cellspacing=0 cellpadding=2 style='margin-top:4px'><tr><th colspan=3 align=left>Paper, CIFAR-10 "
         "(Table 4)</th><th colspan=3 align=left>&nbsp;&nbsp;This model</th></tr><tr><td>steps</td><td>rate</td>"
         "<td>RMSE</td><td>&nbsp;&nbsp;t</td><td>rate</td><td>RMSE</td></tr>%4</table>")
          .arg(examples)
          .arg(dataSpec.toHtmlEscaped())
          .arg(formatNumber(curve.back().rate_bits_per_dim, 4))
          .arg(rows));
}

QString RateDistortionPage::summaryText() const {
  return m_summary->text();
}

bool RateDistortionPage::exportCsv(const QString& path, QString* error) const {
  if (m_curve.empty()) {
    if (error) *error = tr("there is no rate-distortion curve yet");
    return false;
  }
  try {
    write_file_atomically(path.toStdString(), rate_distortion_csv(m_curve));
    return true;
  } catch (const std::exception& e) {
    if (error) *error = QString::fromStdString(e.what());
    return false;
  }
}

}  // namespace ddpm::ui
