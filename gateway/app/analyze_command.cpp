// Placeholder until the analyze command lands.
#include <CLI/CLI.hpp>

#include "app/commands.hpp"

namespace edgegw::app {

void add_analyze_command(CLI::App& app) { (void)app; }

}  // namespace edgegw::app
