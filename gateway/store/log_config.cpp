#include "store/log_config.hpp"

#include <fmt/format.h>

#include <stdexcept>
#include <string>

namespace edgegw::store {

namespace {

constexpr std::uint64_t kMinSegmentBytes = 4U << 10;
// Segment extents pack bytes and record count into one word (Segment::kBytesBits); this
// bound keeps the count of even the smallest records within its 24 bits.
constexpr std::uint64_t kMaxSegmentBytes = 256U << 20;

}  // namespace

void validate_log_config(const LogConfig& config) {
  auto bad = [](const std::string& what) {
    throw std::runtime_error("invalid log config: " + what);
  };
  if (config.directory.empty()) {
    bad("store.directory must name a directory");
  }
  if (config.segment_bytes < kMinSegmentBytes || config.segment_bytes > kMaxSegmentBytes) {
    bad(fmt::format("store.segment_bytes must be between {} and {} (got {})", kMinSegmentBytes,
                    kMaxSegmentBytes, config.segment_bytes));
  }
  if (config.max_bytes < 2 * config.segment_bytes) {
    bad(fmt::format("store.max_bytes must be at least twice store.segment_bytes (got {} and {})",
                    config.max_bytes, config.segment_bytes));
  }
  if (config.fsync == FsyncPolicy::interval && config.fsync_interval.count() <= 0) {
    bad("store.fsync_interval must be positive when store.fsync is interval");
  }
}

}  // namespace edgegw::store
