#include "core/distributed/process_group.h"

#if DDPM_HAVE_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#endif
#if DDPM_HAVE_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <cstdlib>
#include <functional>
#include <utility>

namespace ddpm {

std::string distributed_unavailable_reason() {
#if DDPM_HAVE_GLOO
  return {};
#else
  return "this build of ddpm has no data-parallel support (c10d's Gloo headers were not found when it was "
         "configured: install libgloo-dev and configure again)";
#endif
}

#if DDPM_HAVE_GLOO

namespace {

std::string seconds_text(std::chrono::milliseconds timeout) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(timeout).count()) + " s";
}

std::string message_of(const std::exception& e) {
  if (const auto* torch_error = dynamic_cast<const c10::Error*>(&e)) return torch_error->what_without_backtrace();
  return e.what();
}

// The network interface Gloo talks on: GLOO_SOCKET_IFNAME as PyTorch reads it, the
// loopback when the run meets on this machine's loopback, else the address this host's
// name resolves to.
std::shared_ptr<::gloo::transport::Device> gloo_device(const LaunchEnvironment& env) {
  if (const char* interface = std::getenv("GLOO_SOCKET_IFNAME"); interface != nullptr && *interface != '\0')
    return c10d::ProcessGroupGloo::createDeviceForInterface(interface);
  if (env.master_addr == "localhost" || env.master_addr.rfind("127.", 0) == 0)
    return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
  return c10d::ProcessGroupGloo::createDefaultDevice();
}

}  // namespace

struct ProcessGroup::Impl {
  int rank = 0;
  int world_size = 1;
  std::string backend;
  std::chrono::milliseconds timeout{0};
  c10::intrusive_ptr<c10d::TCPStore> store;
  // The collectives on one tensor list, bound to the backend (bind_backend).
  std::function<c10::intrusive_ptr<c10d::Work>(std::vector<at::Tensor>&)> all_reduce;
  std::function<c10::intrusive_ptr<c10d::Work>(std::vector<at::Tensor>&, int)> broadcast;

  void run(const char* what, const std::function<c10::intrusive_ptr<c10d::Work>()>& start) const {
    try {
      start()->wait(timeout);
    } catch (const std::exception& e) {
      throw PeerFailure("rank " + std::to_string(rank) + " of " + std::to_string(world_size) + ": the " + what +
                        " with the other processes failed (" + message_of(e) +
                        "): another process of the run stopped, or did not answer within " + seconds_text(timeout));
    }
  }
};

// The lambdas hold the backend object (Gloo or NCCL) alive as long as the group lives.
template <class Backend>
void bind_backend(ProcessGroup::Impl& impl, const c10::intrusive_ptr<Backend>& group) {
  impl.all_reduce = [group](std::vector<at::Tensor>& tensors) { return group->allreduce(tensors); };
  impl.broadcast = [group](std::vector<at::Tensor>& tensors, int root) {
    c10d::BroadcastOptions options;
    options.rootRank = root;
    return group->broadcast(tensors, options);
  };
}

std::unique_ptr<ProcessGroup> ProcessGroup::join(const LaunchEnvironment& env, torch::Device device,
                                                 std::chrono::milliseconds timeout) {
  auto impl = std::make_unique<Impl>();
  impl->rank = env.rank;
  impl->world_size = env.world_size;
  impl->timeout = timeout;
  const std::string where = env.master_addr + ":" + std::to_string(env.master_port);
  try {
    c10d::TCPStoreOptions store;
    store.port = env.master_port;
    store.isServer = env.rank == 0 && !env.launcher_serves_store;
    store.numWorkers = static_cast<std::size_t>(env.world_size);
    store.waitWorkers = true;  // every process registers; the server waits for all of them (for none, it would wait out the timeout)
    store.timeout = timeout;
    impl->store = c10::make_intrusive<c10d::TCPStore>(env.master_addr, store);
  } catch (const std::exception& e) {
    throw Error("rank " + std::to_string(env.rank) + " could not meet the other " +
                std::to_string(env.world_size - 1) + " process(es) at " + where + " within " + seconds_text(timeout) +
                " (" + message_of(e) + ")");
  }
  try {
#if DDPM_HAVE_NCCL
    if (device.is_cuda()) {
      auto options = c10d::ProcessGroupNCCL::Options::create();
      options->timeout = timeout;
      impl->backend = "nccl";
      bind_backend(*impl, c10::make_intrusive<c10d::ProcessGroupNCCL>(impl->store, env.rank, env.world_size, options));
      return std::unique_ptr<ProcessGroup>(new ProcessGroup(std::move(impl)));
    }
#endif
    (void)device;  // Gloo also takes CUDA tensors (through host memory) where there is no NCCL
    auto options = c10d::ProcessGroupGloo::Options::create(timeout);
    options->devices.push_back(gloo_device(env));
    impl->backend = "gloo";
    bind_backend(*impl, c10::make_intrusive<c10d::ProcessGroupGloo>(impl->store, env.rank, env.world_size, options));
  } catch (const std::exception& e) {
    throw Error("rank " + std::to_string(env.rank) + " could not connect to the other processes of the run at " +
                where + " (" + message_of(e) + ")");
  }
  return std::unique_ptr<ProcessGroup>(new ProcessGroup(std::move(impl)));
}

void ProcessGroup::broadcast(torch::Tensor& tensor, int root) {
  std::vector<at::Tensor> tensors{tensor};
  impl_->run("broadcast", [&] { return impl_->broadcast(tensors, root); });
}

void ProcessGroup::all_reduce_sum(torch::Tensor& tensor) {
  std::vector<at::Tensor> tensors{tensor};
  impl_->run("all-reduce", [&] { return impl_->all_reduce(tensors); });
}

int ProcessGroup::rank() const { return impl_->rank; }
int ProcessGroup::world_size() const { return impl_->world_size; }
std::string ProcessGroup::backend() const { return impl_->backend; }
std::chrono::milliseconds ProcessGroup::timeout() const { return impl_->timeout; }

#else  // no Gloo headers: joining is the one thing that can be asked for, and it explains

struct ProcessGroup::Impl {};

std::unique_ptr<ProcessGroup> ProcessGroup::join(const LaunchEnvironment&, torch::Device, std::chrono::milliseconds) {
  throw Error(distributed_unavailable_reason());
}
void ProcessGroup::broadcast(torch::Tensor&, int) {}
void ProcessGroup::all_reduce_sum(torch::Tensor&) {}
int ProcessGroup::rank() const { return 0; }
int ProcessGroup::world_size() const { return 1; }
std::string ProcessGroup::backend() const { return {}; }
std::chrono::milliseconds ProcessGroup::timeout() const { return {}; }

#endif

ProcessGroup::ProcessGroup(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ProcessGroup::~ProcessGroup() = default;

}  // namespace ddpm
