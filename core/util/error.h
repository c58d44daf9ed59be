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

/// An Error for a text file a person writes by hand (a CSV of points) whose content is
/// malformed; the message names the file and line. The CLI treats it as bad input
/// (exit 2), like a bad value on the command line, rather than as a failure (exit 1).
class FormatError : public Error {
 public:
  using Error::Error;
};

}  // namespace ddpm
