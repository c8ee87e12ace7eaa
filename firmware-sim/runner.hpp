#pragma once
// Drives a FleetGenerator into a MessageSink: paces messages in real time or at a target
// rate on a simulated clock, stops on a message count, a duration or a stop request,
// writes the labels file, and reports what it achieved.
//
// Runs on the caller's thread; `stop` may be set from a signal handler.

#include <atomic>
#include <cstdint>
#include <optional>
#include <ostream>

#include "fleet_generator.hpp"
#include "message_sink.hpp"

namespace edgegw::sim {

enum class Pacing : std::uint8_t {
  real_time,    // event time follows the wall clock
  accelerated,  // simulated clock; messages go out at `rate` per second (0: no limit)
};

struct RunOptions {
  Pacing pacing = Pacing::accelerated;
  double rate = 0.0;  // messages per second in accelerated mode; 0 means as fast as possible
  std::optional<std::uint64_t> max_messages;
  std::optional<std::int64_t> duration_ms;  // of event time
  std::ostream* labels = nullptr;           // JSON lines; null: no labels file
  std::chrono::milliseconds flush_timeout{10000};
};

struct RunStats {
  std::uint64_t messages = 0;
  std::uint64_t ticks = 0;
  std::uint64_t bytes = 0;
  std::uint64_t labels = 0;
  std::uint64_t undelivered = 0;  // still unacknowledged when the flush timed out
  double wall_seconds = 0.0;
  std::int64_t first_event_ms = 0;
  std::int64_t last_event_ms = 0;
  bool stopped = false;  // by a stop request rather than a limit

  [[nodiscard]] double rate() const {
    return wall_seconds > 0.0 ? static_cast<double>(messages) / wall_seconds : 0.0;
  }
};

RunStats run_fleet(FleetGenerator& generator, MessageSink& sink, const RunOptions& options,
                   const std::atomic<bool>& stop);

}  // namespace edgegw::sim
