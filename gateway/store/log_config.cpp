#include "store/log_config.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace edgegw::store {

std::string_view log_config_field_name(LogConfigField field) {
  switch (field) {
    case LogConfigField::directory:
      return "directory";
    case LogConfigField::segment_bytes:
      return "segment_bytes";
    case LogConfigField::max_bytes:
      return "max_bytes";
    case LogConfigField::fsync_interval:
      return "fsync_interval";
  }
  return "?";
}

std::optional<LogConfigProblem> find_log_config_problem(const LogConfig& config) {
  if (config.directory.empty()) {
    return LogConfigProblem{LogConfigField::directory, "must name a directory"};
  }
  if (config.segment_bytes < kMinSegmentBytes || config.segment_bytes > kMaxSegmentBytes) {
    return LogConfigProblem{
        LogConfigField::segment_bytes,
        fmt::format("must be between {}KiB and {}MiB (got {} bytes)", kMinSegmentBytes >> 10,
                    kMaxSegmentBytes >> 20, config.segment_bytes)};
  }
  if (config.max_bytes < 2 * config.segment_bytes) {
    return LogConfigProblem{
        LogConfigField::max_bytes,
        fmt::format("must hold at least two segments of {} bytes (got {} bytes)",
                    config.segment_bytes, config.max_bytes)};
  }
  if (config.fsync == FsyncPolicy::interval && config.fsync_interval.count() <= 0) {
    return LogConfigProblem{LogConfigField::fsync_interval,
                            "must be positive when fsync is interval"};
  }
  return std::nullopt;
}

void validate_log_config(const LogConfig& config) {
  if (const std::optional<LogConfigProblem> problem = find_log_config_problem(config)) {
    throw std::runtime_error(fmt::format("invalid log config: store.{} {}",
                                         log_config_field_name(problem->field), problem->what));
  }
}

}  // namespace edgegw::store
