#pragma once
// What the engine keeps per profile (compiled detectors) and per device (state).
// Internal to the engine; owned by Engine::Impl and touched only by its thread.
//
// Memory: a device is a DeviceState plus, per sensor, a SensorState and what its
// detectors allocate (the MAD ring: 8 bytes per window slot; the anomaly detector's
// history), plus the multivariate model (about 5 d^2 + 8 d doubles for d sensors).
// Engine::stats().state_bytes sums these estimates.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "anomaly/alert_gate.hpp"
#include "anomaly/detector_registry.hpp"
#include "anomaly/threshold_rule.hpp"
#include "anomaly/window_aggregator.hpp"
#include "edgegw/analytics/analytics_config.hpp"
#include "edgegw/analytics/engine.hpp"

namespace edgegw::analytics {

struct CompiledProfile {
  std::string name;
  ProfileConfig config;
  SensorDetectors sensor_detectors;
  DeviceDetectors device_detectors;
  std::vector<ThresholdRule> rules;

  CompiledProfile(std::string profile_name, const ProfileConfig& c, int max_dimension,
                  std::uint32_t clear_after_samples);
  // The per-sensor detectors that watch `sensor` (enabled and listed).
  [[nodiscard]] SensorDetectors::Watched sensor_detectors_watching(const std::string& sensor) const;
  // Whether `sensor` is the profile's operating state (watched by rules only).
  [[nodiscard]] bool is_operating_state(const std::string& sensor) const;
};

struct SensorState {
  std::string name;
  double last_value = 0.0;
  bool has_value = false;
  SensorDetectors::Watched watched = 0;  // which of sensor_detectors watch it
  SensorWindows windows;
  SensorDetectors::Slots detectors;  // each per-sensor detector's state and latest score
  DeviceDetectors::SensorParts device_detector_parts;  // what device-level ones keep of it
};

// The device's operating state as last reported, and until when a change of it holds
// the statistical detectors' reports (OperatingStateConfig).
struct OperatingState {
  double value = 0.0;
  bool known = false;
  std::int64_t settle_until_ms = 0;
};

struct DeviceState {
  std::string name;
  CompiledProfile* profile = nullptr;
  std::vector<SensorState> sensors;
  WindowClock clock;
  std::int64_t last_arrival_ms = 0;
  double interval_ms = 0.0;  // EWMA of arrival intervals (wall clock)
  std::uint32_t arrivals = 0;
  std::int64_t last_event_ms = 0;
  std::array<GateState, kDetectorKinds> gates;
  DeviceDetectors::States detectors;  // each device-level detector's state
  std::uint64_t samples = 0;          // scored samples, for the commissioning period
  std::int64_t first_event_ms = 0;
  OperatingState operating;
  std::vector<RuleState> rules;
  std::vector<GateState> rule_gates;
  std::vector<int> rule_sensors;  // index into `sensors`, -1 until the sensor is seen
  // Each rule's threshold for this device (a `meta.<name>` is the device's own; NaN when
  // its metadata lacks it). Not checkpointed: resolved again from the metadata when the
  // device is restored, so that a reloaded metadata file takes effect.
  std::vector<double> rule_thresholds;
  std::uint64_t bytes = 0;  // estimate, kept in step with the engine's total
};

std::uint64_t estimate_bytes(const DeviceState& d);

}  // namespace edgegw::analytics
