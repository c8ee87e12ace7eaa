#pragma once
// Turns one tick of sensor values into payloads in the class's format (nested JSON,
// header-less CSV, or one bare number per topic), and corrupts a payload on purpose for
// the bad-payload faults. The exact formats are documented in docs/firmware-sim.md.
// Hand-formatted with fmt because these are fixed shapes written at high rates; no key
// or string value here ever needs JSON escaping.
//
// Stateless apart from its configuration; owned by a SimDevice.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "fleet_config.hpp"
#include "machine_model.hpp"
#include "rng.hpp"
#include "sensor_catalog.hpp"

namespace edgegw::sim {

struct TickValues {
  std::uint64_t seq = 0;
  std::int64_t ts_ms = 0;
  RunState state = RunState::running;
  std::span<const double> values;  // one per sensor, catalog order
};

// A deliberate fault in one payload. `sensor` is the sensor it affects (-1: none).
struct Corruption {
  BadPayloadKind kind = BadPayloadKind::malformed;
  int sensor = -1;
  std::size_t oversized_bytes = 0;
};

class PayloadEncoder {
 public:
  explicit PayloadEncoder(DeviceClass device_class);

  // JSON and CSV: the whole tick in one payload. `corrupt` may be null.
  void encode_json(const TickValues& t, const Corruption* corrupt, Rng& rng,
                   std::string& out) const;
  void encode_csv(const TickValues& t, const Corruption* corrupt, Rng& rng, std::string& out) const;
  // Bare format: the payload of sensor i alone.
  void encode_bare(double value, std::size_t sensor, const Corruption* corrupt,
                   std::string& out) const;

  // Values that no physical sensor of this kind can show.
  static double out_of_range_value(const SensorSpec& spec, Rng& rng);
  // Pads a payload with trailing spaces to the oversized size.
  static void pad(std::string& out, std::size_t bytes);

 private:
  void append_value(std::string& out, std::size_t sensor, double value) const;

  std::span<const SensorSpec> specs_;
};

}  // namespace edgegw::sim
