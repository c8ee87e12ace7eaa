#pragma once
// Engine::Impl, shared by the engine's source files (engine.cpp: samples,
// engine_tick.cpp: time-driven work, engine_alerts.cpp: turning gate events into Alerts).

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "anomaly/alert_gate.hpp"
#include "anomaly/device_state.hpp"
#include "edgegw/analytics/engine.hpp"

namespace edgegw::analytics {

// Lets the device map be searched with a string_view (no allocation per sample).
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

struct Engine::Impl {
  Impl(AnalyticsConfig c, std::shared_ptr<const DeviceMetadataTable> device_metadata);

  AnalyticsConfig config;
  std::shared_ptr<const DeviceMetadataTable> metadata;  // null: no device has any
  // Profiles live behind pointers so that DeviceState can point at them stably.
  std::vector<std::unique_ptr<CompiledProfile>> profiles;
  CompiledProfile* default_profile = nullptr;
  AlertGate gate;
  std::unordered_map<std::string, DeviceState, StringHash, std::equal_to<>> devices;
  EngineStats stats;

  CompiledProfile* find_profile(std::string_view name);
  DeviceState* device_for(std::string_view device, std::string_view profile, Output& out);
  // The device's rule thresholds from the config and its metadata; the meta names it
  // lacks go to `missing` (when given).
  void resolve_thresholds(DeviceState& d, std::vector<std::string>* missing) const;
  int sensor_index(DeviceState& d, const std::string& name);
  void account(DeviceState& d);

  void score_reading(DeviceState& d, int index, double value, std::int64_t t, bool learn,
                     Output& out, std::uint16_t reading_index);
  class DeviceAlertChannel;
  // The device-level detectors, after the sample's readings were scored.
  void score_device(DeviceState& d, const SampleContext& sample, Output& out);
  [[nodiscard]] bool commissioning(const DeviceState& d, std::int64_t t) const;
  void track_operating_state(DeviceState& d, const Sample& sample, std::int64_t t);
  static bool any_alert_open(const DeviceState& d);
  void update_gates(DeviceState& d, std::int64_t t, Output& out);
  void close_windows_until(DeviceState& d, std::int64_t closed_until_ms, Output& out);
  void close_all_windows(DeviceState& d, Output& out);
  void check_silence(DeviceState& d, std::int64_t now_ms, Output& out);
  // engine_presence.cpp
  void clear_offline(DeviceState& d, std::int64_t now_ms, std::string_view why, Output& out);
  void emit_presence_alert(DeviceState& d, GateEvent event, const PresenceChange& change,
                           std::int64_t now_ms, Output& out);
  void close_alerts(DeviceState& d, std::int64_t t, std::string_view why, Output& out);

  // engine_alerts.cpp
  void emit_detector_alert(DeviceState& d, DetectorKind kind, GateEvent event, std::int64_t t,
                           Output& out);
  void emit_rule_alert(DeviceState& d, std::size_t rule, GateEvent event, double value,
                       std::int64_t t, Output& out);
  void count(GateEvent event);
};

}  // namespace edgegw::analytics
