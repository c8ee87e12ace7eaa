#pragma once
// One log format for every subcommand: timestamp, level, sentence with key=value fields.

#include <string>

namespace edgegw::app {

// `level` is trace, debug, info, warn, error or critical; throws on anything else.
void setup_logging(const std::string& level);

}  // namespace edgegw::app
