#pragma once
// The maintenance alert's lifecycle for one device, shared by every estimator (trained
// models and trends): raised when the predicted life drops below the horizon, updated
// while open when it moves by update_step or turns critical (below half the horizon),
// cleared when it rises above horizon + clear_margin.
//
// Ownership: one per device, inside the estimator's device state. Thread: its caller's.

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

#include "edgegw/analytics/maintenance_config.hpp"
#include "edgegw/analytics/maintenance_prediction.hpp"

namespace edgegw::analytics {

class MaintenanceAlertGate {
 public:
  // The transition this prediction causes, if any. `window_ms`: event time the
  // prediction's evidence spans.
  std::optional<MaintenanceAlert> update(const Prediction& p, const MaintenanceConfig& config,
                                         std::int64_t window_ms) {
    const bool critical = p.rul < 0.5 * config.horizon;
    std::optional<MaintenanceAlertState> state;
    if (!open_ && p.rul < config.horizon) {
      state = MaintenanceAlertState::kRaised;
      open_ = true;
      raised_ms_ = p.timestamp_ms;
    } else if (open_ && p.rul > config.horizon + config.clear_margin) {
      state = MaintenanceAlertState::kCleared;
      open_ = false;
    } else if (open_ &&
               (critical != critical_ || std::abs(p.rul - reported_rul_) >= config.update_step)) {
      state = MaintenanceAlertState::kUpdated;
    }
    if (!state) {
      return std::nullopt;
    }
    critical_ = critical;
    reported_rul_ = p.rul;
    return make_alert(p, config, *state, critical, window_ms);
  }

 private:
  [[nodiscard]] MaintenanceAlert make_alert(const Prediction& p, const MaintenanceConfig& config,
                                            MaintenanceAlertState state, bool critical,
                                            std::int64_t window_ms) const {
    MaintenanceAlert a;
    a.device = p.device;
    a.device_class = config.device_class;
    a.rule = "maintenance:" + p.model_name;
    a.state = state;
    a.timestamp_ms = p.timestamp_ms;
    a.raised_ms = raised_ms_;
    a.window_ms = window_ms;
    a.severity = critical ? "critical" : "warning";
    a.rul = p.rul;
    a.rul_lower = p.rul_lower;
    a.rul_upper = p.rul_upper;
    a.horizon = config.horizon;
    a.unit = p.unit;
    a.model_name = p.model_name;
    a.model_version = p.model_version;
    return a;
  }

  bool open_ = false;
  bool critical_ = false;
  double reported_rul_ = 0.0;
  std::int64_t raised_ms_ = 0;
};

}  // namespace edgegw::analytics
