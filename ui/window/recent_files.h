#pragma once

#include <QObject>
#include <QStringList>

class QSettings;

namespace ddpm::ui {

/// The files a person opened lately (β schedule files, images), newest first, at most
/// `maximum`, without duplicates. Kept in QSettings under "recentFiles".
class RecentFiles : public QObject {
  Q_OBJECT

 public:
  explicit RecentFiles(QObject* parent = nullptr, int maximum = 8);

  QStringList files() const { return m_files; }
  int maximum() const { return m_maximum; }

  /// Puts `path` (made absolute) first, dropping an older entry for it and the oldest beyond the maximum.
  void add(const QString& path);
  void remove(const QString& path);
  void clear();

  void load(const QSettings& settings);
  void save(QSettings& settings) const;

 signals:
  void changed();

 private:
  QStringList m_files;
  int m_maximum;
};

}  // namespace ddpm::ui
