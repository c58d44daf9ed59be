#pragma once
// Shared set-up for the UI tests: settings that never touch the user's, and small files.

#include <QCoreApplication>
#include <QFile>
#include <QImage>
#include <QSettings>
#include <QStandardPaths>
#include <QString>
#include <QTemporaryDir>

namespace ddpm::test {

/// Points QSettings (native and INI, user scope) into `dir` under an organisation name of
/// its own, and turns on QStandardPaths' test mode, so no test reads or writes the
/// user's settings.
inline void isolateSettings(const QTemporaryDir& dir) {
  QStandardPaths::setTestModeEnabled(true);
  QCoreApplication::setOrganizationName(QStringLiteral("DDPM Studio Tests"));
  QCoreApplication::setApplicationName(QStringLiteral("ddpm-studio-tests"));
  QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.path());
  QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
  QSettings().clear();
}

inline void writeText(const QString& path, const QByteArray& text) {
  QFile file(path);
  if (file.open(QIODevice::WriteOnly)) file.write(text);
}

/// The whole file (empty when it cannot be read).
inline QByteArray readBytes(const QString& path) {
  QFile file(path);
  return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

/// A w × h picture of one colour, saved as PNG.
inline void writeSolidPng(const QString& path, int w, int h, QColor colour) {
  QImage image(w, h, QImage::Format_RGB32);
  image.fill(colour);
  image.save(path, "PNG");
}

}  // namespace ddpm::test
