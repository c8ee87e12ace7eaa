#pragma once
// One MQTT message as the generator produces it: where it goes and what it says, plus
// the event time and the device it came from (for pacing and bookkeeping, not sent).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "label.hpp"

namespace edgegw::sim {

struct Message {
  std::string topic;
  std::string payload;
  int qos = 1;
  std::int64_t event_ms = 0;
  std::size_t device = 0;  // index into FleetGenerator::devices()
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
