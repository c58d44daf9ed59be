// ddpm: the command-line face of DDPM Studio. Wiring only: each subcommand lives in
// its own file under app/cli/ and calls into ddpm_core.
#include "app/cli/cli_support.h"
#include "app/cli/commands.h"
#include "core/runtime/threads.h"
#include "core/util/error.h"
#include "core/util/version.h"

#include <iostream>

int main(int argc, char** argv) {
  CLI::App app{"ddpm: train, sample and inspect denoising diffusion models (Ho et al. 2020)", "ddpm"};
  app.require_subcommand(1);
  app.set_version_flag("--version", ddpm::ddpm_version());
  int& threads = ddpm::cli::threads_option();
  app.add_option("--threads", threads, "Torch intra-op threads (default: 1 for the 2D MLP, else one per core but one)");
  ddpm::cli::add_schedule_command(app);
  ddpm::cli::add_noise_command(app);
  ddpm::cli::add_train_command(app);
  ddpm::cli::add_sample_command(app);
  ddpm::cli::add_nll_command(app);
  ddpm::cli::add_info_command(app);
  ddpm::cli::add_score_command(app);
  ddpm::cli::add_classifier_command(app);
  ddpm::cli::add_export_command(app);
  ddpm::cli::add_checkpoints_command(app);
  ddpm::cli::add_bench_command(app);
  ddpm::cli::add_figure_command(app);
  // Only an explicit --threads is applied here; otherwise each command picks its own count
  // (use_threads_for). Switching torch to 2 threads and back to 1 left later work ~8 % slower
  // in CPU time (docs/performance.md), so the count is set once, to what the work needs.
  app.parse_complete_callback([&threads] {
    if (threads > 0) ddpm::configure_torch_threads(threads);
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::cout << app.help();
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    std::cout << app.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::CallForVersion&) {
    std::cout << ddpm::ddpm_version() << '\n';
    return 0;
  } catch (const CLI::ParseError& e) {
    std::cerr << "ddpm: error: " << e.what() << " (see ddpm --help)\n";
    return 2;
  } catch (const ddpm::cli::Interrupted&) {
    return 130;
  } catch (const ddpm::cli::UsageError& e) {
    std::cerr << "ddpm: error: " << e.what() << '\n';
    return 2;
  } catch (const ddpm::Error& e) {
    std::cerr << "ddpm: error: " << e.what() << '\n';
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "ddpm: error: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
