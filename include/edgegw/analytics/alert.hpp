#pragma once
// An alert and its lifecycle: raised once, updated at a bounded rate while it stays
// open, cleared once. At most one alert is open per (device, source). The alerts stream
// carries them (docs/schemas/alert.schema.json).

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "edgegw/analytics/analytics_config.hpp"

namespace edgegw::analytics {

enum class AlertState { raised, updated, cleared };

// What a sensor contributed: its value, what the detector expected, and on what scale.
struct SensorEvidence {
  std::string sensor;
  double value = 0.0;
  double expected = 0.0;  // EWMA mean, median, mean vector entry, rule threshold
  double scale = 0.0;     // sigma, 1.4826*MAD, ...; 0 when not meaningful
};

struct Alert {
  std::string id;  // "<device>/<source>/<raised_ms>": the same for its whole life
  std::string device;
  std::string source;  // detector name (ewma, mad, ...) or "rule:<name>"
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
  std::string message;                                     // one sentence for the operator
};

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
