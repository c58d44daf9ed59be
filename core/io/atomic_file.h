#pragma once

#include <string>

namespace ddpm {

/// Writes `bytes` to `path` so that readers see either the old file or the complete
/// new one, never a mix: write to a temporary file in the same folder, fsync, rename.
/// On any failure (full disk, read-only folder) the temporary file is removed, the
/// old file is left untouched, and ddpm::Error says why.
void write_file_atomically(const std::string& path, const std::string& bytes);

/// Checks now, before long work, that write_file_atomically(path, …) could create its
/// temporary file (the folder exists, is a folder and accepts new files) by creating and
/// removing one. Throws ddpm::Error "cannot write 'PATH': REASON" as a failed save would.
void check_writable(const std::string& path);

}  // namespace ddpm
