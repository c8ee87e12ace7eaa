#pragma once
// Recovery at open: finds the segments, verifies the last one frame by frame and cuts
// off a torn tail, reads the cursor (falling back to the oldest record), and works out
// the next offset. Only the last segment is read in full, so the time to open depends on
// segment_bytes, not on the size of the log. See README.md, "Recovery".
//
// Runs on the owner's thread before any other thread touches the log.

#include <cstdint>
#include <memory>
#include <vector>

#include "edgegw/log.hpp"
#include "store/file_system.hpp"
#include "store/log_counters.hpp"
#include "store/segment.hpp"

namespace edgegw::store {

struct RecoveredLog {
  // Offset order. The last one is active: open read-write, published, not sealed.
  std::vector<std::shared_ptr<Segment>> segments;
  std::shared_ptr<File> active_file;  // read-write handle on segments.back()
  std::uint64_t cursor = 0;
  std::uint64_t end_offset = 0;
  std::uint64_t total_bytes = 0;
  std::int64_t oldest_unacked_ms = 0;  // append time of the first segment still unacked
  std::vector<DamageReport> damage;    // a torn tail, for the reader to report
};

// Makes the directory private and takes its lock (buffer_directory.hpp) before anything
// else reads it; the lock lasts as long as the returned file is open. Throws
// LogOpenError (`locked`, `unsafe_directory`, ...).
std::unique_ptr<File> claim_log_directory(FileSystem& fs, const LogConfig& config);

// Throws LogOpenError naming the directory or file when the log cannot be used at all.
RecoveredLog recover_log(FileSystem& fs, const LogConfig& config, LogCounters& counters);

}  // namespace edgegw::store
