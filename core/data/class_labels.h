#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ddpm {

/// Most classes a labelled data set (and so a class-conditional model) may have.
constexpr std::int64_t kMaxClasses = 1000;

/// Names for classes that came without any ("class 0", "class 1", …): CSV labels.
std::vector<std::string> numbered_class_names(std::int64_t classes);

}  // namespace ddpm
