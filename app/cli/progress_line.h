#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace ddpm::cli {

/// Progress of a long command on stderr. On a terminal: one line redrawn in place,
/// `label  1200/5000 [=======>      ] 24%  loss 0.0312  45.2 it/s  ETA 1:24`, at most
/// ten times a second. Not on a terminal (logs, CI): a plain line every twentieth of
/// the run, at least every 30 s, and at the end, so logs stay readable.
class ProgressLine {
 public:
  ProgressLine(std::string label, std::int64_t total, std::int64_t first = 0);

  /// Reports that `done` of `total` units are complete; `detail` is appended (e.g. "loss 0.031").
  void update(std::int64_t done, const std::string& detail = {});
  /// Ends the line (prints the final state once more on a terminal).
  void finish(const std::string& detail = {});

 private:
  std::string render(std::int64_t done, const std::string& detail, bool for_terminal) const;

  std::string label_;
  std::int64_t total_;
  std::int64_t first_;
  bool terminal_;
  std::int64_t log_every_;
  std::int64_t latest_ = -1;       // the most recent update, drawn or not
  std::string latest_detail_;
  std::int64_t last_logged_ = -1;  // the last step printed as a plain line
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

/// "1:24", "1:02:03" for a number of seconds.
std::string format_duration(double seconds);

}  // namespace ddpm::cli
