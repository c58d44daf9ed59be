#pragma once
// Seeded mutation fuzzing of the file readers (docs/reliability.md). Each input is
// written to a file and handed to the reader, which must either succeed or throw
// ddpm::Error: any other exception, a crash, a hang (time box per input) or an
// allocation larger than a bound proportional to the input is a failure. The
// harness counts the inputs per reader and prints one summary line.
//
// DDPM_FUZZ_SCALE (a positive number, default 1) scales the number of random
// mutations (the sanitizer run in CI uses fewer); exhaustive truncations are kept.
// Include after the core headers (torch first).

#include "allocation_probe.h"
#include "core/util/error.h"

#include <torch/torch.h>

#include <QtTest>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif

namespace ddpm::test {

/// The number of random mutations to try for a nominal count `n`, scaled by DDPM_FUZZ_SCALE.
inline int fuzz_iterations(int n) {
  double scale = 1.0;
  if (const char* text = std::getenv("DDPM_FUZZ_SCALE")) {
    char* end = nullptr;
    const double value = std::strtod(text, &end);
    if (end != text && value > 0 && value <= 100) scale = value;
  }
  return std::max(1, static_cast<int>(n * scale));
}

/// Seeded byte-level mutations: bit flips, interesting bytes and integers, insertions,
/// deletions, duplications, truncations. Same seed, same sequence of inputs.
class Mutator {
 public:
  explicit Mutator(std::uint64_t seed) : rng_(seed) {}

  std::mt19937_64& rng() { return rng_; }
  /// Uniform integer in [0, n) (0 when n is 0).
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(rng_() % n); }
  /// Random bytes.
  std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    for (char& c : out) c = static_cast<char>(rng_() & 0xff);
    return out;
  }

  /// Applies 1 to 3 random generic mutations; appends their names to `label`.
  std::string mutate(std::string bytes, std::string& label) {
    const int count = 1 + static_cast<int>(below(3));
    for (int i = 0; i < count; ++i) bytes = mutate_once(std::move(bytes), label);
    return bytes;
  }

  /// One generic mutation.
  std::string mutate_once(std::string b, std::string& label) {
    static const unsigned char kBytes[] = {0x00, 0xff, 0x7f, 0x80, 0x01, 0xfe, '0', '9', '-', '.', 'e',
                                           ',',  '\n', '"',  '{',  '}',  '[',  ']', ':', ' ', '\\', 0xc3};
    static const std::uint64_t kInts[] = {0, 1, 0x7f, 0xff, 0x7fff, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
                                          0x7fffffffffffffffULL, 0xffffffffffffffffULL, 0x100000000ULL};
    switch (below(9)) {
      case 0:
        if (b.empty()) break;
        b[below(b.size())] ^= static_cast<char>(1u << below(8));
        label += " flip-bit";
        return b;
      case 1:
        for (std::size_t k = 0, n = 2 + below(7); k < n && !b.empty(); ++k)
          b[below(b.size())] ^= static_cast<char>(1u << below(8));
        label += " flip-bits";
        return b;
      case 2:
        if (b.empty()) break;
        b[below(b.size())] = static_cast<char>(kBytes[below(sizeof kBytes)]);
        label += " set-byte";
        return b;
      case 3:
        b.insert(below(b.size() + 1), random_bytes(1 + below(16)));
        label += " insert";
        return b;
      case 4: {
        if (b.empty()) break;
        const std::size_t at = below(b.size());
        b.erase(at, 1 + below(64));
        label += " delete";
        return b;
      }
      case 5: {
        if (b.empty()) break;
        const std::size_t at = below(b.size());
        const std::string chunk = b.substr(at, 1 + below(64));
        b.insert(below(b.size() + 1), chunk);
        label += " duplicate";
        return b;
      }
      case 6:
        b.resize(below(b.size() + 1));
        label += " truncate";
        return b;
      case 7: {
        const std::size_t width = below(2) ? 4 : 8;
        if (b.size() < width) break;
        const std::uint64_t value = kInts[below(sizeof kInts / sizeof kInts[0])];
        const std::size_t at = below(b.size() - width + 1);
        const bool big_endian = below(2);
        for (std::size_t k = 0; k < width; ++k) {
          const std::size_t shift = 8 * (big_endian ? width - 1 - k : k);
          b[at + k] = static_cast<char>((value >> shift) & 0xff);
        }
        label += big_endian ? " int-be" : " int-le";
        return b;
      }
      default:
        b += random_bytes(1 + below(32));
        label += " append";
        return b;
    }
    b += static_cast<char>(rng_() & 0xff);  // the chosen mutation needed bytes: grow instead
    label += " append";
    return b;
  }

 private:
  std::mt19937_64 rng_;
};

