#include "pipeline/analytics_stage.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "metadata/device_profile.hpp"
#include "records/analytics_encoding.hpp"

namespace edgegw::pipeline {

AnalyticsStage::AnalyticsStage(const analytics::AnalyticsConfig& config, std::string gateway_id,
                               std::shared_ptr<const DeviceMetadataTable> metadata)
    : engine_(config, std::move(metadata)),
      gateway_id_(std::move(gateway_id)),
      routes_(DeviceTableLimits{config.max_devices, config.idle_eviction_ms}) {}

Status AnalyticsStage::on_sample(const Sample& sample, std::string_view key,
                                 const MappingConfig& mapping, std::int64_t now_ms,
                                 const EmitRecord& emit, const DeviceMetadata* metadata) {
  if (sample.readings.empty()) {
    return Ok{};  // a sequence-only message carries nothing to analyse
  }
  if (DeviceRoute* route = routes_.find_or_admit(sample.device, now_ms)) {
    route->forwards_aggregates = mapping.forward != ForwardMode::raw;
    route->key.assign(key);
    route->metadata = metadata;
  }
  engine_.on_sample(sample, metadata::profile_of(mapping, metadata), now_ms, out_);
  if (!out_.missing_meta.empty()) {
    report_missing_meta(sample.device);
  }
  return emit_output(emit);
}

Status AnalyticsStage::on_presence(const std::vector<PresenceChange>& changes,
                                   const MappingConfig& mapping, std::int64_t now_ms,
                                   const EmitRecord& emit) {
  for (const PresenceChange& change : changes) {
    const DeviceRoute* route = routes_.find(change.device);
    const DeviceMetadata* metadata = route != nullptr ? route->metadata : nullptr;
    engine_.on_presence(change, metadata::profile_of(mapping, metadata), now_ms, out_);
    if (!out_.missing_meta.empty()) {
      report_missing_meta(change.device);
    }
  }
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
      status = emit({Stream::aggregates, route->key,
                     records::encode_aggregate(aggregate, gateway_id_, tags_of(aggregate.device))});
    }
  }
  for (const analytics::Alert& alert : out_.alerts) {
    if (status) {
      status = emit({Stream::alerts, std::string(key_of(alert.device)),
                     records::encode_alert(alert, gateway_id_, tags_of(alert.device)), &alert});
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

records::RecordTags AnalyticsStage::tags_of(const std::string& device) const {
  const DeviceRoute* route = routes_.find(device);
  return route != nullptr && route->metadata != nullptr ? records::RecordTags(route->metadata->tags)
                                                        : records::RecordTags();
}

// Once per device the engine takes up, not per reading: the rule is not broken, the
// device's metadata lacks its threshold.
void AnalyticsStage::report_missing_meta(const std::string& device) {
  rules_without_meta_ += out_.missing_meta.size();
  spdlog::warn(
      "Rules do not apply to a device whose metadata lacks their threshold. device={} "
      "missing=meta.{}",
      device, fmt::join(out_.missing_meta, ",meta."));
}

}  // namespace edgegw::pipeline
