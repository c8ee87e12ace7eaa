// `edgegw metrics-reference`: prints the table of every metric /metrics can export, as
// docs/operations.md holds it (a unit test keeps the two equal).

#include <CLI/CLI.hpp>

#include <iostream>

#include "app/commands.hpp"
#include "app/metrics_report.hpp"

namespace edgegw::app {

void add_metrics_reference_command(CLI::App& app) {
  CLI::App* cmd = app.add_subcommand(
      "metrics-reference", "Print the reference table of the /metrics metrics (Markdown)");
  cmd->callback([] { std::cout << metrics_reference(); });
}

}  // namespace edgegw::app
