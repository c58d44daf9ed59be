#include "ui/evaluate/bits_per_t_chart.h"

#include "ui/evaluate/bound_summary.h"
#include "ui/evaluate/evaluation_types.h"
#include "ui/shared/maths_format.h"
#include "ui/shared/studio_style.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace ddpm::ui {

namespace {
const QColor kTerms{0x2f, 0x6f, 0xd0};
const QColor kDecoder{0xd5, 0x5e, 0x00};
const QColor kPrior{0x00, 0x9e, 0x73};
const QColor kShare{0x6b, 0x4c, 0x9a};
}  // namespace

BitsPerTChart::BitsPerTChart(QWidget* parent) : StudioPlot(parent) {
  addTitle(tr("Where do the bits go? Terms of the bound against t"));

  m_terms = plot()->addGraph();
  m_terms->setName(tr("L_t (KL of q's and p_θ's steps)"));
  m_terms->setPen(QPen(kTerms, 1.5));
  QColor fill = kTerms;
  fill.setAlpha(60);
  m_terms->setBrush(fill);
  m_decoder = plot()->addGraph();
  m_decoder->setName(tr("L_0 (decoder)"));
  m_decoder->setLineStyle(QCPGraph::lsImpulse);
  m_decoder->setPen(QPen(kDecoder, 3));
  m_decoder->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, kDecoder, kDecoder, 9));
  m_prior = plot()->addGraph();
  m_prior->setName(tr("L_T (prior)"));
  m_prior->setLineStyle(QCPGraph::lsImpulse);
  m_prior->setPen(QPen(kPrior, 3));
  m_prior->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDiamond, kPrior, kPrior, 10));
  m_share = plot()->addGraph(plot()->xAxis, plot()->yAxis2);
  m_share->setName(tr("cumulative share of L (right axis)"));
  m_share->setPen(QPen(kShare, 2, Qt::DashLine));

  m_decoderLabel = new QCPItemText(plot());
  m_decoderLabel->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
  m_decoderLabel->position->setType(QCPItemPosition::ptPlotCoords);
  m_decoderLabel->setColor(kDecoder);
  m_decoderLabel->setPadding(QMargins(8, 0, 0, 0));
  m_priorLabel = new QCPItemText(plot());
  m_priorLabel->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
  m_priorLabel->position->setType(QCPItemPosition::ptPlotCoords);
  m_priorLabel->setColor(kPrior);
  m_priorLabel->setPadding(QMargins(0, 0, 6, 6));

  plot()->xAxis->setLabel(tr("t (code index: L_0 at 0, L_T past the end)"));
  plot()->yAxis->setLabel(tr("bits/dim"));
  plot()->yAxis2->setVisible(true);
  plot()->yAxis2->setLabel(tr("cumulative share of L (%)"));
  plot()->yAxis2->setRange(0, 100);
  placeLegendBelow();
  applyStyle();
  setLogScale(true);
  clear();
}

void BitsPerTChart::applyStyle() {
  StudioPlot::applyStyle();
  m_decoderLabel->setFont(scaledFont(font(), 1.0, true));
  m_priorLabel->setFont(scaledFont(font(), 1.0, true));
  plot()->legend->setFont(font());
  styleRightAxis(kShare);
}

void BitsPerTChart::showShareAxis(bool on) {
  plot()->yAxis2->setVisible(on);
  if (on) m_share->addToLegend();
  else m_share->removeFromLegend();
}

void BitsPerTChart::clear() {
  for (QCPGraph* graph : {m_terms, m_decoder, m_prior, m_share}) graph->data()->clear();
  showShareAxis(true);
  m_decoderLabel->setText({});
  m_priorLabel->setText({});
  m_T = 1000;
  rescale();
}

void BitsPerTChart::setLogScale(bool on) {
  m_log = on;
  setLogAxis(plot()->yAxis, on);
  // A bar down to the axis means something else on a log axis: fill only on linear.
  QColor fill = kTerms;
  fill.setAlpha(on ? 0 : 60);
  m_terms->setBrush(fill);
  rescale();
}

void BitsPerTChart::setResult(const BoundResult& result) {
  clear();
  m_T = static_cast<int>(result.terms.size());
  const bool all = static_cast<int>(result.evaluated.size()) == m_T;
  m_terms->setLineStyle(all ? QCPGraph::lsStepCenter : QCPGraph::lsLine);
  m_terms->setScatterStyle(all ? QCPScatterStyle() : QCPScatterStyle(QCPScatterStyle::ssCircle, kTerms, 6));
  QVector<double> keys, values;
  for (int t : result.evaluated) {
    if (t == 0) continue;
    keys << t;
    values << result.terms[static_cast<std::size_t>(t)];
  }
  m_terms->setData(keys, values, true);
  if (!result.terms.empty()) m_decoder->addData(0, result.terms[0]);
  m_prior->addData(m_T, result.prior);
  const BoundShares shares = boundShares(result);
  showShareAxis(shares.meaningful);  // 2D: differential bits, a term may be negative
  if (shares.meaningful) {
    QVector<double> shareKeys, sharePercent;
    for (std::size_t i = 0; i < shares.cumulative.size(); ++i) {
      shareKeys << result.evaluated[i];
      sharePercent << 100.0 * shares.cumulative[i];
    }
    shareKeys << m_T;
    sharePercent << 100.0;
    m_share->setData(shareKeys, sharePercent, true);
  }
  rescale();
}

void BitsPerTChart::rescale() {
  plot()->xAxis->setRange(-0.02 * m_T - 1, 1.03 * m_T + 1);
  double low = INFINITY, high = -INFINITY;
  for (QCPGraph* graph : {m_terms, m_decoder, m_prior}) {
    for (auto it = graph->data()->constBegin(); it != graph->data()->constEnd(); ++it) {
      if (!std::isfinite(it->value) || (m_log && it->value <= 0)) continue;
      low = std::min(low, it->value);
      high = std::max(high, it->value);
    }
  }
  if (!(high >= low)) {
    low = m_log ? 1e-4 : 0;
    high = 1;
  }
  if (m_log) plot()->yAxis->setRange(low / 2, high * 3);
  else plot()->yAxis->setRange(std::min(0.0, low * 1.1), high * 1.12);
  // A term a log axis cannot show (2D: a negative differential L_0) is named at the top,
  // hanging 2 % below the edge (y as a fraction of the axes) so it stays inside the chart.
  const auto label = [this](QCPItemText* item, const QCPGraph* graph, const QString& name, Qt::Alignment side,
                            Qt::Alignment onCurve) {
    if (graph->data()->isEmpty()) return;
    const QCPGraphData& term = *graph->data()->constBegin();
    const bool drawable = std::isfinite(term.value) && (!m_log || term.value > 0);
    item->setText(name + QStringLiteral(" = ") + formatNumber(term.value, 3) +
                  (drawable || !std::isfinite(term.value) ? QString() : tr(" (≤ 0: off the log axis)")));
    item->setPositionAlignment(side | (drawable ? onCurve : Qt::AlignTop));
    item->position->setTypeY(drawable ? QCPItemPosition::ptPlotCoords : QCPItemPosition::ptAxisRectRatio);
    item->position->setCoords(term.key, drawable ? term.value : 0.02);
  };
  label(m_decoderLabel, m_decoder, tr("L₀ (decoder)"), Qt::AlignLeft, Qt::AlignVCenter);
  label(m_priorLabel, m_prior, tr("L_T (prior)"), Qt::AlignRight, Qt::AlignBottom);
  queueReplot();
}

}  // namespace ddpm::ui
