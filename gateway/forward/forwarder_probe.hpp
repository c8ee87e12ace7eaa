#pragma once
// The forwarder's counters, read by /metrics from the HTTP thread while the forwarder
// thread writes them (relaxed atomics: each is an independent count).

#include <array>
#include <atomic>
#include <cstdint>

#include "edgegw/stream.hpp"

namespace edgegw::forward {

struct ForwarderProbe {
  std::array<std::atomic<std::uint64_t>, kStreamCount> produced{};  // log records, by stream
  // Log records Kafka acknowledged, by stream (of their topic).
  std::array<std::atomic<std::uint64_t>, kStreamCount> delivered{};
  std::atomic<std::uint64_t> delivery_retries{0};   // retriable failure: produced again
  std::atomic<std::uint64_t> delivery_failures{0};  // permanent failure: sent to dead letter
  std::atomic<std::uint64_t> loss_reports{0};       // damaged/dropped log ranges reported
  std::atomic<std::uint64_t> read_errors{0};
  std::atomic<std::uint64_t> commit_errors{0};
  std::atomic<std::uint64_t> in_flight{0};
  std::atomic<std::uint64_t> committed_offset{0};
  std::atomic<bool> brokers_down{false};
  // kafka.delivery: exactly_once only.
  std::atomic<std::uint64_t> transactions_committed{0};
  std::atomic<std::uint64_t> transactions_aborted{0};
  std::atomic<bool> transactions_stopped{false};  // fenced or otherwise fatal: not forwarding
};

}  // namespace edgegw::forward