namespace detail {
// The input being read, for the hang and crash messages (async-signal-safe to print).
inline char g_current[512] = "";

inline void write_current(const char* prefix) {
  const auto ignored = ::write(STDERR_FILENO, prefix, std::strlen(prefix));
  const auto ignored2 = ::write(STDERR_FILENO, g_current, std::strlen(g_current));
  const auto ignored3 = ::write(STDERR_FILENO, "\n", 1);
  (void)ignored;
  (void)ignored2;
  (void)ignored3;
}

inline void on_alarm(int) {
  write_current("FUZZ HANG: this input ran past its time box: ");
  ::_exit(3);
}

inline void on_crash(int signal_number) {
  write_current("FUZZ CRASH while reading: ");
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
}

inline void on_sanitizer_death() {
  write_current("FUZZ CRASH (sanitizer report above) while reading: ");
}
}  // namespace detail

/// Runs one reader over many inputs and checks each outcome (see the file comment).
/// Allocation bound for an input of n bytes: floor + factor × n, per single allocation.
class FuzzHarness {
 public:
  using Reader = std::function<void(const std::string& path)>;

  FuzzHarness(std::string reader, std::string directory, std::string extension, std::size_t allocation_floor,
              double allocation_factor, int seconds_per_input = 20)
      : reader_(std::move(reader)),
        path_(std::move(directory) + "/input" + extension),
        floor_(allocation_floor),
        factor_(allocation_factor),
        seconds_(seconds_per_input) {
    std::signal(SIGALRM, detail::on_alarm);
#if defined(__SANITIZE_ADDRESS__)
    __sanitizer_set_death_callback(detail::on_sanitizer_death);
#else
    for (int s : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) std::signal(s, detail::on_crash);
#endif
  }

  /// Reads `bytes` through `read`; `label` says how the input was made (for messages).
  void run(const std::string& bytes, const std::string& label, const Reader& read) {
    {
      std::ofstream out(path_, std::ios::binary | std::ios::trunc);
      out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    }
    std::snprintf(detail::g_current, sizeof detail::g_current, "%s input #%zu (%zu bytes, %s) at %s",
                  reader_.c_str(), inputs_, bytes.size(), label.c_str(), path_.c_str());
    ++inputs_;
    const std::size_t bound = floor_ + static_cast<std::size_t>(factor_ * static_cast<double>(bytes.size()));
    std::string problem;
    std::size_t largest = 0;
    const auto start = std::chrono::steady_clock::now();
    ::alarm(static_cast<unsigned>(seconds_));
    {
      AllocationProbe probe(bound);
      try {
        read(path_);
        ++loaded_;
      } catch (const ddpm::Error& e) {
        ++errors_;
        const std::string message = e.what();
        if (message.empty()) problem = "ddpm::Error with an empty message";
        if (message.find("memory") != std::string::npos) problem = "ran out of memory: " + message;
      } catch (const std::bad_alloc&) {
        problem = "std::bad_alloc (an allocation was refused or failed)";
      } catch (const c10::Error& e) {
        problem = std::string("c10::Error escaped: ") + e.what_without_backtrace();
      } catch (const std::exception& e) {
        problem = std::string("std::exception escaped: ") + e.what();
      } catch (...) {
        problem = "an unknown exception escaped";
      }
      largest = probe.largest();
      if (probe.refused() > 0 && problem.empty()) problem = "an allocation above the bound was refused";
    }
    ::alarm(0);
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    slowest_ms_ = std::max(slowest_ms_, ms);
    largest_ = std::max(largest_, largest);
    if (largest > bound)
      problem += (problem.empty() ? "" : "; ") + std::string("allocated ") + std::to_string(largest) +
                 " bytes at once, above the bound " + std::to_string(bound);
    if (!problem.empty()) {
      ++failed_;
      if (failures_.size() < 20) failures_.push_back(std::string(detail::g_current) + ": " + problem);
    }
  }

  std::size_t inputs() const { return inputs_; }
  std::size_t loaded() const { return loaded_; }

  /// Prints the summary line and fails the test when any input failed.
  void finish() {
    char line[512];
    std::snprintf(line, sizeof line,
                  "fuzz %s: %zu inputs, %zu read, %zu clean errors, %zu failures; largest allocation %.1f KiB "
                  "(allocation probe %s), slowest input %.1f ms",
                  reader_.c_str(), inputs_, loaded_, errors_, failed_, static_cast<double>(largest_) / 1024.0,
                  AllocationProbe::supported() ? "on" : "off", slowest_ms_);
    std::fprintf(stderr, "%s\n", line);
    for (const auto& f : failures_) std::fprintf(stderr, "  FAILED: %s\n", f.c_str());
    std::fflush(stderr);
    detail::g_current[0] = '\0';
    QVERIFY2(failed_ == 0, line);
    QVERIFY2(inputs_ > 0, "no inputs were tried");
  }

 private:
  std::string reader_;
  std::string path_;
  std::size_t floor_;
  double factor_;
  int seconds_;
  std::size_t inputs_ = 0, loaded_ = 0, errors_ = 0, failed_ = 0, largest_ = 0;
  double slowest_ms_ = 0;
  std::vector<std::string> failures_;
};

}  // namespace ddpm::test
