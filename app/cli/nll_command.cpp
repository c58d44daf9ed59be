#include "core/checkpoint/checkpoint.h"
#include "core/checkpoint/shipped_checkpoints.h"
#include "app/cli/bound_run.h"
#include "app/cli/cli_support.h"
#include "app/cli/commands.h"
#include "app/cli/interrupt.h"
#include "core/io/atomic_file.h"
#include "core/jobs/bound_job.h"
#include "core/sampling/variational_bound.h"

#include <cstdio>
#include <iostream>
#include <memory>

namespace ddpm::cli {

namespace {

struct NllArguments {
  std::string checkpoint;
  DataArguments data;
  std::int64_t n = 256;
  std::string variance = "beta";
  std::int64_t terms = 0;
  std::int64_t batch = 256;
  std::uint64_t seed = 0;
  std::string device = "auto";
  std::string terms_out;
};

// The bound on the test data the flags name, printed as bits/dim (and --terms-out).
void run_nll(const NllArguments& o) {
  const std::string checkpoint_path = resolve_checkpoint(o.checkpoint);
  check_outputs({{"--terms-out", o.terms_out}}, {{"--checkpoint", checkpoint_path}, {"--data", data_file_of(o.data.spec)}});
  const CheckpointData checkpoint = load_checkpoint(checkpoint_path);
  use_threads_for(checkpoint.model);
  BoundJobOptions job;
  job.data_spec = o.data.spec;
  job.data = o.data.options(Split::Test);
  job.examples = o.n;
  job.seed = o.seed;
  job.variance = reverse_variance_from_string(o.variance);
  job.terms = o.terms;
  job.batch_size = o.batch;
  job.device = o.device;
  data_spec_argument(job.spec_for(checkpoint));  // a malformed --data is a usage error

  const BoundJobResult job_result = run_bound_job(checkpoint, job, "nll");
  const VariationalBound& result = job_result.bound;
  if (result.status == RunStatus::Cancelled) throw Interrupted();

  if (!o.terms_out.empty()) {
    std::string csv = "t,bits_per_dim\n";
    char row[64];
    for (std::int64_t t : result.evaluated) {
      std::snprintf(row, sizeof row, "%lld,%.9g\n", static_cast<long long>(t),
                    result.terms_bits_per_dim[static_cast<std::size_t>(t)]);
      csv += row;
    }
    write_file_atomically(o.terms_out, csv);
  }
  if (!job_result.images)
    std::cerr << "ddpm: note: 2D data have a density, not probabilities: these bits/dim are differential "
                 "(in the normalised space) and may be negative\n";
  std::printf("bits/dim: %.4f\n", result.bits_per_dim);
  std::printf("prior L_T: %.3g bits/dim, samples: %lld, terms: %zu of %lld\n", result.prior_bits_per_dim,
              static_cast<long long>(job_result.examples), result.evaluated.size(),
              static_cast<long long>(job_result.steps));
}

}  // namespace

void add_nll_command(CLI::App& app) {
  auto options = std::make_shared<NllArguments>();
  auto* command = app.add_subcommand(
      "nll", "Variational bound on the negative log-likelihood of test data, in bits/dim (eq. 5, 13)");
  command->add_option("--checkpoint", options->checkpoint, "Checkpoint (.safetensors) or shipped name (see ddpm checkpoints)")->required();
  options->data.add_to(*command, /*required=*/false);
  command->add_option("--n", options->n, "Number of test samples (chosen with --seed)")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  command->add_option("--variance", options->variance, "sigma_t^2 of p_theta: beta or posterior")
      ->check(CLI::IsMember({"beta", "posterior"}))
      ->capture_default_str();
  command->add_option("--terms", options->terms, "Evaluate L_0 plus a stratified sample of this many terms (0: all T)");
  command->add_option("--batch", options->batch, "Samples per network call")->check(positive_number())->capture_default_str();
  command->add_option("--seed", options->seed, "Seed for the test samples, x_t and the strata")->capture_default_str();
  command->add_option("--device", options->device, "auto, cpu or cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
      ->capture_default_str();
  command->add_option("--terms-out", options->terms_out, "Also write the per-t terms as CSV t,bits_per_dim");

  command->callback([options] { run_nll(*options); });
}

}  // namespace ddpm::cli
