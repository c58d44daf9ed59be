#include "ui/shared/studio_icons.h"

#include "ui/shared/studio_style.h"

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

// Noise (scattered dots) on the left turning into a shape (a ring) on the right.
QIcon samplingViewIcon() {
  QPixmap pixmap(64, 64);
  pixmap.fill(Qt::transparent);
  QPainter p(&pixmap);
  p.setRenderHint(QPainter::Antialiasing, true);
  p.setPen(Qt::NoPen);
  const QColor light(0xe5, 0xe9, 0xf0);
  const double noise[][2] = {{8, 14}, {17, 40}, {12, 52}, {24, 22}, {6, 30}, {20, 9}, {27, 50}, {14, 26}};
  for (const auto& d : noise) {
    p.setBrush(QColor(light.red(), light.green(), light.blue(), 150));
    p.drawEllipse(QPointF(d[0], d[1]), 2.6, 2.6);
  }
  p.setBrush(colours::kAccent.lighter(140));
  for (int i = 0; i < 10; ++i) {
    const double a = i * 2 * M_PI / 10;
    p.drawEllipse(QPointF(46 + 12 * std::cos(a), 32 + 12 * std::sin(a)), 2.8, 2.8);
  }
  p.setPen(QPen(light, 2.4, Qt::SolidLine, Qt::RoundCap));
  p.drawLine(QPointF(27, 32), QPointF(32, 32));
  p.drawLine(QPointF(29.5, 29), QPointF(32.5, 32));
  p.drawLine(QPointF(29.5, 35), QPointF(32.5, 32));
  return QIcon(pixmap);
}

// Two overlapping discs, blue (A) and orange (B): one thing seen two ways.
QIcon compareViewIcon() {
  QPixmap pixmap(64, 64);
  pixmap.fill(Qt::transparent);
  QPainter p(&pixmap);
  p.setRenderHint(QPainter::Antialiasing, true);
  p.setPen(Qt::NoPen);
  p.setBrush(QColor(0x2f, 0x6f, 0xd0, 220));
  p.drawEllipse(QPointF(24, 32), 17, 17);
  p.setBrush(QColor(0xe0, 0x7a, 0x1f, 200));
  p.drawEllipse(QPointF(40, 32), 17, 17);
  return QIcon(pixmap);
}

}  // namespace ddpm::ui
