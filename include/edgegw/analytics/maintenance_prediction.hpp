#pragma once
// What predictive maintenance tells the rest of the gateway: a remaining-life estimate
// for one device, and a maintenance alert when that estimate falls inside the horizon
// the operator asked to be warned about.

#include <cstdint>
#include <string>

namespace edgegw::analytics {

// One remaining-useful-life estimate. The band [rul_lower, rul_upper] is about a 90%
// interval (from validation residuals for a trained model, from the slope's confidence
// interval for a trend).
struct Prediction {
  std::string device;
  std::int64_t timestamp_ms = 0;  // event time of the newest sample in the features
  double rul = 0.0;
  double rul_lower = 0.0;
  double rul_upper = 0.0;
  std::string unit;  // of rul: "cycles", "hours", ... as the model or trend declares
  std::string model_name;
  std::string model_version;
  std::int64_t samples_seen = 0;  // history behind the estimate (short history: less sure)
};

enum class MaintenanceAlertState { kRaised, kUpdated, kCleared };

[[nodiscard]] inline const char* to_string(MaintenanceAlertState state) {
  switch (state) {
    case MaintenanceAlertState::kRaised:
      return "raised";
    case MaintenanceAlertState::kUpdated:
      return "updated";
    case MaintenanceAlertState::kCleared:
      return "cleared";
  }
  return "unknown";
}

// A maintenance alert's lifecycle event. One alert is open per (device, model) at most:
// raised when the predicted life drops below the horizon, updated when the estimate
// moves by more than the configured step while open, cleared when it rises above
// horizon + clear_margin (after maintenance, or when the estimate recovers). Kept
// separate from the anomaly detectors' alert so that each can evolve; the gateway maps
// both onto the alerts stream.
struct MaintenanceAlert {
  std::string device;
  std::string device_class;  // the MaintenanceConfig's, i.e. the device's analytics profile
  std::string rule;          // "maintenance:<model name>"
  MaintenanceAlertState state = MaintenanceAlertState::kRaised;
  std::int64_t timestamp_ms = 0;
  std::int64_t raised_ms = 0;  // event time of the raise: one alert's records share it
  std::int64_t window_ms = 0;  // event time the features of this estimate span
  std::string severity;        // "warning" inside the horizon, "critical" inside half of it
  double rul = 0.0;
  double rul_lower = 0.0;
  double rul_upper = 0.0;
  double horizon = 0.0;
  std::string unit;
  std::string model_name;
  std::string model_version;
};

}  // namespace edgegw::analytics
