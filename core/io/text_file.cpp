#include "core/io/text_file.h"

#include "core/util/error.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <locale>
#include <sstream>
#include <sys/stat.h>

namespace ddpm {

std::string read_text_file(const std::string& path, const std::string& what, std::size_t max_bytes) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0)
    throw Error("cannot read " + what + " '" + path + "': " + std::strerror(errno));
  if (S_ISDIR(info.st_mode)) throw Error("cannot read " + what + " '" + path + "': it is a folder");
  if (static_cast<std::size_t>(info.st_size) > max_bytes)
    throw Error("cannot read " + what + " '" + path + "': file is too large (" + std::to_string(info.st_size) +
                " bytes)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read " + what + " '" + path + "': " + std::strerror(errno));
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

bool parse_double(const std::string& text, double& value) {
  std::istringstream in(text);
  in.imbue(std::locale::classic());
  in >> value;
  return !in.fail() && (in >> std::ws).eof();
}

}  // namespace ddpm
