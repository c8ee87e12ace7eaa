#pragma once
// MQTT ingest counters, written by Paho's threads and read by /metrics.

#include <array>
#include <atomic>
#include <cstdint>

#include "edgegw/mqtt_session.hpp"

namespace edgegw::metrics {
class Sink;
}

namespace edgegw::ingest {

struct IngestProbe {
  std::atomic<std::uint64_t> messages{0};
  std::atomic<std::uint64_t> bytes{0};
  std::atomic<std::uint64_t> connects{0};
  std::atomic<std::uint64_t> connection_losses{0};
  std::atomic<std::uint64_t> connect_failures{0};
  std::atomic<std::uint64_t> callback_errors{0};
  std::atomic<std::uint64_t> subscriptions_refused{0};
  std::atomic<bool> connected{false};
  // Subscribed and not refused since: with `connected`, what /readyz asks of MQTT.
  std::atomic<bool> subscribed{false};

  // Reason codes the broker sent, by packet and code (a code is one byte).
  static constexpr int kCodes = 256;
  std::array<std::array<std::atomic<std::uint64_t>, kCodes>, kBrokerPacketCount> reason_codes{};

  void count_reason_code(BrokerPacket packet, int code) {
    if (code >= 0 && code < kCodes) {
      ++reason_codes.at(static_cast<std::size_t>(packet)).at(static_cast<std::size_t>(code));
    }
  }
};

// Names, types and documents each counter above (ingest_metrics.cpp).
void report_metrics(const IngestProbe& p, metrics::Sink& sink);

}  // namespace edgegw::ingest
