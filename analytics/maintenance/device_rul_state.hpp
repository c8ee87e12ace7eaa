#pragma once
// One device's predictive-maintenance state: its feature window, the raw values of the
// sample being assembled, the cadence counter and its maintenance alert.
//
// Ownership: owned by RulPredictor (one per device); reads the shared model's spec.
// Thread: the predictor's thread. Memory: fixed at construction (see bytes()).

#include <Eigen/Core>
#include <cstdint>
#include <vector>

#include "maintenance/feature_window.hpp"

namespace edgegw::analytics {

class DeviceRulState {
 public:
  explicit DeviceRulState(const FeatureSpec& spec)
      : window(spec),
        features(static_cast<Eigen::Index>(spec.feature_count())),
        sensors(spec.sensors.size()),
        settings(spec.regimes.settings.size()) {}

  [[nodiscard]] std::size_t bytes() const {
    return sizeof(*this) + window.bytes() +
           sizeof(double) * (static_cast<std::size_t>(features.size()) + sensors.capacity() +
                             settings.capacity());
  }

  FeatureWindow window;
  Eigen::VectorXd features;
  std::vector<double> sensors;  // staging: this sample's raw values (NaN = none)
  std::vector<double> settings;
  int since_prediction = 0;
  bool alert_open = false;
  bool alert_critical = false;
  double alert_reported_rul = 0.0;
};

}  // namespace edgegw::analytics
