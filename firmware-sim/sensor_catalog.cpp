#include "sensor_catalog.hpp"

#include <array>

namespace edgegw::sim {
namespace {

// name, unit, decimals, scale, noise, min_valid, max_valid, json_nested
constexpr std::array<SensorSpec, 6> kPump{{
    {"flow", "m3/h", 2, 4.0, 0.4, 0.0, 150.0, true},
    {"pressure", "bar", 3, 0.4, 0.03, 0.0, 16.0, false},
    {"current", "A", 2, 2.0, 0.25, 0.0, 80.0, false},
    {"bearing_temp", "degC", 2, 1.5, 0.15, -40.0, 150.0, true},
    {"vibration", "mm/s", 3, 0.3, 0.05, 0.0, 50.0, false},
    {"power", "kW", 2, 1.0, 0.1, 0.0, 60.0, false},
}};

constexpr std::array<SensorSpec, 5> kMotor{{
    {"current", "A", 2, 3.0, 0.3, 0.0, 120.0, false},
    {"voltage", "V", 1, 3.0, 1.0, 0.0, 500.0, false},
    {"speed", "rpm", 1, 60.0, 3.0, 0.0, 3000.0, false},
    {"temperature", "degC", 2, 2.0, 0.2, -40.0, 180.0, false},
    {"vibration", "mm/s", 3, 0.3, 0.05, 0.0, 50.0, false},
}};

constexpr std::array<SensorSpec, 6> kCompressor{{
    {"discharge_pressure", "bar", 3, 0.3, 0.03, 0.0, 16.0, false},
    {"suction_pressure", "bar", 3, 0.05, 0.01, 0.0, 4.0, false},
    {"current", "A", 2, 4.0, 0.5, 0.0, 200.0, false},
    {"discharge_temp", "degC", 2, 2.0, 0.25, -40.0, 200.0, false},
    {"oil_temp", "degC", 2, 1.5, 0.15, -40.0, 150.0, false},
    {"vibration", "mm/s", 3, 0.4, 0.06, 0.0, 50.0, false},
}};

// Soil moisture as volumetric water content; battery: one Li-ion cell.
constexpr std::array<SensorSpec, 4> kField{{
    {"soil_moisture", "%", 1, 2.0, 0.3, 0.0, 60.0, false},
    {"air_temp", "degC", 1, 1.5, 0.2, -40.0, 60.0, false},
    {"humidity", "%", 1, 4.0, 1.0, 0.0, 100.0, false},
    {"battery", "V", 3, 0.05, 0.005, 0.0, 5.0, false},
}};

}  // namespace

std::span<const SensorSpec> sensors_of(DeviceClass c) {
  switch (c) {
    case DeviceClass::pump:
      return kPump;
    case DeviceClass::motor:
      return kMotor;
    case DeviceClass::compressor:
      return kCompressor;
    case DeviceClass::field:
      return kField;
  }
  return {};
}

}  // namespace edgegw::sim
