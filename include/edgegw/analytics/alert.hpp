#pragma once
// The one alert type, whoever raises it (an anomaly detector, a threshold rule, a
// maintenance model, the gateway's own health), and its lifecycle: raised once, updated
// at a bounded rate while it stays open, cleared once. At most one alert is open per
// (device, source). The alerts stream carries them (docs/schemas/alert.schema.json).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "edgegw/analytics/analytics_config.hpp"

namespace edgegw::analytics {

enum class AlertState { raised, updated, cleared };

// Who raised an alert: operators route and mute by it.
enum class AlertOrigin { detector, rule, maintenance, health };

// The model behind a maintenance alert.
struct ModelRef {
  std::string name;
  std::string version;
};

// What a sensor contributed: its value, what the detector expected, and on what scale.
struct SensorEvidence {
  std::string sensor;
  double value = 0.0;
  double expected = 0.0;  // EWMA mean, median, mean vector entry, rule threshold
  double scale = 0.0;     // sigma, 1.4826*MAD, ...; 0 when not meaningful
};

struct Alert {
  std::string id;  // make_alert_id(): the same for its whole life
  AlertOrigin origin = AlertOrigin::detector;
  std::string device;  // for health alerts: the gateway's id
  // detector name (ewma, mad, ...), "rule:<name>", "maintenance:<model>", or a health
  // check (log_loss, ...)
  std::string source;
  std::string profile;
  AlertState state = AlertState::raised;
  Severity severity = Severity::warning;
  std::int64_t raised_ms = 0;  // event time when it was raised
  std::int64_t event_ms = 0;   // event time of this transition
  double score = 0.0;          // statistic / threshold: 1 or more means over threshold
  double statistic = 0.0;      // |z|, d^2, SPE, run length, seconds silent, value
  double threshold = 0.0;
  double p_value = 1.0;        // under the detector's reference distribution; 1 if none
  std::int64_t window_ms = 0;  // time the evidence spans (rule duration, stuck run, ...)
  std::vector<SensorEvidence> sensors;
  std::vector<std::pair<std::string, double>> parameters;  // the detector's settings
  std::optional<ModelRef> model;  // maintenance: the model that made the estimate
  std::string unit;               // of statistic and threshold, where they have one
  // offline: why the device is known to be gone or back (death_certificate, ...), and
  // what names it in its protocol (group, edge_node, device, message); else empty.
  std::string reason;
  std::vector<std::pair<std::string, std::string>> context;
  std::string message;  // one sentence for the operator
};

// The one id format of an alert: every record of one alert's life carries it.
inline std::string make_alert_id(std::string_view device, std::string_view source,
                                 std::int64_t raised_ms) {
  std::string id;
  id.reserve(device.size() + source.size() + 22);
  id.append(device).append("/").append(source).append("/").append(std::to_string(raised_ms));
  return id;
}

constexpr std::string_view alert_origin_name(AlertOrigin origin) {
  switch (origin) {
    case AlertOrigin::detector:
      return "detector";
    case AlertOrigin::rule:
      return "rule";
    case AlertOrigin::maintenance:
      return "maintenance";
    case AlertOrigin::health:
      return "health";
  }
  return "unknown";
}

constexpr std::string_view alert_state_name(AlertState s) {
  switch (s) {
    case AlertState::raised:
      return "raised";
    case AlertState::updated:
      return "updated";
    case AlertState::cleared:
      return "cleared";
  }
  return "unknown";
}

constexpr std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::info:
      return "info";
    case Severity::warning:
      return "warning";
    case Severity::critical:
      return "critical";
  }
  return "unknown";
}

}  // namespace edgegw::analytics
