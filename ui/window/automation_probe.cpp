#include "ui/window/automation_probe.h"

#include <QAbstractButton>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QProgressBar>
#include <QSocketNotifier>
#include <QWidget>

#include <unistd.h>

#include <cstdio>

namespace ddpm::ui {

namespace {

// The text a widget shows, where it has one (buttons, labels, fields, combo boxes).
QString shownText(const QWidget* w) {
  if (auto* b = qobject_cast<const QAbstractButton*>(w)) return b->text().remove(QLatin1Char('&'));
  if (auto* l = qobject_cast<const QLabel*>(w)) return l->text();
  if (auto* e = qobject_cast<const QLineEdit*>(w)) return e->text();
  if (auto* c = qobject_cast<const QComboBox*>(w)) return c->currentText();
  return {};
}

// The first visible widget the selector names (see the header), or null.
QWidget* find(const QString& selector) {
  const bool byName = selector.startsWith(QLatin1Char('#'));
  const QString name = selector.mid(1);
  const int colon = selector.indexOf(QLatin1Char(':'));
  const QString className = byName ? QString() : selector.left(colon);
  const QString text = byName || colon < 0 ? QString() : selector.mid(colon + 1);
  for (QWidget* top : QApplication::topLevelWidgets()) {
    if (!top->isVisible()) continue;
    QList<QWidget*> candidates = top->findChildren<QWidget*>();
    candidates.prepend(top);
    for (QWidget* w : candidates) {
      if (!w->isVisible()) continue;
      if (byName ? w->objectName() == name : w->inherits(qPrintable(className)) && shownText(w) == text) return w;
    }
  }
  return nullptr;
}

QString state(const QWidget* w) {
  if (auto* s = qobject_cast<const QAbstractSlider*>(w))
    return QStringLiteral("%1 %2 %3").arg(s->value()).arg(s->minimum()).arg(s->maximum());
  if (auto* p = qobject_cast<const QProgressBar*>(w))
    return QStringLiteral("%1 %2 %3").arg(p->value()).arg(p->minimum()).arg(p->maximum());
  if (auto* s = qobject_cast<const QAbstractSpinBox*>(w)) return s->text();
  if (auto* b = qobject_cast<const QAbstractButton*>(w))
    return QStringLiteral("%1%2").arg(b->isEnabled() ? QStringLiteral("enabled") : QStringLiteral("disabled"),
                                      b->isChecked() ? QStringLiteral(" checked") : QString());
  return shownText(w).simplified();
}

}  // namespace

AutomationProbe::AutomationProbe(QWidget* mainWindow)
    : QObject(mainWindow), m_window(mainWindow), m_input(new QSocketNotifier(STDIN_FILENO, QSocketNotifier::Read, this)) {
  connect(m_input, &QSocketNotifier::activated, this, &AutomationProbe::readQuestions);
}

void AutomationProbe::readQuestions() {
  char buffer[4096];
  const ssize_t got = ::read(STDIN_FILENO, buffer, sizeof buffer);
  if (got <= 0) {  // the driver went away: stop listening
    m_input->setEnabled(false);
    return;
  }
  m_pending.append(buffer, static_cast<int>(got));
  for (int end; (end = m_pending.indexOf('\n')) >= 0;) {
    const QString question = QString::fromUtf8(m_pending.left(end)).trimmed();
    m_pending.remove(0, end + 1);
    if (question.isEmpty()) continue;
    std::fprintf(stdout, "probe %s\n", qPrintable(answer(question)));
    std::fflush(stdout);
  }
}

QString AutomationProbe::answer(const QString& question) const {
  const int space = question.indexOf(QLatin1Char(' '));
  const QString verb = question.left(space);
  const QString argument = space < 0 ? QString() : question.mid(space + 1).trimmed();
  if (verb == QLatin1String("view")) {
    auto* sidebar = m_window->findChild<QListWidget*>(QStringLiteral("viewSidebar"));
    return QStringLiteral("view %1").arg(sidebar && sidebar->currentItem() ? sidebar->currentItem()->text() : QString());
  }
  if (verb == QLatin1String("rect") || verb == QLatin1String("state")) {
    const QWidget* w = find(argument);
    if (!w) return QStringLiteral("none");
    if (verb == QLatin1String("state")) return QStringLiteral("state %1").arg(state(w));
    const QPoint topLeft = w->mapToGlobal(QPoint(0, 0));
    return QStringLiteral("rect %1 %2 %3 %4").arg(topLeft.x()).arg(topLeft.y()).arg(w->width()).arg(w->height());
  }
  if (verb == QLatin1String("dialogs")) {
    QStringList shown;
    for (QWidget* top : QApplication::topLevelWidgets()) {
      if (top == m_window || !top->isVisible() || !top->isWindow() || top->windowType() == Qt::ToolTip ||
          top->windowType() == Qt::Popup)
        continue;
      auto* box = qobject_cast<QMessageBox*>(top);
      shown << QStringLiteral("%1: %2").arg(top->windowTitle(), box ? box->text().simplified() : QString());
    }
    return QStringLiteral("dialogs %1").arg(shown.size()) +
           (shown.isEmpty() ? QString() : QStringLiteral(" | ") + shown.join(QStringLiteral(" | ")));
  }
  if (verb == QLatin1String("focus")) {
    const QWidget* w = QApplication::focusWidget();
    return w ? QStringLiteral("focus %1 %2").arg(QString::fromLatin1(w->metaObject()->className()), w->objectName())
             : QStringLiteral("focus none");
  }
  if (verb == QLatin1String("active")) {
    const QWidget* w = QApplication::activeWindow();
    return w ? QStringLiteral("active %1 %2").arg(QString::fromLatin1(w->metaObject()->className()), w->windowTitle())
             : QStringLiteral("active none");
  }
  return QStringLiteral("error unknown question '%1' (view, rect, state, dialogs, focus, active)").arg(verb);
}

}  // namespace ddpm::ui
