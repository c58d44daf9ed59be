#pragma once

#include <stdexcept>
#include <string>

namespace ddpm {

/// The one exception type core throws for anything a user can cause: bad settings,
/// missing or corrupt files. `what()` is a complete sentence fit to show as is.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace ddpm
