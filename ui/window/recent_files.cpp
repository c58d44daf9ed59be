#include "ui/window/recent_files.h"

#include <QFileInfo>
#include <QSettings>

namespace ddpm::ui {

namespace {
const char* kKey = "recentFiles";
}

RecentFiles::RecentFiles(QObject* parent, int maximum) : QObject(parent), m_maximum(std::max(1, maximum)) {}

void RecentFiles::add(const QString& path) {
  const QString absolute = QFileInfo(path).absoluteFilePath();
  m_files.removeAll(absolute);
  m_files.prepend(absolute);
  while (m_files.size() > m_maximum) m_files.removeLast();
  emit changed();
}

void RecentFiles::remove(const QString& path) {
  if (m_files.removeAll(QFileInfo(path).absoluteFilePath()) > 0) emit changed();
}

void RecentFiles::clear() {
  if (m_files.isEmpty()) return;
  m_files.clear();
  emit changed();
}

void RecentFiles::load(const QSettings& settings) {
  QStringList files;
  for (const QString& f : settings.value(kKey).toStringList())
    if (!f.isEmpty() && !files.contains(f) && files.size() < m_maximum) files << f;
  if (files == m_files) return;
  m_files = files;
  emit changed();
}

void RecentFiles::save(QSettings& settings) const {
  settings.setValue(kKey, m_files);
}

}  // namespace ddpm::ui
