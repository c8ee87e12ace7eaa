#include "pipeline/maintenance_stage.hpp"

#include <spdlog/spdlog.h>

#include "edgegw/analytics/maintenance_predictor.hpp"
#include "edgegw/analytics/maintenance_trend_predictor.hpp"
#include "metadata/device_profile.hpp"
#include "models/model_file.hpp"
#include "records/analytics_encoding.hpp"
#include "records/maintenance_records.hpp"

namespace edgegw::pipeline {

MaintenanceStage::MaintenanceStage(const std::vector<analytics::MaintenanceConfig>& configs,
                                   std::string gateway_id)
    : gateway_id_(std::move(gateway_id)) {
  for (const analytics::MaintenanceConfig& config : configs) {
    if (config.trend) {
      models_.push_back({config.device_class, std::make_unique<analytics::TrendPredictor>(config)});
      spdlog::info("Maintenance trend set up. device_class={} name={} indicator={} threshold={}",
                   config.device_class, models_.back().estimator->name(), config.trend->indicator,
                   config.trend->fit.threshold);
      continue;
    }
    auto model = std::make_shared<const analytics::RulModel>(models::load_model(config.model_file));
    models_.push_back(
        {config.device_class, std::make_unique<analytics::RulPredictor>(model, config)});
    spdlog::info("Maintenance model loaded. device_class={} model={} file={}", config.device_class,
                 models_.back().estimator->name(), config.model_file);
  }
}

Status MaintenanceStage::on_sample(const Sample& sample, std::string_view key,
                                   const MappingConfig& mapping, std::int64_t now_ms,
                                   const EmitRecord& emit, const DeviceMetadata* metadata) {
  const std::string_view device_class = metadata::profile_of(mapping, metadata);
  const records::RecordTags tags =
      metadata != nullptr ? records::RecordTags(metadata->tags) : records::RecordTags();
  for (ClassModel& m : models_) {
    if (m.device_class != device_class) {
      continue;
    }
    const analytics::MaintenanceUpdate update = m.estimator->observe(sample, now_ms);
    if (update.prediction) {
      if (Status s = emit({Stream::predictions, std::string(key),
                           records::encode_prediction(*update.prediction, gateway_id_)});
          !s) {
        return s;
      }
    }
    if (update.alert) {
      if (Status s =
              emit({Stream::alerts, std::string(key),
                    records::encode_alert(*update.alert, gateway_id_, tags), &*update.alert});
          !s) {
        return s;
      }
    }
  }
  return Ok{};
}

void MaintenanceStage::on_tick(std::int64_t now_ms) {
  for (ClassModel& m : models_) {
    m.estimator->evict_idle(now_ms);
  }
}

std::size_t MaintenanceStage::devices() const {
  std::size_t n = 0;
  for (const ClassModel& m : models_) {
    n += m.estimator->device_count();
  }
  return n;
}

DeviceTableCounters MaintenanceStage::device_counters() const {
  DeviceTableCounters sum;
  for (const ClassModel& m : models_) {
    const DeviceTableCounters& c = m.estimator->device_counters();
    sum.admitted += c.admitted;
    sum.refused += c.refused;
    sum.evicted += c.evicted;
  }
  return sum;
}

}  // namespace edgegw::pipeline
