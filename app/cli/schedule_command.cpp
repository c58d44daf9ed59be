#include "app/cli/cli_support.h"
#include "app/cli/commands.h"
#include "core/io/atomic_file.h"
#include "core/schedule/schedule_table.h"

#include <iostream>
#include <memory>

namespace ddpm::cli {

void add_schedule_command(CLI::App& app) {
  struct Options {
    ScheduleOptions schedule;
    std::string format = "csv";
    std::string out;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand("schedule", "Print a noise schedule and every quantity derived from it");
  options->schedule.add_to(*command);
  command->add_option("--format", options->format, "Output format")
      ->check(CLI::IsMember({"csv", "json"}))
      ->capture_default_str();
  command->add_option("--out", options->out, "Write to FILE instead of standard output");
  command->callback([options] {
    check_outputs({{"--out", options->out}}, {{"--betas-file", options->schedule.betas_file}});
    const NoiseSchedule schedule = options->schedule.schedule();
    print_warnings(schedule);
    const std::string text = options->format == "json" ? schedule_to_json(schedule) : schedule_to_csv(schedule);
    if (options->out.empty())
      std::cout << text;
    else
      write_file_atomically(options->out, text);
  });
}

}  // namespace ddpm::cli
