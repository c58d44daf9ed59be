#include "ui/shared/studio_icons.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <QRandomGenerator>

#include <cmath>

namespace ddpm::ui {

namespace {

QPixmap canvas(int side) {
  QPixmap pixmap(side, side);
  pixmap.fill(Qt::transparent);
  return pixmap;
}

QPixmap drawSchedule(int side) {
  QPixmap pixmap = canvas(side);
  QPainter p(&pixmap);
  p.setRenderHint(QPainter::Antialiasing);
  const double s = side / 48.0;
  QPainterPath alphaBar, beta;
  for (int i = 0; i <= 40; ++i) {
    const double x = 6 + i * 0.9;
    const double u = i / 40.0;
    const double ab = std::pow(std::cos(u * M_PI / 2), 2);
    const QPointF a(x * s, (8 + (1 - ab) * 32) * s);
    const QPointF b(x * s, (40 - u * u * 26) * s);
    i == 0 ? alphaBar.moveTo(a) : alphaBar.lineTo(a);
    i == 0 ? beta.moveTo(b) : beta.lineTo(b);
  }
  p.setPen(QPen(QColor(0x56, 0xb4, 0xe9), 3.4 * s, Qt::SolidLine, Qt::RoundCap));
  p.drawPath(alphaBar);
  p.setPen(QPen(QColor(0xe6, 0x9f, 0x00), 3.4 * s, Qt::SolidLine, Qt::RoundCap));
  p.drawPath(beta);
  p.setPen(QPen(QColor(0xe5, 0xe9, 0xf0), 2 * s, Qt::SolidLine, Qt::RoundCap));
  p.drawLine(QPointF(5 * s, 43 * s), QPointF(44 * s, 43 * s));
  p.drawLine(QPointF(5 * s, 5 * s), QPointF(5 * s, 43 * s));
  return pixmap;
}

QPixmap drawForward(int side) {
  QPixmap pixmap = canvas(side);
  QPainter p(&pixmap);
  p.setRenderHint(QPainter::Antialiasing);
  const double s = side / 48.0;
  QRandomGenerator random(7);  // the same scatter every time
  for (int i = 0; i < 28; ++i) {
    const double u = i / 27.0;  // left: on a circle (data); right: scattered (noise)
    const double angle = i * 0.9;
    const double cx = 8 + u * 32;
    const double spread = 2 + u * 10;
    const QPointF at((cx + (random.generateDouble() - 0.5) * spread * u) * s,
                     (24 + std::sin(angle) * 9 * (1 - u) + (random.generateDouble() - 0.5) * 2 * spread * u) * s);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor::fromHsvF(static_cast<float>(std::fmod(i / 28.0 + 0.55, 1.0)), 0.55f, 0.98f));
    p.drawEllipse(at, 2.4 * s, 2.4 * s);
  }
  return pixmap;
}

QIcon fromPainter(QPixmap (*draw)(int)) {
  QIcon icon;
  for (int side : {16, 24, 32, 48, 64, 96}) icon.addPixmap(draw(side));
  return icon;
}

}  // namespace

QIcon appIcon() {
  QIcon icon;
  for (int side : {16, 32, 48, 64, 128, 256})
    icon.addFile(QStringLiteral(":/icons/ddpm-studio-%1.png").arg(side), QSize(side, side));
  return icon;
}

QIcon scheduleViewIcon() {
  return fromPainter(drawSchedule);
}

QIcon forwardViewIcon() {
  return fromPainter(drawForward);
}

}  // namespace ddpm::ui
