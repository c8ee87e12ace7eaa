#pragma once
// The maintenance alert's lifecycle for one device, shared by every estimator (trained
// models and trends): raised when the predicted life drops below the horizon, updated
// while open when it moves by update_step or turns critical (below half the horizon),
// cleared when it rises above horizon + clear_margin.
//
// Ownership: one per device, inside the estimator's device state. Thread: its caller's.

#include <cstdint>
#include <optional>

#include "edgegw/analytics/alert.hpp"
#include "edgegw/analytics/maintenance_config.hpp"
#include "edgegw/analytics/maintenance_prediction.hpp"

namespace edgegw::analytics {

class MaintenanceAlertGate {
 public:
  // The transition this prediction causes, if any. `window_ms`: event time the
  // prediction's evidence spans.
  std::optional<Alert> update(const Prediction& p, const MaintenanceConfig& config,
                              std::int64_t window_ms);

 private:
  [[nodiscard]] Alert make_alert(const Prediction& p, const MaintenanceConfig& config,
                                 AlertState state, bool critical, std::int64_t window_ms) const;

  bool open_ = false;
  bool critical_ = false;
  double reported_rul_ = 0.0;
  std::int64_t raised_ms_ = 0;
};

}  // namespace edgegw::analytics
