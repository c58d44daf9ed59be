#pragma once

#include <QObject>
#include <QString>

class QSocketNotifier;
class QWidget;

namespace ddpm::ui {

/// Answers questions about the window's state on standard input, one line each, so a test
/// that drives the real window with keyboard and mouse (tests/gui_input, xdotool under
/// Xvfb) can check every step by state instead of sleeping. On with `--automation` only.
///
/// Questions and answers (one answer line per question, starting "probe "):
///   view                  probe view <title of the current view>
///   rect SELECTOR         probe rect X Y W H   (global screen pixels) | probe none
///   state SELECTOR        probe state <value>  (a slider's or progress bar's "value
///                         minimum maximum", a
///                         spin box's, text field's or label's text, a button's
///                         "enabled|disabled [checked]")            | probe none
///   dialogs               probe dialogs N [| <title>: <text>]…   (visible top-level windows
///                         other than the main window; a message box's text included)
///   focus                 probe focus <class> <objectName>
///   active                probe active <class> <window title> | probe active none   (the
///                         window that has the keyboard: keys go there, so a test waits
///                         for a new dialog to be active before typing into it)
/// SELECTOR: #objectName, or Class:text (a visible widget of that class whose text() is
/// text, e.g. QPushButton:Sample). Only visible widgets match; the first one wins.
class AutomationProbe : public QObject {
  Q_OBJECT

 public:
  explicit AutomationProbe(QWidget* mainWindow);

  /// The answer to one question, without the trailing newline (tested directly).
  QString answer(const QString& question) const;

 private:
  void readQuestions();

  QWidget* m_window;
  QSocketNotifier* m_input;
  QByteArray m_pending;
};

}  // namespace ddpm::ui
