// `edgegw config-reference [SECTION]`: prints the reference tables of the config's keys,
// as docs/configuration.md holds them (a unit test keeps the two equal). Without a
// section, every table between the markers that hold it in the docs, ready to paste.

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "config/config_reference.hpp"

namespace edgegw::app {

void add_config_reference_command(CLI::App& app) {
  auto section = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("config-reference",
                                     "Print the reference tables of the config's keys (Markdown)");
  std::vector<std::string> names;
  for (std::string_view name : config::config_reference_sections()) {
    names.emplace_back(name);
  }
  cmd->add_option("section", *section, "Only this section's table")->check(CLI::IsMember(names));
  cmd->callback([section] {
    std::cout << (section->empty() ? config::config_reference_with_markers()
                                   : config::config_reference(*section));
  });
}

}  // namespace edgegw::app
