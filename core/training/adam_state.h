#pragma once

#include <torch/torch.h>

#include <sstream>
#include <string>
#include <type_traits>

namespace ddpm {

/// The key under which torch::optim::Adam keeps a parameter's state: the parameter's
/// TensorImpl, as a std::string (c10::guts::to_string of the pointer) in LibTorch 1.13
/// and as void* in 2.x. Derived from the map's own key_type so both compile.
template <typename StateMap>
typename StateMap::key_type optimizer_state_key(const torch::Tensor& parameter) {
  using Key = typename StateMap::key_type;
  if constexpr (std::is_same_v<Key, std::string>) {
    std::ostringstream text;
    text << parameter.unsafeGetTensorImpl();  // what c10::guts::to_string writes for a pointer
    return text.str();
  } else {
    return reinterpret_cast<Key>(parameter.unsafeGetTensorImpl());
  }
}

/// The state map of an Adam optimiser (the type differs between LibTorch versions).
using AdamStateMap = std::remove_reference_t<decltype(std::declval<torch::optim::Adam&>().state())>;

}  // namespace ddpm
