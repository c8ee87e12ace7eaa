#pragma once
// Counters of the per-message path (ingest thread writes, /metrics reads).

#include <atomic>
#include <cstdint>

namespace edgegw::pipeline {

struct PipelineProbe {
  std::atomic<std::uint64_t> messages{0};
  std::atomic<std::uint64_t> samples{0};
  std::atomic<std::uint64_t> readings{0};
  std::atomic<std::uint64_t> dead_letters{0};
  std::atomic<std::uint64_t> unmapped{0};
  std::atomic<std::uint64_t> decode_errors{0};
  std::atomic<std::uint64_t> rejected_readings{0};  // readings left out of their sample
  // Payload timestamps beyond max_clock_skew / max_sample_age, by on_bad_timestamp.
  std::atomic<std::uint64_t> timestamps_rejected{0};  // dead_letter: message dead-lettered
  std::atomic<std::uint64_t> timestamps_replaced{0};  // arrival_time: kept at arrival time
  std::atomic<std::uint64_t> sequence_gaps{0};        // messages missing per device sequence
  std::atomic<std::uint64_t> sequence_repeats{0};
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
};

}  // namespace edgegw::pipeline
