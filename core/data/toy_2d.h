#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ddpm {

/// The generated 2D sets, each a classic picture for diffusion on the plane.
enum class Toy2dKind { SwissRoll, Moons, Gaussians8, Circles };

/// "swissroll" → SwissRoll, …; nullopt for any other name.
std::optional<Toy2dKind> toy_2d_kind_from_string(const std::string& name);
std::string to_string(Toy2dKind kind);

/// `n` points (float64 [n, 2], the set's own coordinates) drawn with `seed`; the same
/// seed always gives the same points.
///  - swissroll: θ ~ U(1.5π, 4.5π), (θ cos θ, θ sin θ)/5 + N(0, 0.1²)
///  - moons: two interleaved half circles (as scikit-learn's make_moons), noise 0.05
///  - gaussians8: 8 Gaussians (σ = 0.1) on a circle of radius 2
///  - circles: two concentric circles, radii 1 and 0.5, noise 0.03
torch::Tensor make_toy_2d(Toy2dKind kind, std::int64_t n, std::uint64_t seed);

/// The class of each of make_toy_2d's n points (int64 [n]), for the sets that have
/// classes: moons (0 upper, 1 lower), gaussians8 (k: the Gaussian at angle k·45°),
/// circles (0 outer, 1 inner). Undefined for swissroll, which has none.
torch::Tensor toy_2d_labels(Toy2dKind kind, std::int64_t n);
/// The names of those classes, in label order; empty for swissroll.
std::vector<std::string> toy_2d_class_names(Toy2dKind kind);

}  // namespace ddpm
