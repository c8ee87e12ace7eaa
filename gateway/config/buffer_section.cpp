#include "config/option_table.hpp"
#include "config/sections.hpp"
#include "store/log_config.hpp"

namespace edgegw::config {
namespace {

using store::LogConfig;

const OptionTable<LogConfig>& buffer_options() {
  static const OptionTable<LogConfig> table = {
      text<LogConfig>("directory", &LogConfig::directory,
                      "Where segments and the cursor live; created if missing. One gateway per "
                      "directory.")
          .required(),
      byte_size<LogConfig>("segment_size", &LogConfig::segment_bytes,
                           between(static_cast<double>(store::kMinSegmentBytes),
                                   static_cast<double>(store::kMaxSegmentBytes)),
                           "Segment file size."),
      choice<LogConfig>(
          "fsync", &LogConfig::fsync,
          {{"always", store::FsyncPolicy::always},
           {"interval", store::FsyncPolicy::interval},
           {"never", store::FsyncPolicy::never}},
          "`always`: fsync before a message counts as stored; `interval`: at most "
          "`fsync_interval` of records at risk in a power cut; `never`: leave it to the OS. "
          "Process crashes lose nothing under any policy. See "
          "[delivery-guarantees.md](delivery-guarantees.md)."),
      duration<LogConfig>("fsync_interval", &LogConfig::fsync_interval, {}, "For `interval`."),
      byte_size<LogConfig>("max_size", &LogConfig::max_bytes, {},
                           "Cap on the log's bytes (at least two segments)."),
      choice<LogConfig>(
          "when_full", &LogConfig::when_full,
          {{"drop_oldest", store::FullPolicy::drop_oldest}, {"block", store::FullPolicy::block}},
          "What happens when the log reaches `max_size` or its disk is full. `block`: stop "
          "taking MQTT messages until Kafka drains the log (the broker keeps the backlog in the "
          "persistent session). `drop_oldest`: delete the oldest segments, keeping their alerts, "
          "then aggregates and predictions (appended again); count the rest, report the lost "
          "range on the dead-letter stream and raise a `health:log_dropped` alert. Details: "
          "[delivery-guarantees.md](delivery-guarantees.md#when-the-log-is-full)."),
  };
  return table;
}

// The key of the `buffer` section that sets a LogConfig member.
std::string_view buffer_key(store::LogConfigField field) {
  switch (field) {
    case store::LogConfigField::directory:
      return "directory";
    case store::LogConfigField::segment_bytes:
      return "segment_size";
    case store::LogConfigField::max_bytes:
      return "max_size";
    case store::LogConfigField::fsync_interval:
      return "fsync_interval";
  }
  return "";
}

}  // namespace

store::LogConfig parse_buffer_section(const ConfigNode& node) {
  LogConfig log;
  read_options(node, buffer_options(), log);
  // The store's own rules across keys, so that check-config refuses what opening the log
  // would.
  if (const std::optional<store::LogConfigProblem> problem = store::find_log_config_problem(log)) {
    node.child(buffer_key(problem->field)).fail(problem->what);
  }
  return log;
}

std::vector<OptionDoc> describe_buffer_section() {
  return describe_options(buffer_options());
}

}  // namespace edgegw::config
