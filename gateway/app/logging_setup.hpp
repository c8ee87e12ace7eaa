#pragma once
// One log format for every subcommand: timestamp, level, sentence with key=value fields.

#include <string>
#include <vector>

namespace edgegw::app {

// The levels --log-level takes.
const std::vector<std::string>& log_levels();

// Makes the gateway's logger the default one, at info, before anything else logs: every
// line of every subcommand, the final error included, has the one format.
void setup_logging();

// `level` is one of log_levels(); throws std::invalid_argument on anything else.
void set_log_level(const std::string& level);

// The formats --log-format takes: `text` (the default) and `json`.
const std::vector<std::string>& log_formats();
// `format` is one of log_formats(); throws std::invalid_argument on anything else.
void set_log_format(const std::string& format);

}  // namespace edgegw::app
