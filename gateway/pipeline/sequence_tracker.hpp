#pragma once
// Counts gaps and repeats in the per-device sequence numbers that devices send, so that
// loss upstream of the gateway (a broker dropping messages for a slow subscriber, a
// device buffer overflowing) becomes visible. Used under the pipeline's lock only (the
// ingest thread per message, the ticker's eviction); memory is bounded by a device cap,
// and devices silent for a day are forgotten, so that a fleet whose devices come and go
// never fills the table.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "edgegw/device_table.hpp"

namespace edgegw::pipeline {

class SequenceTracker {
 public:
  // A device's state is a number and its name: 100 000 of them are a few MiB. A device
  // back after a day's silence starts afresh (a gap across the silence is not counted).
  static constexpr DeviceTableLimits kDefaultLimits{100'000, 86'400'000};

  explicit SequenceTracker(DeviceTableLimits limits = kDefaultLimits) : last_(limits) {}

  struct Change {
    std::uint64_t missing = 0;  // numbers skipped since the previous message
    bool repeated = false;      // a number at or below the previous one (not 0 or 1:
                                // those are a device restarting its count)
  };
  // `now_ms`: arrival time, which idle eviction counts from.
  Change observe(std::string_view device, std::int64_t sequence, std::int64_t now_ms);
  // Takes `sequence` as the device's last number if it is higher than the one known
  // (numbers recalled from the log at start, sequence_recall.hpp).
  void remember(std::string_view device, std::int64_t sequence, std::int64_t now_ms);
  // Forgets the devices without a sequence number for the idle time (the daemon's tick).
  void evict_idle(std::int64_t now_ms) { last_.evict_idle(now_ms); }

  [[nodiscard]] std::size_t devices() const { return last_.size(); }
  [[nodiscard]] const DeviceTableCounters& counters() const { return last_.counters(); }

 private:
  DeviceTable<std::int64_t> last_;
};

}  // namespace edgegw::pipeline
