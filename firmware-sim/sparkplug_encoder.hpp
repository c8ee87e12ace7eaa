#pragma once
// Sparkplug B payloads of a simulated device, encoded with the schema's generated
// classes (gateway/sparkplug, the same the gateway decodes with): a DBIRTH declares
// every sensor and the run state as a metric with its name, alias and type; DDATA sends
// them by alias alone; DDEATH carries none. An edge node's NBIRTH and NDEATH carry its
// bdSeq. Values are rounded to the sensor's decimals, as the text formats print them.
//
// One per Sparkplug device (SimDevice); reuses its protobuf message between payloads.

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "payload_encoder.hpp"
#include "sensor_catalog.hpp"

namespace edgegw::sparkplug::proto {
class Payload;
}

namespace edgegw::sim {

class SparkplugEncoder {
 public:
  explicit SparkplugEncoder(DeviceClass device_class);
  ~SparkplugEncoder();
  SparkplugEncoder(SparkplugEncoder&&) noexcept;
  SparkplugEncoder& operator=(SparkplugEncoder&&) noexcept;

  void device_birth(const TickValues& t, std::uint64_t seq, std::string& out);
  void device_data(const TickValues& t, std::uint64_t seq, std::string& out);
  void device_death(std::int64_t ts_ms, std::uint64_t seq, std::string& out);

  static void node_birth(std::int64_t ts_ms, std::uint64_t bd_seq, std::string& out);
  static void node_death(std::int64_t ts_ms, std::uint64_t bd_seq, std::string& out);

  // The name of the run-state metric (0 idle, 1 running, 2 fault, as in the other formats).
  static constexpr std::string_view kStateMetric = "state";

 private:
  void fill(const TickValues& t, std::uint64_t seq, bool with_names);

  std::span<const SensorSpec> specs_;
  std::unique_ptr<sparkplug::proto::Payload> payload_;
};

}  // namespace edgegw::sim
