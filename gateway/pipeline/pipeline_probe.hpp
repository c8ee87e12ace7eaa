#pragma once
// Counters of the per-message path: written under the pipeline's lock (mostly the
// ingest thread; the ticker copies the device tables' counters and counts its own append
// errors), read by /metrics without it.

#include <array>
#include <atomic>
#include <cstdint>

#include "mapping/dead_letter_reason.hpp"

namespace edgegw::pipeline {

// The reasons that leave one reading out of its sample, counted per reading.
inline constexpr std::size_t kReadingRejectionCount =
    mapping::kDeadLetterReasonCount -
    static_cast<std::size_t>(mapping::DeadLetterReason::unknown_sensor);

constexpr std::size_t reason_index(mapping::DeadLetterReason reason) {
  return static_cast<std::size_t>(reason);
}
// Only for reasons where leaves_a_reading_out() holds.
constexpr std::size_t reading_rejection_index(mapping::DeadLetterReason reason) {
  return reason_index(reason) - reason_index(mapping::DeadLetterReason::unknown_sensor);
}

template <std::size_t N>
using CountersBy = std::array<std::atomic<std::uint64_t>, N>;

struct PipelineProbe {
  std::atomic<std::uint64_t> samples{0};
  std::atomic<std::uint64_t> readings{0};
  CountersBy<mapping::kDeadLetterReasonCount> dead_letters{};  // messages, by first reason
  CountersBy<kReadingRejectionCount> rejected_readings{};      // readings, by reason
  std::atomic<std::uint64_t> dead_letters_suppressed{0};       // over mqtt.dead_letter_rate
  // Payload timestamps beyond max_clock_skew / max_sample_age, by on_bad_timestamp.
  std::atomic<std::uint64_t> timestamps_rejected{0};  // dead_letter: message dead-lettered
  std::atomic<std::uint64_t> timestamps_replaced{0};  // arrival_time: kept at arrival time
  std::atomic<std::uint64_t> sequence_gaps{0};        // messages missing per device sequence
  std::atomic<std::uint64_t> sequence_repeats{0};
  std::atomic<std::uint64_t> sparkplug_seq_gaps{0};  // messages missing per Sparkplug node seq
  // kafka.delivery: exactly_once: repeats not stored (broker redeliveries).
  std::atomic<std::uint64_t> redeliveries_dropped{0};
  // The sequence tracker's device table (copied from its counters as they change).
  std::atomic<std::uint64_t> sequence_devices{0};
  std::atomic<std::uint64_t> sequence_devices_refused{0};  // messages of untracked devices
  std::atomic<std::uint64_t> sequence_devices_evicted{0};
  // The maintenance estimators' device tables, summed over the device classes.
  std::atomic<std::uint64_t> maintenance_devices{0};
  std::atomic<std::uint64_t> maintenance_devices_refused{0};  // samples without an estimate
  std::atomic<std::uint64_t> maintenance_devices_evicted{0};
  std::atomic<std::uint64_t> append_errors{0};  // failed attempts, retried unless fatal
  std::atomic<bool> storage_stalled{false};     // the log cannot be written right now
  std::atomic<std::uint64_t> blocked_waits{0};  // waits for log space (policy block)
  // Device metadata: the file's devices, samples of devices it does not list, and rules
  // that do not apply to a device for want of its `meta.<name>` (copied on the tick).
  std::atomic<std::uint64_t> metadata_devices{0};
  std::atomic<std::uint64_t> metadata_unknown_samples{0};
  std::atomic<std::uint64_t> rules_without_meta{0};

  [[nodiscard]] std::uint64_t dead_letters_total() const {
    std::uint64_t total = 0;
    for (const auto& count : dead_letters) {
      total += count.load();
    }
    return total;
  }
};

}  // namespace edgegw::pipeline
