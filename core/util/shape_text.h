#pragma once

#include <c10/util/ArrayRef.h>

#include <cstdint>
#include <string>

namespace ddpm {

/// "[2, 28, 28]": a shape as messages show it.
std::string shape_text(c10::ArrayRef<std::int64_t> shape);

}  // namespace ddpm
