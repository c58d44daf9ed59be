#include "core/io/output_guard.h"

#include "core/util/error.h"

#include <filesystem>
#include <system_error>

namespace ddpm {

namespace fs = std::filesystem;

bool same_file(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return false;
  std::error_code error;
  if (fs::exists(a, error) && fs::exists(b, error)) {
    const bool same = fs::equivalent(a, b, error);
    if (!error) return same;
  }
  const fs::path left = fs::weakly_canonical(fs::absolute(a, error), error);
  const fs::path right = fs::weakly_canonical(fs::absolute(b, error), error);
  return left.lexically_normal() == right.lexically_normal();
}

void check_output_is_not_input(const NamedPath& output, const std::vector<NamedPath>& inputs) {
  for (const NamedPath& input : inputs)
    if (same_file(output.path, input.path))
      throw Error(output.name + " '" + output.path + "' is the " + input.name +
                  " this command reads; writing it would destroy it: choose another file");
}

}  // namespace ddpm
