#pragma once
// The predictive-maintenance step of the per-message path: each Sample of a device
// class that has an estimator (a trained model, or a trend of a health indicator) goes
// to it; its
// predictions go to the predictions stream and its maintenance alerts to the alerts
// stream, keyed by device.
//
// Construction loads the model files (control path: throws with the file and what is
// wrong). Threads: like AnalyticsStage, only under the Pipeline's lock.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "edgegw/analytics/maintenance_config.hpp"
#include "edgegw/analytics/maintenance_estimator.hpp"
#include "edgegw/mapping.hpp"
#include "pipeline/analytics_stage.hpp"

namespace edgegw::pipeline {

class MaintenanceStage {
 public:
  MaintenanceStage(const std::vector<analytics::MaintenanceConfig>& configs,
                   std::string gateway_id);

  Status on_sample(const Sample& sample, const MappingConfig& mapping, const EmitRecord& emit);

 private:
  struct ClassModel {
    std::string device_class;
    std::unique_ptr<analytics::MaintenanceEstimator> estimator;
  };
  std::vector<ClassModel> models_;
  std::string gateway_id_;
};

}  // namespace edgegw::pipeline
