#pragma once

#include <CLI/CLI.hpp>

namespace ddpm::cli {

// Each adds one subcommand to `ddpm` with its options and the callback that runs it.
void add_schedule_command(CLI::App& app);
void add_noise_command(CLI::App& app);
void add_train_command(CLI::App& app);
void add_sample_command(CLI::App& app);
void add_nll_command(CLI::App& app);
void add_info_command(CLI::App& app);
void add_score_command(CLI::App& app);
void add_classifier_command(CLI::App& app);
void add_export_command(CLI::App& app);
void add_checkpoints_command(CLI::App& app);
void add_bench_command(CLI::App& app);
void add_figure_command(CLI::App& app);
/// `ddpm figure rate-distortion` (its own file: it scores test data, unlike the sampled figures).
void add_rate_distortion_figure(CLI::App& figure);

}  // namespace ddpm::cli
