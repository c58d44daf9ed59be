#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ddpm {

struct VariationalBound;  // variational_bound.h; this header stays free of torch for the GUI's result types

/// One point of progressive lossy coding (Ho et al. 2020, section 4.3, Fig. 5, Table 4):
/// the receiver has x_t after `steps` = k = T − t reverse steps.
struct RateDistortionPoint {
  std::int64_t steps = 0;          ///< k = T − t
  std::int64_t t = 0;              ///< the paper's t (T..0)
  double rate_bits_per_dim = 0.0;  ///< L_T + Σ_{s>t} L_{s−1}: what has been sent
  double distortion_rmse = 0.0;    ///< RMSE of x̂_0(x_t) (eq. 15) against x_0 on the [0, 255] scale; 0 at t = 0
};

/// The curve k = 0..T (T + 1 points) from an exact bound of images in [−1, 1] (all T terms
/// evaluated, with x0_mse beside them): rate(k) = L_T + Σ of the terms at code indices
/// T − k … T − 1 (code index c holds the paper's L_c, computed from x_{c+1}), so rate(T) is
/// the whole bound; distortion(k) = 127.5 √x0_mse[t − 1] for t ≥ 1, the RMSE in 8-bit levels
/// of the prediction from the paper's x_t. Throws ddpm::Error for a cancelled or stratified
/// bound.
std::vector<RateDistortionPoint> rate_distortion(const VariationalBound& bound);

/// The curve as CSV with the header `steps,t,rate_bits_per_dim,distortion_rmse`, k ascending.
std::string rate_distortion_csv(const std::vector<RateDistortionPoint>& curve);

}  // namespace ddpm
