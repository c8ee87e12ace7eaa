#pragma once
// One device's predictive-maintenance state: its feature window, the raw values of the
// sample being assembled, the cadence counter and its maintenance alert.
//
// Ownership: owned by RulPredictor (one per device); reads the shared model's spec.
// Thread: the predictor's thread. Memory: fixed at construction (see bytes()).

#include <Eigen/Core>
#include <algorithm>
#include <cstdint>
#include <vector>

#include "maintenance/feature_window.hpp"
#include "maintenance/maintenance_alert_gate.hpp"

namespace edgegw::analytics {

class DeviceRulState {
 public:
  explicit DeviceRulState(const FeatureSpec& spec)
      : window(spec),
        features(static_cast<Eigen::Index>(spec.feature_count())),
        sensors(spec.sensors.size()),
        settings(spec.regimes.settings.size()),
        stamps(static_cast<std::size_t>(spec.max_window())) {}

  // Adds the staged values to the window, and the sample's event time to the ring beside
  // it: the ring has the window's length, so the window's count says where it goes.
  void push(std::int64_t timestamp_ms) {
    window.push(sensors.data(), settings.data());
    stamps[static_cast<std::size_t>(window.count() - 1) % stamps.size()] = timestamp_ms;
  }

  // Event time from the oldest sample in the window to `now_ms`.
  [[nodiscard]] std::int64_t window_span_ms(std::int64_t now_ms) const {
    const auto pushed = static_cast<std::size_t>(window.count());
    const std::size_t held = std::min(pushed, stamps.size());
    if (held == 0) {
      return 0;
    }
    return std::max<std::int64_t>(0, now_ms - stamps[(pushed - held) % stamps.size()]);
  }

  [[nodiscard]] std::size_t bytes() const {
    return sizeof(*this) + window.bytes() +
           sizeof(double) * (static_cast<std::size_t>(features.size()) + sensors.capacity() +
                             settings.capacity()) +
           sizeof(std::int64_t) * stamps.capacity();
  }

  FeatureWindow window;
  Eigen::VectorXd features;
  std::vector<double> sensors;  // staging: this sample's raw values (NaN = none)
  std::vector<double> settings;
  std::vector<std::int64_t> stamps;  // event times of the window's samples, a ring
  int since_prediction = 0;
  MaintenanceAlertGate alert;
};

}  // namespace edgegw::analytics
