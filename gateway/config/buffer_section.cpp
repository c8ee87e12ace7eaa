#include "config/sections.hpp"

namespace edgegw::config {

store::LogConfig parse_buffer_section(const ConfigNode& node) {
  node.check_keys(
      {"directory", "segment_size", "fsync", "fsync_interval", "max_size", "when_full"});
  store::LogConfig log;
  log.directory = node.required("directory").as<std::string>();
  if (node.has("segment_size")) {
    log.segment_bytes = node.child("segment_size").as_bytes();
    if (log.segment_bytes < 4096) {
      node.child("segment_size").fail("must be at least 4KiB");
    }
  }
  if (node.has("fsync")) {
    const std::string policy = node.child("fsync").as_choice({"always", "interval", "never"});
    log.fsync = policy == "always"     ? store::FsyncPolicy::always
                : policy == "interval" ? store::FsyncPolicy::interval
                                       : store::FsyncPolicy::never;
  }
  if (node.has("fsync_interval")) {
    log.fsync_interval = node.child("fsync_interval").as_duration();
    if (log.fsync_interval.count() <= 0) {
      node.child("fsync_interval").fail("must be positive");
    }
  }
  if (node.has("max_size")) {
    log.max_bytes = node.child("max_size").as_bytes();
  }
  if (log.max_bytes < 2 * log.segment_bytes) {
    node.child(node.has("max_size") ? "max_size" : "segment_size")
        .fail("max_size must hold at least two segments (segment_size)");
  }
  if (node.has("when_full")) {
    log.when_full = node.child("when_full").as_choice({"drop_oldest", "block"}) == "block"
                        ? store::FullPolicy::block
                        : store::FullPolicy::drop_oldest;
  }
  return log;
}

}  // namespace edgegw::config
