#pragma once
// The whole fleet as one deterministic sequence of device ticks in event-time order (ties
// broken by device index). Generation is pure: no MQTT, no files, no wall clock; the
// sequence of (topic, payload) depends only on the fleet configuration (seed included).
// Publishing, pacing and label files are the runner's business.
//
// Owns its devices; single-threaded.

#include <cstdint>
#include <functional>
#include <memory>
#include <queue>
#include <utility>
#include <vector>

#include "fleet_config.hpp"
#include "message.hpp"
#include "sim_device.hpp"
#include "sparkplug_node.hpp"

namespace edgegw::sim {

class FleetGenerator {
 public:
  // Validates the configuration (throws FleetConfigError).
  explicit FleetGenerator(const FleetConfig& config);

  // Clears `out`, then fills it with the next device tick (possibly no messages, when
  // the device is in a dropout) and the labels it closed.
  void next(TickOutput& out);
  // Event time of the tick next() would produce.
  [[nodiscard]] std::int64_t peek_ms() const { return queue_.top().first; }

  // End of run, before the last flush: the messages of a clean shutdown (each born
  // Sparkplug edge node's NDEATH). Clears `out` first.
  void stop(TickOutput& out);
  // End of run: closes open windows and appends one summary per device.
  void finish(std::vector<Label>& labels);
  // The caller did not publish `m` after all (stopped mid-tick).
  void unsent(const Message& m) { devices_.at(m.device).unsent(); }

  [[nodiscard]] const std::vector<SimDevice>& devices() const { return devices_; }
  [[nodiscard]] const FleetConfig& config() const { return config_; }

 private:
  using Entry = std::pair<std::int64_t, std::size_t>;  // (next tick ms, device index)

  SparkplugNode* node_for(const ClassConfig& cls, int i, std::size_t index);

  FleetConfig config_;
  std::vector<std::unique_ptr<SparkplugNode>> nodes_;  // stable: devices point at them
  std::vector<SimDevice> devices_;
  std::int64_t last_ms_ = 0;  // event time of the last tick
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue_;
};

}  // namespace edgegw::sim
