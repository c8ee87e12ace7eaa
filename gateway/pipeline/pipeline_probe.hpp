#pragma once
// Counters of the per-message path (ingest thread writes, /metrics reads).

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <string_view>

namespace edgegw::pipeline {

// Why a message went to the dead-letter stream: the reason of its first problem
// (mapping::Problem; `oversized` is the pipeline's own). A reason not listed here counts
// as `other`, so that a new one is never lost from the total.
inline constexpr std::array<std::string_view, 11> kDeadLetterReasons = {
    "no_mapping",     "decode_error", "oversized",  "no_readings",  "bad_timestamp", "bad_sequence",
    "unknown_sensor", "wrong_type",   "not_finite", "out_of_range", "other"};
// The problems that leave one reading out of its sample; the others concern the message.
inline constexpr std::array<std::string_view, 4> kReadingRejections = {
    "unknown_sensor", "wrong_type", "not_finite", "out_of_range"};

constexpr std::size_t dead_letter_reason_index(std::string_view reason) {
  const auto known = std::find(kDeadLetterReasons.begin(), kDeadLetterReasons.end() - 1, reason);
  return static_cast<std::size_t>(known - kDeadLetterReasons.begin());
}
// kReadingRejections.size() when `reason` is not about one reading.
constexpr std::size_t reading_rejection_index(std::string_view reason) {
  const auto found = std::find(kReadingRejections.begin(), kReadingRejections.end(), reason);
  return static_cast<std::size_t>(found - kReadingRejections.begin());
}

template <std::size_t N>
using CountersBy = std::array<std::atomic<std::uint64_t>, N>;

struct PipelineProbe {
  std::atomic<std::uint64_t> samples{0};
  std::atomic<std::uint64_t> readings{0};
  CountersBy<kDeadLetterReasons.size()> dead_letters{};       // messages, by first reason
  CountersBy<kReadingRejections.size()> rejected_readings{};  // readings, by reason
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

  [[nodiscard]] std::uint64_t dead_letters_total() const {
    std::uint64_t total = 0;
    for (const auto& count : dead_letters) {
      total += count.load();
    }
    return total;
  }
};

}  // namespace edgegw::pipeline
