#pragma once
// Validation of edgegw::store::LogConfig (declared in edgegw/log.hpp): the one set of
// rules, run by open() and by the config loader, so that `check-config` refuses exactly
// what the daemon would.

#include <optional>
#include <string>
#include <string_view>

#include "edgegw/log.hpp"

namespace edgegw::store {

// The LogConfig member a problem is about, so that the config loader can point at the
// key the user wrote (buffer.segment_size) rather than at the member's name.
enum class LogConfigField { directory, segment_bytes, max_bytes, fsync_interval };

struct LogConfigProblem {
  LogConfigField field;
  std::string what;  // reads after the field's name: "must be between 4KiB and 256MiB"
};

// The member's name in LogConfig, for messages to programs that build a LogConfig.
std::string_view log_config_field_name(LogConfigField field);

// The first value of `config` that cannot work, or nothing.
std::optional<LogConfigProblem> find_log_config_problem(const LogConfig& config);

// Throws std::runtime_error naming the member when a LogConfig value cannot work.
void validate_log_config(const LogConfig& config);

}  // namespace edgegw::store
