#pragma once
// The sensors each device class carries: name, unit, how values are printed, the normal
// variation ("scale", the unit of anomaly magnitudes), measurement noise, the physically
// valid range, and how the JSON payload nests it. The order here is the order of CSV
// columns and of bare-number topics, and is documented in docs/firmware-sim.md.

#include <span>
#include <string_view>

#include "fleet_config.hpp"

namespace edgegw::sim {

struct SensorSpec {
  std::string_view name;
  std::string_view unit;
  int decimals = 2;        // digits after the point in payloads
  double scale = 1.0;      // typical variation; anomaly magnitudes are multiples of it
  double noise = 0.1;      // measurement noise, standard deviation
  double min_valid = 0.0;  // physically possible range; out_of_range payloads leave it
  double max_valid = 100.0;
  bool json_nested = false;  // JSON: {"value":x,"unit":u} instead of a bare number
};

inline constexpr std::size_t kMaxSensors = 8;

std::span<const SensorSpec> sensors_of(DeviceClass c);

}  // namespace edgegw::sim
