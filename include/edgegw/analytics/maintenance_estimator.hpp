#pragma once
// What every remaining-life estimator of a device class offers the gateway: feed it each
// Sample of its devices, get a prediction when one is due and a maintenance alert when
// its state changes. Implemented by RulPredictor (a trained model) and TrendPredictor (a
// trend of one health indicator, no training).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "edgegw/analytics/alert.hpp"
#include "edgegw/analytics/maintenance_prediction.hpp"
#include "edgegw/device_table.hpp"
#include "edgegw/sample.hpp"

namespace edgegw::analytics {

struct MaintenanceUpdate {
  std::optional<Prediction> prediction;  // when the cadence was due
  std::optional<Alert> alert;            // when the alert's state changed (origin: maintenance)
};

class MaintenanceEstimator {
 public:
  MaintenanceEstimator() = default;
  MaintenanceEstimator(const MaintenanceEstimator&) = delete;
  MaintenanceEstimator& operator=(const MaintenanceEstimator&) = delete;
  MaintenanceEstimator(MaintenanceEstimator&&) noexcept = default;
  MaintenanceEstimator& operator=(MaintenanceEstimator&&) noexcept = default;
  virtual ~MaintenanceEstimator() = default;

  // `now_ms`: when the sample arrived (the gateway's clock; offline, its event time): a
  // device's state is idle from its last arrival, whatever the sample's own timestamp.
  virtual MaintenanceUpdate observe(const Sample& sample, std::int64_t now_ms) = 0;
  // Drops the state of devices that sent nothing for the config's idle_eviction. An open
  // maintenance alert is not cleared by it: a silent machine may well be the broken one.
  virtual void evict_idle(std::int64_t now_ms) = 0;
  // The name predictions and alerts carry ("maintenance:<name>").
  [[nodiscard]] virtual std::string name() const = 0;
  [[nodiscard]] virtual std::size_t device_count() const = 0;
  [[nodiscard]] virtual const DeviceTableCounters& device_counters() const = 0;
};

}  // namespace edgegw::analytics
