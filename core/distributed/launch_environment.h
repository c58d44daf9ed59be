#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace ddpm {

/// Where this process stands in a data-parallel run, as the launcher says it: the
/// variables torchrun (and torch.distributed's env:// rendezvous) set for every process.
struct LaunchEnvironment {
  int rank = 0;              ///< RANK: this process, 0 … world_size − 1 (rank 0 saves and reports)
  int world_size = 1;        ///< WORLD_SIZE: processes in the run, on all machines
  int local_rank = 0;        ///< LOCAL_RANK: this process on its machine (picks the GPU)
  int local_world_size = 1;  ///< LOCAL_WORLD_SIZE: processes on this machine (shares its cores); WORLD_SIZE when absent
  std::string master_addr;   ///< MASTER_ADDR: the host of rank 0's rendezvous store
  std::uint16_t master_port = 0;  ///< MASTER_PORT
  /// TORCHELASTIC_USE_AGENT_STORE=True (torchrun 2.x): the launcher already serves the
  /// store at MASTER_ADDR:MASTER_PORT, so rank 0 joins it instead of starting one.
  bool launcher_serves_store = false;
};

/// Reads the launch variables through `variable` (getenv, or a map in tests). None of
/// RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT set: std::nullopt, a single-process run.
/// Throws ddpm::Error naming the variable when only some are set or one is malformed
/// (RANK outside 0 … WORLD_SIZE − 1, a port outside 1 … 65535, …). LOCAL_RANK and
/// LOCAL_WORLD_SIZE are optional (0 and WORLD_SIZE when absent).
std::optional<LaunchEnvironment> launch_environment(const std::function<const char*(const char*)>& variable);

/// launch_environment() of this process's environment.
std::optional<LaunchEnvironment> launch_environment_of_process();

}  // namespace ddpm
