#pragma once
// The wall clock as Unix epoch milliseconds: the one place that reads it. Code whose
// behaviour depends on time takes "now" as a parameter, so that tests choose it; only
// the edges that have no caller to ask call this (the daemon's callbacks, commands, the
// log's append stamp, the forwarder's own records, the simulator, tests stamping
// payloads). Deadlines and intervals use std::chrono::steady_clock directly.

#include <chrono>
#include <cstdint>

namespace edgegw {

// Milliseconds since 1970-01-01T00:00:00Z (system_clock, so it may step backwards when
// the system time is set).
inline std::int64_t wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace edgegw
