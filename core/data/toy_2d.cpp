#include "core/data/toy_2d.h"

#include "core/util/error.h"

#include <cmath>
#include <random>

namespace ddpm {

std::optional<Toy2dKind> toy_2d_kind_from_string(const std::string& name) {
  for (Toy2dKind kind : {Toy2dKind::SwissRoll, Toy2dKind::Moons, Toy2dKind::Gaussians8, Toy2dKind::Circles})
    if (to_string(kind) == name) return kind;
  return std::nullopt;
}

std::string to_string(Toy2dKind kind) {
  switch (kind) {
    case Toy2dKind::SwissRoll: return "swissroll";
    case Toy2dKind::Moons: return "moons";
    case Toy2dKind::Gaussians8: return "gaussians8";
    case Toy2dKind::Circles: return "circles";
  }
  return "swissroll";
}

torch::Tensor make_toy_2d(Toy2dKind kind, std::int64_t n, std::uint64_t seed) {
  if (n < 1 || n > 10'000'000) throw Error("number of 2D points must be between 1 and 10000000, got " + std::to_string(n));
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  std::normal_distribution<double> normal(0.0, 1.0);
  auto points = torch::empty({n, 2}, torch::kFloat64);
  auto p = points.accessor<double, 2>();
  for (std::int64_t i = 0; i < n; ++i) {
    double x = 0.0, y = 0.0;
    switch (kind) {
      case Toy2dKind::SwissRoll: {
        const double theta = 1.5 * M_PI * (1.0 + 2.0 * uniform(rng));
        x = theta * std::cos(theta) / 5.0 + 0.1 * normal(rng);
        y = theta * std::sin(theta) / 5.0 + 0.1 * normal(rng);
        break;
      }
      case Toy2dKind::Moons: {
        const double theta = M_PI * uniform(rng);
        const bool upper = i % 2 == 0;  // label 0 (toy_2d_labels)
        x = upper ? std::cos(theta) : 1.0 - std::cos(theta);
        y = upper ? std::sin(theta) : 0.5 - std::sin(theta);
        x += 0.05 * normal(rng);
        y += 0.05 * normal(rng);
        break;
      }
      case Toy2dKind::Gaussians8: {
        const double angle = static_cast<double>(i % 8) * M_PI / 4.0;
        x = 2.0 * std::cos(angle) + 0.1 * normal(rng);
        y = 2.0 * std::sin(angle) + 0.1 * normal(rng);
        break;
      }
      case Toy2dKind::Circles: {
        const double theta = 2.0 * M_PI * uniform(rng);
        const double radius = i % 2 == 0 ? 1.0 : 0.5;  // label 0: outer
        x = radius * std::cos(theta) + 0.03 * normal(rng);
        y = radius * std::sin(theta) + 0.03 * normal(rng);
        break;
      }
    }
    p[i][0] = x;
    p[i][1] = y;
  }
  return points;
}

namespace {

// How many classes a set has; its points alternate through them (point i has class i mod k).
std::int64_t toy_2d_class_count(Toy2dKind kind) {
  switch (kind) {
    case Toy2dKind::SwissRoll: return 0;
    case Toy2dKind::Moons: return 2;
    case Toy2dKind::Gaussians8: return 8;
    case Toy2dKind::Circles: return 2;
  }
  return 0;
}

}  // namespace

torch::Tensor toy_2d_labels(Toy2dKind kind, std::int64_t n) {
  const auto classes = toy_2d_class_count(kind);
  if (classes == 0) return {};
  return torch::arange(n, torch::kLong).remainder(classes);
}

std::vector<std::string> toy_2d_class_names(Toy2dKind kind) {
  switch (kind) {
    case Toy2dKind::SwissRoll: return {};
    case Toy2dKind::Moons: return {"upper moon", "lower moon"};
    case Toy2dKind::Gaussians8: return {"0°", "45°", "90°", "135°", "180°", "225°", "270°", "315°"};
    case Toy2dKind::Circles: return {"outer circle", "inner circle"};
  }
  return {};
}

}  // namespace ddpm
