#pragma once
// The predictive-maintenance step of the per-message path: each Sample of a device
// class that has an estimator (a trained model, or a trend of a health indicator) goes
// to it; its
// predictions go to the predictions stream and its maintenance alerts to the alerts
// stream, with the sample's Kafka key.
//
// Construction loads the model files (control path: throws with the file and what is
// wrong). Threads: like AnalyticsStage, only under the Pipeline's lock.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "edgegw/analytics/maintenance_config.hpp"
#include "edgegw/analytics/maintenance_estimator.hpp"
#include "edgegw/device_metadata.hpp"
#include "edgegw/device_table.hpp"
#include "edgegw/mapping.hpp"
#include "pipeline/analytics_stage.hpp"

namespace edgegw::pipeline {

class MaintenanceStage {
 public:
  MaintenanceStage(const std::vector<analytics::MaintenanceConfig>& configs,
                   std::string gateway_id);

  // `key`: the sample's Kafka key (MessageRouter::key_of). `now_ms`: the arrival time,
  // which each estimator's idle eviction counts from. `metadata`: the device's (nullptr:
  // none); its `profile` is the device class, its tags go into the alerts.
  Status on_sample(const Sample& sample, std::string_view key, const MappingConfig& mapping,
                   std::int64_t now_ms, const EmitRecord& emit,
                   const DeviceMetadata* metadata = nullptr);
  // Offline (`edgegw analyze`): event time is the clock, and there is no Kafka key.
  Status on_sample(const Sample& sample, const MappingConfig& mapping, const EmitRecord& emit) {
    return on_sample(sample, sample.device, mapping, sample.timestamp_ms, emit);
  }
  // Evicts the state of devices idle for their class's idle_eviction (the daemon's tick).
  void on_tick(std::int64_t now_ms);

  // Over every device class: devices with state, and the tables' counters.
  [[nodiscard]] std::size_t devices() const;
  [[nodiscard]] DeviceTableCounters device_counters() const;

 private:
  struct ClassModel {
    std::string device_class;
    std::unique_ptr<analytics::MaintenanceEstimator> estimator;
  };
  std::vector<ClassModel> models_;
  std::string gateway_id_;
};

}  // namespace edgegw::pipeline
