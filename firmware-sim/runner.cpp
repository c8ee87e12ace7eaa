#include "runner.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <thread>

namespace edgegw::sim {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPacingSlack = std::chrono::milliseconds(1);

// Sleeps until `when` in slices, so that a stop request is seen within 100 ms.
void sleep_until(Clock::time_point when, const std::atomic<bool>& stop) {
  for (auto now = Clock::now(); now < when && !stop.load(); now = Clock::now()) {
    std::this_thread::sleep_for(
        std::min<Clock::duration>(when - now, std::chrono::milliseconds(100)));
  }
}

void write_labels(std::ostream* out, const std::vector<Label>& labels, RunStats& stats) {
  if (out == nullptr) {
    return;
  }
  for (const Label& l : labels) {
    *out << to_json_line(l) << '\n';
  }
  if (!labels.empty()) {
    out->flush();  // a live run's ground truth can be followed (tail -f, the demo)
  }
  stats.labels += labels.size();
}

}  // namespace

RunStats run_fleet(FleetGenerator& generator, MessageSink& sink, const RunOptions& options,
                   const std::atomic<bool>& stop) {
  RunStats stats;
  const FleetConfig& cfg = generator.config();
  if (options.labels != nullptr) {
    nlohmann::ordered_json head{{"type", "run"},
                                {"seed", cfg.seed},
                                {"start_ms", cfg.start_ms},
                                {"devices", cfg.device_count()}};
    *options.labels << head.dump() << '\n';
  }
  const auto wall_start = Clock::now();
  const std::int64_t end_ms = options.duration_ms ? cfg.start_ms + *options.duration_ms : INT64_MAX;
  const std::uint64_t max_messages = options.max_messages.value_or(UINT64_MAX);
  stats.first_event_ms = generator.peek_ms();
  stats.last_event_ms = stats.first_event_ms;

  TickOutput tick;
  bool done = false;
  while (!done && !stop.load() && stats.messages < max_messages && generator.peek_ms() < end_ms) {
    const std::int64_t event_ms = generator.peek_ms();
    if (options.pacing == Pacing::real_time) {
      sleep_until(wall_start + std::chrono::milliseconds(event_ms - cfg.start_ms), stop);
    }
    generator.next(tick);
    ++stats.ticks;
    stats.last_event_ms = event_ms;
    for (std::size_t i = 0; i < tick.messages.size(); ++i) {
      const Message& m = tick.messages[i];
      const bool limit = stats.messages >= max_messages;
      if (!limit && options.pacing == Pacing::accelerated && options.rate > 0.0) {
        const auto due =
            wall_start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                             static_cast<double>(stats.messages) / options.rate));
        // Sleep only when a millisecond ahead: one sleep per message would cost a
        // syscall and a context switch each, for no visible smoothness.
        if (due - Clock::now() > kPacingSlack) {
          sleep_until(due, stop);
        }
      }
      if (limit || !sink.publish(m)) {
        // Stopped mid-tick: the rest of this tick is never published.
        for (std::size_t j = i; j < tick.messages.size(); ++j) {
          generator.unsent(tick.messages[j]);
        }
        done = true;
        break;
      }
      ++stats.messages;
      stats.bytes += m.payload.size();
    }
    write_labels(options.labels, tick.labels, stats);
  }
  // A clean shutdown's last words (Sparkplug NDEATHs), even after a stop request.
  generator.stop(tick);
  for (const Message& m : tick.messages) {
    if (!sink.publish(m)) {
      generator.unsent(m);
      continue;
    }
    ++stats.messages;
    stats.bytes += m.payload.size();
  }
  stats.stopped = stop.load();
  stats.undelivered = sink.flush(options.flush_timeout);
  stats.wall_seconds = std::chrono::duration<double>(Clock::now() - wall_start).count();
  std::vector<Label> closing;
  generator.finish(closing);
  write_labels(options.labels, closing, stats);
  if (options.labels != nullptr) {
    options.labels->flush();
  }
  return stats;
}

}  // namespace edgegw::sim
