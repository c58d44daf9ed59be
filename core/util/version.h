#pragma once

#include <string>

namespace ddpm {

/// The version string of this build of DDPM Studio (the project() version in the top
/// CMakeLists.txt; compiled into util/version.cpp only, so a new version rebuilds one file).
std::string ddpm_version();

}  // namespace ddpm
