#include "core/util/shape_text.h"

namespace ddpm {

std::string shape_text(c10::ArrayRef<std::int64_t> shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

}  // namespace ddpm
