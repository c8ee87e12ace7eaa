#pragma once
// What every remaining-life estimator of a device class offers the gateway: feed it each
// Sample of its devices, get a prediction when one is due and a maintenance alert when
// its state changes. Implemented by RulPredictor (a trained model) and TrendPredictor (a
// trend of one health indicator, no training).

#include <optional>
#include <string>

#include "edgegw/analytics/maintenance_prediction.hpp"
#include "edgegw/sample.hpp"

namespace edgegw::analytics {

struct MaintenanceUpdate {
  std::optional<Prediction> prediction;   // when the cadence was due
  std::optional<MaintenanceAlert> alert;  // when the alert's state changed
};

class MaintenanceEstimator {
 public:
  MaintenanceEstimator() = default;
  MaintenanceEstimator(const MaintenanceEstimator&) = delete;
  MaintenanceEstimator& operator=(const MaintenanceEstimator&) = delete;
  MaintenanceEstimator(MaintenanceEstimator&&) noexcept = default;
  MaintenanceEstimator& operator=(MaintenanceEstimator&&) noexcept = default;
  virtual ~MaintenanceEstimator() = default;

  virtual MaintenanceUpdate observe(const Sample& sample) = 0;
  // The name predictions and alerts carry ("maintenance:<name>").
  [[nodiscard]] virtual std::string name() const = 0;
};

}  // namespace edgegw::analytics
