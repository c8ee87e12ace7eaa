// Compiling a profile's configuration into scorers, and the config's validation.

#include <algorithm>
#include <cmath>
#include <string>

#include "anomaly/device_state.hpp"

namespace edgegw::analytics {

std::string_view detector_name(DetectorKind kind) {
  switch (kind) {
    case DetectorKind::ewma:
      return "ewma";
    case DetectorKind::mad:
      return "mad";
    case DetectorKind::rate:
      return "rate";
    case DetectorKind::stuck:
      return "stuck";
    case DetectorKind::silence:
      return "silence";
    case DetectorKind::mahalanobis:
      return "mahalanobis";
    case DetectorKind::pca:
      return "pca";
    case DetectorKind::anomaly:
      return "anomaly";
    case DetectorKind::offline:
      return "offline";
  }
  return "unknown";
}

std::span<const DetectorKind> scored_detectors() {
  static const std::vector<DetectorKind> kinds = [] {
    std::vector<DetectorKind> all;
    SensorDetectors::for_each_type(
        [&](auto unit, auto) { all.push_back(decltype(unit)::type::kKind); });
    DeviceDetectors::for_each_type([&](auto unit, auto) {
      for (const DetectorKind kind : decltype(unit)::type::kScoreKinds) {
        all.push_back(kind);
      }
    });
    return all;
  }();
  return kinds;
}

CompiledProfile::CompiledProfile(std::string profile_name, const ProfileConfig& c,
                                 int max_dimension, std::uint32_t clear_after_samples)
    : name(std::move(profile_name)),
      config(c),
      sensor_detectors(c),
      device_detectors(c, EngineSettings{max_dimension, clear_after_samples}) {
  for (const RuleConfig& r : c.rules) {
    rules.emplace_back(r);
  }
}

bool lists_sensor(const std::vector<std::string>& sensors, const std::string& sensor) {
  return sensors.empty() || std::find(sensors.begin(), sensors.end(), sensor) != sensors.end();
}

bool CompiledProfile::is_operating_state(const std::string& sensor) const {
  return !config.operating_state.sensor.empty() && sensor == config.operating_state.sensor;
}

SensorDetectors::Watched CompiledProfile::sensor_detectors_watching(
    const std::string& sensor) const {
  return SensorDetectors::watching(config, sensor, is_operating_state(sensor));
}

std::uint64_t estimate_bytes(const DeviceState& d) {
  std::uint64_t bytes = sizeof(DeviceState) + 64;  // + hash node and bucket
  bytes += d.name.capacity();
  for (const SensorState& s : d.sensors) {
    bytes += sizeof(SensorState) + s.name.capacity();
    SensorDetectors::for_each_type([&](auto unit, auto index) {
      using Unit = typename decltype(unit)::type;
      bytes += heap_bytes<Unit>(std::get<decltype(index)::value>(s.detectors).state);
    });
    d.profile->device_detectors.each_sensor_part(
        s.device_detector_parts,
        [&](const auto& unit, const auto& part, auto) { bytes += unit.sensor_heap_bytes(part); });
  }
  DeviceDetectors::for_each_type([&](auto unit, auto index) {
    using Unit = typename decltype(unit)::type;
    bytes += Unit::heap_bytes(std::get<decltype(index)::value>(d.detectors));
  });
  bytes +=
      d.rules.capacity() * (sizeof(RuleState) + sizeof(GateState) + sizeof(int) + sizeof(double));
  return bytes;
}

namespace {

void validate_profile(const std::string& name, const ProfileConfig& p,
                      std::vector<std::string>& errors) {
  ConfigChecker c{errors, "analytics.profiles." + name + "."};
  SensorDetectors::for_each_type([&](auto unit, std::size_t) {
    using Unit = typename decltype(unit)::type;
    Unit::validate(Unit::config_of(p), c);
  });
  c.range("silence.intervals", p.silence.intervals, 1.0, 1e6);
  DeviceDetectors::for_each_type([&](auto unit, std::size_t) {
    using Unit = typename decltype(unit)::type;
    Unit::validate(Unit::config_of(p), c);
  });
  c.range("baseline.duration", static_cast<double>(p.baseline.duration_ms), 0.0, 1e15);
  if (p.baseline.freeze && p.baseline.samples == 0 && p.baseline.duration_ms == 0) {
    errors.push_back(c.prefix +
                     "baseline.freeze: needs a commissioning period to learn from (baseline."
                     "samples or baseline.duration)");
  }
  c.range("operating_state.settle", static_cast<double>(p.operating_state.settle_ms), 0.0, 1e15);
  for (std::size_t i = 0; i < p.rules.size(); ++i) {
    const RuleConfig& r = p.rules[i];
    const std::string key = c.prefix + "rules[" + std::to_string(i) + "]";
    if (r.name.empty() || r.sensor.empty()) {
      errors.push_back(key + ": needs a name and a sensor");
    }
    if (!std::isfinite(r.threshold) || (r.clear && !std::isfinite(*r.clear))) {
      errors.push_back(key + ": threshold and clear must be finite numbers");
    }
    if (r.clear && r.threshold_meta.empty() &&
        ((r.op == RuleOp::above && *r.clear > r.threshold) ||
         (r.op == RuleOp::below && *r.clear < r.threshold))) {
      errors.push_back(key +
                       ".clear: must be on the normal side of the threshold "
                       "(hysteresis), e.g. above 90 clears at 85");
    }
    if (!r.threshold_meta.empty() && r.clear) {
      errors.push_back(key +
                       ".clear: not with a meta threshold (each device's differs); the alert "
                       "clears when the value is back at the device's threshold");
    }
    if (r.for_ms < 0) {
      errors.push_back(key + ".for: must not be negative");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (p.rules[j].name == r.name) {
        errors.push_back(key + ".name: '" + r.name + "' is used twice");
      }
    }
  }
}

}  // namespace

std::vector<std::string> validate(AnalyticsConfig& config) {
  std::vector<std::string> errors;
  if (config.profiles.find(kDefaultProfile) == config.profiles.end()) {
    config.profiles.emplace(kDefaultProfile, ProfileConfig{});
  }
  ConfigChecker c{errors, "analytics."};
  c.positive("window", static_cast<double>(config.window_ms));
  c.range("allowed_lateness", static_cast<double>(config.allowed_lateness_ms), 0.0,
          static_cast<double>(config.window_ms) * (kMaxOpenWindows - 1));
  c.positive("idle_eviction", static_cast<double>(config.idle_eviction_ms));
  c.range("max_devices", config.max_devices, 1, 1e8);
  c.range("max_sensors_per_device", config.max_sensors_per_device, 1, 256);
  c.range("alert_update_interval", static_cast<double>(config.alert_update_interval_ms), 0.0, 1e15);
  c.range("clear_after_samples", config.clear_after_samples, 1, 1e6);
  for (const auto& [name, profile] : config.profiles) {
    validate_profile(name, profile, errors);
  }
  return errors;
}

}  // namespace edgegw::analytics
