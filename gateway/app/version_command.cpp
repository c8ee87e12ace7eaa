// `edgegw version`: the same line as `edgegw --version`, for scripts and support
// requests that expect a subcommand.

#include <CLI/CLI.hpp>

#include <iostream>

#include "app/commands.hpp"
#include "edgegw/build_info.hpp"

namespace edgegw::app {

void add_version_command(CLI::App& app) {
  CLI::App* cmd =
      app.add_subcommand("version", "Print the version and the commit it was built from");
  cmd->callback([] { std::cout << version_line("edgegw") << '\n'; });
}

}  // namespace edgegw::app
