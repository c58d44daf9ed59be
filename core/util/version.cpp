#include "core/util/version.h"

namespace ddpm {

std::string ddpm_version() {
  return DDPM_VERSION;
}

}  // namespace ddpm
