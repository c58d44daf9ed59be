#include "ui/shared/timestep_bar.h"

#include "ui/shared/playback.h"
#include "ui/shared/timestep_cursor.h"
#include "ui/shared/media_icons.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QStyle>
#include <QToolButton>

namespace ddpm::ui {

TimestepBar::TimestepBar(TimestepCursor* cursor, Playback* playback, QWidget* parent)
    : QWidget(parent),
      m_cursor(cursor),
      m_playback(playback),
      m_first(new QToolButton(this)),
      m_play(new QToolButton(this)),
      m_last(new QToolButton(this)),
      m_slider(new QSlider(Qt::Horizontal, this)),
      m_spin(new QSpinBox(this)),
      m_range(new QLabel(this)),
      m_paper(new QLabel(this)) {
  m_first->setIcon(style()->standardIcon(QStyle::SP_MediaSkipBackward));
  m_first->setToolTip(tr("First step, t = 0 (Home)"));
  m_last->setIcon(style()->standardIcon(QStyle::SP_MediaSkipForward));
  m_last->setToolTip(tr("Last step, t = T − 1 (End)"));
  m_play->setToolTip(tr("Play / pause: run t forward to T − 1 (Space)"));
  for (QToolButton* b : {m_first, m_play, m_last}) {
    b->setAutoRaise(true);
    b->setIconSize(QSize(22, 22));
    b->setFocusPolicy(Qt::NoFocus);  // Space stays the window's play/pause key
  }
  m_slider->setObjectName(QStringLiteral("timestepSlider"));
  m_slider->setTracking(true);
  m_slider->setToolTip(tr("Timestep t (code index 0 … T − 1; the paper's step is t + 1)"));
  m_spin->setObjectName(QStringLiteral("timestepSpin"));
  m_spin->setKeyboardTracking(false);
  m_spin->setAccelerated(true);
  m_spin->setMinimumWidth(m_spin->fontMetrics().horizontalAdvance(QStringLiteral("000000")) + 36);
  m_range->setObjectName(QStringLiteral("caption"));
  m_paper->setObjectName(QStringLiteral("caption"));

  auto* tLabel = new QLabel(QStringLiteral("t ="), this);
  QFont italic = tLabel->font();
  italic.setItalic(true);
  tLabel->setFont(italic);

  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(8, 4, 8, 4);
  layout->setSpacing(6);
  layout->addWidget(m_first);
  layout->addWidget(m_play);
  layout->addWidget(m_last);
  layout->addSpacing(6);
  layout->addWidget(m_slider, 1);
  layout->addSpacing(8);
  layout->addWidget(tLabel);
  layout->addWidget(m_spin);
  layout->addWidget(m_range);
  layout->addSpacing(8);
  layout->addWidget(m_paper);

  connect(m_first, &QToolButton::clicked, cursor, &TimestepCursor::toFirst);
  connect(m_last, &QToolButton::clicked, cursor, &TimestepCursor::toLast);
  connect(m_play, &QToolButton::clicked, playback, &Playback::toggle);
  connect(m_slider, &QSlider::valueChanged, cursor, &TimestepCursor::setT);
  connect(m_spin, qOverload<int>(&QSpinBox::valueChanged), cursor, &TimestepCursor::setT);
  connect(cursor, &TimestepCursor::tChanged, this, &TimestepBar::syncFromCursor);
  connect(cursor, &TimestepCursor::stepsChanged, this, &TimestepBar::syncFromCursor);
  connect(playback, &Playback::playingChanged, this, &TimestepBar::syncPlaying);
  syncFromCursor();
  syncPlaying(playback->isPlaying());
}

void TimestepBar::syncFromCursor() {
  const QSignalBlocker blockSlider(m_slider);
  const QSignalBlocker blockSpin(m_spin);
  const int last = m_cursor->last();
  m_slider->setRange(0, last);
  m_slider->setPageStep(std::max(1, m_cursor->steps() / 20));
  m_spin->setRange(0, last);
  m_slider->setValue(m_cursor->t());
  m_spin->setValue(m_cursor->t());
  m_range->setText(tr("of 0 … %1").arg(last));
  m_paper->setText(tr("(paper step %1 of %2)").arg(m_cursor->t() + 1).arg(m_cursor->steps()));
}

void TimestepBar::syncPlaying(bool playing) {
  m_play->setIcon(playPauseIcon(this, playing));
}

}  // namespace ddpm::ui
