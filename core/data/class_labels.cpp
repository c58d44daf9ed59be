#include "core/data/class_labels.h"

namespace ddpm {

std::vector<std::string> numbered_class_names(std::int64_t classes) {
  std::vector<std::string> names;
  for (std::int64_t k = 0; k < classes; ++k) names.push_back("class " + std::to_string(k));
  return names;
}

}  // namespace ddpm
