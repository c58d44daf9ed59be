#include "core/distributed/launch_environment.h"

#include "core/util/error.h"

#include <cerrno>
#include <cstdlib>
#include <limits>

namespace ddpm {
namespace {

const char* const kRequired[] = {"RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT"};

long integer_variable(const char* name, const char* text, long low, long high) {
  errno = 0;
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  if (*text == '\0' || *end != '\0' || errno == ERANGE || value < low || value > high)
    throw Error(std::string("the launch variable ") + name + "='" + text + "' is not a whole number from " +
                std::to_string(low) + " to " + std::to_string(high));
  return value;
}

}  // namespace

std::optional<LaunchEnvironment> launch_environment(const std::function<const char*(const char*)>& variable) {
  std::string set, missing;
  for (const char* name : kRequired) {
    const char* value = variable(name);
    std::string& list = (value != nullptr && *value != '\0') ? set : missing;
    list += (list.empty() ? "" : ", ") + std::string(name);
  }
  if (set.empty()) return std::nullopt;
  if (!missing.empty())
    throw Error("a data-parallel run needs RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT (torchrun sets them), but " +
                missing + (missing.find(',') == std::string::npos ? " is" : " are") + " not set");

  constexpr long kMaxRanks = 1 << 20;
  LaunchEnvironment env;
  env.world_size = static_cast<int>(integer_variable("WORLD_SIZE", variable("WORLD_SIZE"), 1, kMaxRanks));
  env.rank = static_cast<int>(integer_variable("RANK", variable("RANK"), 0, env.world_size - 1));
  env.local_world_size = env.world_size;
  if (const char* local = variable("LOCAL_WORLD_SIZE"); local != nullptr && *local != '\0')
    env.local_world_size = static_cast<int>(integer_variable("LOCAL_WORLD_SIZE", local, 1, env.world_size));
  if (const char* local = variable("LOCAL_RANK"); local != nullptr && *local != '\0')
    env.local_rank = static_cast<int>(integer_variable("LOCAL_RANK", local, 0, env.local_world_size - 1));
  env.master_addr = variable("MASTER_ADDR");
  env.master_port = static_cast<std::uint16_t>(
      integer_variable("MASTER_PORT", variable("MASTER_PORT"), 1, std::numeric_limits<std::uint16_t>::max()));
  const char* agent = variable("TORCHELASTIC_USE_AGENT_STORE");
  env.launcher_serves_store = agent != nullptr && std::string(agent) == "True";
  return env;
}

std::optional<LaunchEnvironment> launch_environment_of_process() {
  return launch_environment([](const char* name) { return std::getenv(name); });
}

}  // namespace ddpm
