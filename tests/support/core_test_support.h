#pragma once
// Helpers shared by the core test suites. Include after the core headers (torch first)
// and before or after <QtTest>.

#include "core/schedule/noise_schedule.h"
#include "core/util/error.h"

#include <torch/torch.h>

#include <QtTest>

#include <fstream>
#include <iterator>
#include <string>

/// Fails the test unless `expression` throws ddpm::Error whose message contains `fragment`.
#define EXPECT_ERROR(expression, fragment)                                                      \
  do {                                                                                           \
    try {                                                                                        \
      expression;                                                                                \
      QFAIL("expected ddpm::Error containing: " fragment);                                       \
    } catch (const ddpm::Error& e) {                                                             \
      QVERIFY2(QString::fromUtf8(e.what()).contains(QStringLiteral(fragment)), e.what());       \
    }                                                                                            \
  } while (0)

namespace ddpm::test {

/// A whole file as bytes ("" when it cannot be read).
inline std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// Replaces a file's content with `bytes`.
inline void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

/// The paper's linear schedule with β scaled by 1000/T, so ᾱ_T stays ≈ 4e-5 for short
/// test schedules (T ≥ 21 keeps β_T < 1).
inline NoiseSchedule scaled_linear_schedule(std::int64_t T) {
  ScheduleSpec spec;
  spec.kind = ScheduleKind::Linear;
  spec.steps = T;
  spec.beta_start = 1e-4 * 1000.0 / static_cast<double>(T);
  spec.beta_end = 0.02 * 1000.0 / static_cast<double>(T);
  return NoiseSchedule(spec);
}

/// CUDA when this machine has it, else the CPU: tests labelled "gpu" use it.
inline torch::Device test_device() {
  return torch::cuda::is_available() ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
}

}  // namespace ddpm::test
