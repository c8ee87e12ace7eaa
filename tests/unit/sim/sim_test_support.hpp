#pragma once
// Helpers shared by the simulator's tests: run a generator for a while and decode what it
// produced, the way a downstream consumer would (from payloads, not from internals).

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fleet_config.hpp"
#include "fleet_generator.hpp"
#include "message.hpp"

namespace edgegw::sim::test {

struct Generated {
  std::vector<Message> messages;
  std::vector<Label> labels;
};

// Runs `ticks` device ticks and closes the run (labels include summaries).
Generated generate(const FleetConfig& config, std::size_t ticks);

// A small fleet: one device per listed class on one site, one message per second.
FleetConfig small_fleet(std::vector<DeviceClass> classes, std::uint64_t seed);
// Turns off every anomaly, field fault and bad payload.
void quiet(FleetConfig& config);
// Pearson correlation of two series of equal length.
double correlation(const std::vector<double>& x, const std::vector<double>& y);

// One decoded tick of one device (JSON and CSV payloads; bare topics are grouped by seq).
struct DecodedTick {
  std::string device;
  std::uint64_t seq = 0;
  std::int64_t ts_ms = 0;
  int state = 1;  // 0 idle, 1 running, 2 fault
  std::map<std::string, double> values;
};

// The device id from a topic laid out as factory/{site}/{class}/{device}/...
std::string device_of(const std::string& topic);
// Decodes every tick; payloads that do not decode (bad payloads) are skipped.
std::vector<DecodedTick> decode_all(const std::vector<Message>& messages);

}  // namespace edgegw::sim::test
