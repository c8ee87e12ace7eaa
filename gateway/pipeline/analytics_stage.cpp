#include "pipeline/analytics_stage.hpp"

#include "records/analytics_encoding.hpp"

namespace edgegw::pipeline {

AnalyticsStage::AnalyticsStage(const analytics::AnalyticsConfig& config, std::string gateway_id)
    : engine_(config),
      gateway_id_(std::move(gateway_id)),
      routes_(DeviceTableLimits{config.max_devices, config.idle_eviction_ms}) {}

Status AnalyticsStage::on_sample(const Sample& sample, std::string_view key,
                                 const MappingConfig& mapping, std::int64_t now_ms,
                                 const EmitRecord& emit) {
  if (sample.readings.empty()) {
    return Ok{};  // a sequence-only message carries nothing to analyse
  }
  if (DeviceRoute* route = routes_.find_or_admit(sample.device, now_ms)) {
    route->forwards_aggregates = mapping.forward != ForwardMode::raw;
    route->key.assign(key);
  }
  engine_.on_sample(sample, mapping.analytics_profile, now_ms, out_);
  return emit_output(emit);
}

Status AnalyticsStage::on_tick(std::int64_t now_ms, const EmitRecord& emit) {
  engine_.on_tick(now_ms, out_);
  // After the output: a device the engine evicts now leaves its last aggregates in it.
  Status status = emit_output(emit);
  routes_.evict_idle(now_ms);
  return status;
}

Status AnalyticsStage::flush(const EmitRecord& emit) {
  engine_.flush(out_);
  return emit_output(emit);
}

Status AnalyticsStage::emit_output(const EmitRecord& emit) {
  Status status = Ok{};
  for (const analytics::Aggregate& aggregate : out_.aggregates) {
    const DeviceRoute* route = routes_.find(aggregate.device);
    if (route != nullptr && route->forwards_aggregates && status) {
      status =
          emit({Stream::aggregates, route->key, records::encode_aggregate(aggregate, gateway_id_)});
    }
  }
  for (const analytics::Alert& alert : out_.alerts) {
    if (status) {
      status = emit({Stream::alerts, std::string(key_of(alert.device)),
                     records::encode_alert(alert, gateway_id_), &alert});
    }
  }
  out_.clear();
  return status;
}

// A device the table refused (analytics.max_devices) has no route: the engine refused
// it too and produces nothing for it, but fall back to the device name regardless.
std::string_view AnalyticsStage::key_of(const std::string& device) const {
  const DeviceRoute* route = routes_.find(device);
  return route != nullptr ? std::string_view(route->key) : std::string_view(device);
}

}  // namespace edgegw::pipeline
