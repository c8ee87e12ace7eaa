#pragma once
// One MQTT message as the generator produces it: where it goes and what it says, plus
// the event time and the device it came from (for pacing and bookkeeping, not sent).

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "label.hpp"

namespace edgegw::sim {

struct Message {
  static constexpr std::size_t kOwnConnection = std::numeric_limits<std::size_t>::max();

  std::string topic;
  std::string payload;
  int qos = 1;
  std::int64_t event_ms = 0;
  std::size_t device = 0;  // index into FleetGenerator::devices()
  bool binary = false;     // protobuf (Sparkplug B): a dry run writes it as base64
  // The device whose connection carries it (--connections): its own, or for Sparkplug
  // B its edge node's first device, so that a node's births come before its data.
  std::size_t connection_of = kOwnConnection;
  [[nodiscard]] std::size_t ordering_device() const {
    return connection_of == kOwnConnection ? device : connection_of;
  }
};

// What one device tick produced. Reused across ticks by the caller to avoid allocation.
struct TickOutput {
  std::vector<Message> messages;
  std::vector<Label> labels;
  std::int64_t event_ms = 0;

  void clear() {
    messages.clear();
    labels.clear();
  }
};

}  // namespace edgegw::sim
