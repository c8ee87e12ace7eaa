// Placeholder until the train command lands.
#include <CLI/CLI.hpp>

#include "app/commands.hpp"

namespace edgegw::app {

void add_train_command(CLI::App& app) { (void)app; }

}  // namespace edgegw::app
