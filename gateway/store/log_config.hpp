#pragma once
// Validation of edgegw::store::LogConfig (declared in edgegw/log.hpp): the one set of
// rules, run by open() and by the config loader, so that `check-config` refuses exactly
// what the daemon would.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "edgegw/log.hpp"

namespace edgegw::store {

// Bounds of a segment's size, public so that the config's reference shows them.
inline constexpr std::uint64_t kMinSegmentBytes = 4U << 10;
// Segment extents pack bytes and record count into one word (Segment::kBytesBits); this
// bound keeps the count of even the smallest records within its 24 bits.
inline constexpr std::uint64_t kMaxSegmentBytes = 256U << 20;

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
