#pragma once
// After a crash the broker delivers again the QoS 1 messages the gateway had stored but
// not yet acknowledged. With kafka.delivery: exactly_once the pipeline drops them by
// their device sequence number, which needs each device's last stored number from before
// the crash: it is recalled from the telemetry records at the log's tail.
//
// The bound: the last kRecallRecords records the log still holds. The broker redelivers
// only its in-flight window (mosquitto's max_inflight_messages, 20 by default), which
// are the newest records, unless a segment deleted after Kafka acknowledged it held them
// (a segment roll between storing and the crash).

#include <cstddef>
#include <cstdint>

#include "edgegw/log.hpp"
#include "pipeline/sequence_tracker.hpp"

namespace edgegw::pipeline {

inline constexpr std::size_t kRecallRecords = 10'000;

struct RecallResult {
  std::size_t records = 0;  // telemetry records read that carry a sequence number
  std::size_t devices = 0;  // devices the tracker knows afterwards
};

// Owner's thread, before the forwarder (the log's reader) runs.
RecallResult recall_sequences(store::DurableLog& log, SequenceTracker& tracker,
                              std::int64_t now_ms);

}  // namespace edgegw::pipeline
