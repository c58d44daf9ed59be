#pragma once

#include <string>

namespace ddpm {

/// The current time as ISO 8601 UTC, e.g. "2026-11-25T20:55:04Z" (the `created` field
/// of the files DDPM Studio writes).
std::string utc_now();

}  // namespace ddpm
