#include "config/sections.hpp"
#include "store/log_config.hpp"

namespace edgegw::config {
namespace {

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
  node.check_keys(
      {"directory", "segment_size", "fsync", "fsync_interval", "max_size", "when_full"});
  store::LogConfig log;
  log.directory = node.required("directory").as<std::string>();
  if (node.has("segment_size")) {
    log.segment_bytes = node.child("segment_size").as_bytes();
  }
  if (node.has("fsync")) {
    const std::string policy = node.child("fsync").as_choice({"always", "interval", "never"});
    log.fsync = policy == "always"     ? store::FsyncPolicy::always
                : policy == "interval" ? store::FsyncPolicy::interval
                                       : store::FsyncPolicy::never;
  }
  if (node.has("fsync_interval")) {
    log.fsync_interval = node.child("fsync_interval").as_duration();
  }
  if (node.has("max_size")) {
    log.max_bytes = node.child("max_size").as_bytes();
  }
  if (node.has("when_full")) {
    log.when_full = node.child("when_full").as_choice({"drop_oldest", "block"}) == "block"
                        ? store::FullPolicy::block
                        : store::FullPolicy::drop_oldest;
  }
  // The store's own rules, so that check-config refuses what opening the log would.
  if (const std::optional<store::LogConfigProblem> problem = store::find_log_config_problem(log)) {
    node.child(buffer_key(problem->field)).fail(problem->what);
  }
  return log;
}

}  // namespace edgegw::config
