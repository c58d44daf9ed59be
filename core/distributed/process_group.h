#pragma once

#include "core/distributed/launch_environment.h"
#include "core/util/error.h"

#include <torch/torch.h>

#include <chrono>
#include <memory>
#include <string>

namespace ddpm {

/// A collective failed: another process of the run stopped (its connection closed), or
/// did not answer within the group's timeout. The message says which and how long.
class PeerFailure : public Error {
 public:
  using Error::Error;
};

/// The processes of one data-parallel run, joined through PyTorch's c10d: rank 0 serves a
/// TCPStore at MASTER_ADDR:MASTER_PORT where all of them meet (unless the launcher serves
/// it), then the collectives run on Gloo (CPU tensors) or, on CUDA where this LibTorch
/// has it, NCCL. Every call must be made by all processes in the same order.
class ProcessGroup {
 public:
  /// Joins the run `env` describes, waiting at most `timeout` for the others to arrive;
  /// each later collective also gives up after `timeout`. Throws ddpm::Error (no
  /// distributed support in this build, the store unreachable, nobody came).
  static std::unique_ptr<ProcessGroup> join(const LaunchEnvironment& env, torch::Device device,
                                            std::chrono::milliseconds timeout);

  ~ProcessGroup();
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;

  int rank() const;
  int world_size() const;
  /// "gloo" or "nccl".
  std::string backend() const;
  /// How long a collective waits for the others before it fails.
  std::chrono::milliseconds timeout() const;

  /// Copies `root`'s `tensor` into every process's `tensor` (same shape everywhere).
  /// Throws PeerFailure.
  void broadcast(torch::Tensor& tensor, int root = 0);
  /// Replaces `tensor` by its sum over the processes, the same bits on every one.
  /// Throws PeerFailure.
  void all_reduce_sum(torch::Tensor& tensor);

  struct Impl;

 private:
  explicit ProcessGroup(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// Empty when this build can join process groups; otherwise why not (the sentence ends
/// with what to install), for the error a launched `ddpm train` gives.
std::string distributed_unavailable_reason();

}  // namespace ddpm
