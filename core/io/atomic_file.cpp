#include "core/io/atomic_file.h"

#include "core/util/error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace ddpm {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& temp, int fd, int error) {
  if (fd >= 0) ::close(fd);
  if (!temp.empty()) ::unlink(temp.c_str());
  throw Error("cannot write '" + path + "': " + std::strerror(error));
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& bytes) {
  std::string pattern = path + ".tmp-XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) fail(path, {}, -1, errno);
  const std::string temp(name.data());

  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(path, temp, fd, errno);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0) fail(path, temp, fd, errno);
  if (::close(fd) != 0) fail(path, temp, -1, errno);
  if (::rename(temp.c_str(), path.c_str()) != 0) fail(path, temp, -1, errno);
}

void check_writable(const std::string& path) {
  std::string pattern = path + ".tmp-XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) fail(path, {}, -1, errno);
  ::close(fd);
  ::unlink(name.data());
}

}  // namespace ddpm
