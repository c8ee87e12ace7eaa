#include "maintenance/maintenance_alert_gate.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace edgegw::analytics {

std::optional<Alert> MaintenanceAlertGate::update(const Prediction& p,
                                                  const MaintenanceConfig& config,
                                                  std::int64_t window_ms) {
  const bool critical = p.rul < 0.5 * config.horizon;
  std::optional<AlertState> state;
  if (!open_ && p.rul < config.horizon) {
    state = AlertState::raised;
    open_ = true;
    raised_ms_ = p.timestamp_ms;
  } else if (open_ && p.rul > config.horizon + config.clear_margin) {
    state = AlertState::cleared;
    open_ = false;
  } else if (open_ &&
             (critical != critical_ || std::abs(p.rul - reported_rul_) >= config.update_step)) {
    state = AlertState::updated;
  }
  if (!state) {
    return std::nullopt;
  }
  critical_ = critical;
  reported_rul_ = p.rul;
  return make_alert(p, config, *state, critical, window_ms);
}

Alert MaintenanceAlertGate::make_alert(const Prediction& p, const MaintenanceConfig& config,
                                       AlertState state, bool critical,
                                       std::int64_t window_ms) const {
  Alert a;
  a.origin = AlertOrigin::maintenance;
  a.device = p.device;
  a.source = "maintenance:" + p.model_name;
  a.id = make_alert_id(a.device, a.source, raised_ms_);
  a.profile = config.device_class;
  a.state = state;
  a.severity = critical ? Severity::critical : Severity::warning;
  a.raised_ms = raised_ms_;
  a.event_ms = p.timestamp_ms;
  // How far inside the horizon the estimate is; a life estimated at (or below) zero is
  // scored as 100 × the horizon's, not as infinity.
  a.score = config.horizon / std::max(p.rul, 0.01 * config.horizon);
  a.statistic = p.rul;
  a.threshold = config.horizon;
  a.p_value = 1.0;  // a regression estimate has no tail probability
  a.window_ms = window_ms;
  // No sensor evidence: the evidence is the estimate.
  a.parameters = {
      {"horizon", config.horizon}, {"rul_lower", p.rul_lower}, {"rul_upper", p.rul_upper}};
  a.model = ModelRef{p.model_name, p.model_version};
  a.unit = p.unit;
  // Three significant digits: "0.82 hours" and "24.1 cycles" both say something.
  a.message = fmt::format(
      "predicted remaining life {:.3g} {} (90% band {:.3g} to {:.3g}) "
      "is within the {:.3g} {} horizon",
      p.rul, p.unit, p.rul_lower, p.rul_upper, config.horizon, p.unit);
  return a;
}

}  // namespace edgegw::analytics
