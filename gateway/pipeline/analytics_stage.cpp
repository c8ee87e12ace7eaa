#include "pipeline/analytics_stage.hpp"

#include "records/analytics_encoding.hpp"

namespace edgegw::pipeline {

AnalyticsStage::AnalyticsStage(const analytics::AnalyticsConfig& config, std::string gateway_id)
    : engine_(config),
      gateway_id_(std::move(gateway_id)),
      forwards_aggregates_(DeviceTableLimits{config.max_devices, config.idle_eviction_ms}) {}

Status AnalyticsStage::on_sample(const Sample& sample, const MappingConfig& mapping,
                                 std::int64_t now_ms, const EmitRecord& emit) {
  if (sample.readings.empty()) {
    return Ok{};  // a sequence-only message carries nothing to analyse
  }
  if (bool* forward = forwards_aggregates_.find_or_admit(sample.device, now_ms)) {
    *forward = mapping.forward != ForwardMode::raw;
  }
  engine_.on_sample(sample, mapping.analytics_profile, now_ms, out_);
  return emit_output(emit);
}

Status AnalyticsStage::on_tick(std::int64_t now_ms, const EmitRecord& emit) {
  engine_.on_tick(now_ms, out_);
  // After the output: a device the engine evicts now leaves its last aggregates in it.
  Status status = emit_output(emit);
  forwards_aggregates_.evict_idle(now_ms);
  return status;
}

Status AnalyticsStage::flush(const EmitRecord& emit) {
  engine_.flush(out_);
  return emit_output(emit);
}

Status AnalyticsStage::emit_output(const EmitRecord& emit) {
  Status status = Ok{};
  for (const analytics::Aggregate& aggregate : out_.aggregates) {
    const bool* forward = forwards_aggregates_.find(aggregate.device);
    if (forward != nullptr && *forward && status) {
      status = emit({Stream::aggregates, aggregate.device,
                     records::encode_aggregate(aggregate, gateway_id_)});
    }
  }
  for (const analytics::Alert& alert : out_.alerts) {
    if (status) {
      status =
          emit({Stream::alerts, alert.device, records::encode_alert(alert, gateway_id_), &alert});
    }
  }
  out_.clear();
  return status;
}

}  // namespace edgegw::pipeline
