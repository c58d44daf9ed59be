#include "app/cli/progress_line.h"

#include <cmath>
#include <cstdio>
#include <unistd.h>

namespace ddpm::cli {

ProgressLine::ProgressLine(std::string label, std::int64_t total, std::int64_t first)
    : label_(std::move(label)),
      total_(total),
      first_(first),
      terminal_(::isatty(STDERR_FILENO) != 0),
      log_every_(std::max<std::int64_t>(1, (total - first) / 20)),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const auto s = static_cast<long long>(std::llround(seconds));
  char text[32];
  if (s >= 3600)
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", s / 3600, (s / 60) % 60, s % 60);
  else
    std::snprintf(text, sizeof text, "%lld:%02lld", s / 60, s % 60);
  return text;
}

std::string ProgressLine::render(std::int64_t done, const std::string& detail, bool for_terminal) const {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done - first_) / elapsed : 0.0;
  const double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : NAN;
  const double fraction = total_ > 0 ? static_cast<double>(done) / static_cast<double>(total_) : 1.0;
  char head[96];
  std::snprintf(head, sizeof head, "%s %lld/%lld", label_.c_str(), static_cast<long long>(done),
                static_cast<long long>(total_));
  std::string line = head;
  if (for_terminal) {
    constexpr int kWidth = 24;
    const int filled = static_cast<int>(fraction * kWidth);
    line += " [" + std::string(static_cast<std::size_t>(filled), '=') + (filled < kWidth ? ">" : "") +
            std::string(static_cast<std::size_t>(std::max(0, kWidth - filled - 1)), ' ') + "]";
  }
  char tail[96];
  std::snprintf(tail, sizeof tail, " %3.0f%%", 100.0 * fraction);
  line += tail;
  if (!detail.empty()) line += "  " + detail;
  std::snprintf(tail, sizeof tail, "  %.3g it/s  %s %s", rate, done < total_ ? "ETA" : "in",
                format_duration(done < total_ ? eta : elapsed).c_str());
  return line + tail;
}

void ProgressLine::update(std::int64_t done, const std::string& detail) {
  latest_ = done;
  latest_detail_ = detail;
  const auto now = std::chrono::steady_clock::now();
  if (terminal_) {
    if (now - last_draw_ < std::chrono::milliseconds(100) && done < total_) return;
    std::fprintf(stderr, "\r\033[K%s", render(done, detail, true).c_str());
    std::fflush(stderr);
    last_draw_ = now;
  } else if ((done - first_) % log_every_ == 0 || done == total_ || now - last_draw_ >= std::chrono::seconds(30)) {
    std::fprintf(stderr, "%s\n", render(done, detail, false).c_str());
    last_logged_ = done;
    last_draw_ = now;
  }
}

void ProgressLine::finish(const std::string& detail) {
  if (latest_ < 0) return;
  const std::string& text = detail.empty() ? latest_detail_ : detail;
  if (terminal_)
    std::fprintf(stderr, "\r\033[K%s\n", render(latest_, text, true).c_str());
  else if (last_logged_ != latest_)
    std::fprintf(stderr, "%s\n", render(latest_, text, false).c_str());
  std::fflush(stderr);
}

}  // namespace ddpm::cli
