#include "core/jobs/shared_latent_figure.h"

#include "core/util/error.h"

#include <algorithm>

namespace ddpm {
namespace {

void check(const SharedLatentOptions& options, std::int64_t T) {
  if (options.levels.empty()) throw Error("the shared-latent figure needs at least one t to stop at");
  for (const std::int64_t t : options.levels)
    if (t < 1 || t > T)
      throw Error("the shared-latent figure stops at t from 1 to T = " + std::to_string(T) + ", not " + std::to_string(t));
  if (options.continuations < 1) throw Error("the shared-latent figure needs at least one continuation per t");
}

bool stopped(const std::atomic<bool>* cancel) { return cancel != nullptr && cancel->load(); }

}  // namespace

SharedLatentFigure shared_latent_figure(const CheckpointModel& model, const SharedLatentOptions& options,
                                        const StepCallback& on_step, const std::atomic<bool>* cancel) {
  check(options, model.steps());
  SamplerOptions chain_options = options.sampler;
  chain_options.n = 1;
  ReverseProcess chain = model.reverse_process(chain_options);

  // The chain, stopped at each level: x is at paper t = next_t() + 1 before a step.
  std::vector<std::int64_t> order(options.levels.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::int64_t>(i);
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return options.levels[a] > options.levels[b]; });
  std::vector<torch::Tensor> stops(options.levels.size());
  std::vector<std::int64_t> stop_t(options.levels.size());
  // Every level is ≥ 1 and the last step is at t = 1, so the chain reaches them all.
  for (std::size_t next = 0; next < order.size();) {
    const std::int64_t at = chain.next_t() + 1;
    if (at <= options.levels[order[next]]) {
      stops[order[next]] = chain.sample();
      stop_t[order[next]] = at;
      ++next;
      continue;
    }
    if (stopped(cancel)) return {RunStatus::Cancelled, {}, {}};
    chain.step();
    if (on_step) on_step(chain);
  }

  std::vector<torch::Tensor> rows;
  for (std::size_t i = 0; i < stops.size(); ++i) {
    SamplerOptions branch_options = options.sampler;
    branch_options.n = options.continuations;
    ReverseProcess branch = model.reverse_process(branch_options);
    std::vector<std::int64_t> repeat(static_cast<std::size_t>(stops[i].dim()), 1);
    repeat[0] = options.continuations;
    branch.continue_from(stops[i].repeat(repeat), stop_t[i] - 1, options.sampler.seed + 1 + i);
    while (!branch.done()) {
      if (stopped(cancel)) return {RunStatus::Cancelled, {}, {}};
      branch.step();
      if (on_step) on_step(branch);
    }
    rows.push_back(stops[i].to(torch::kCPU, torch::kFloat32));
    rows.push_back(branch.sample().to(torch::kCPU, torch::kFloat32));
  }
  return {RunStatus::Completed, torch::cat(rows), stop_t};
}

}  // namespace ddpm
