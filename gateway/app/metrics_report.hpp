#pragma once
// Renders the probes of every part as Prometheus text (exposition format 0.0.4).

#include <optional>
#include <string>

#include "app/analytics_checkpointer.hpp"
#include "edgegw/analytics/engine.hpp"
#include "edgegw/log.hpp"
#include "forward/forwarder_probe.hpp"
#include "ingest/ingest_probe.hpp"
#include "local_alerts/alert_topic_publisher.hpp"
#include "pipeline/pipeline_probe.hpp"

namespace edgegw::app {

struct MetricsInputs {
  const std::string& gateway_id;
  store::LogStats log;
  const ingest::IngestProbe& ingest;
  const pipeline::PipelineProbe& pipeline;
  const forward::ForwarderProbe& forwarder;
  bool analytics_enabled;
  analytics::EngineStats analytics;
  std::optional<local_alerts::AlertTopicStats> alert_topic;  // when mqtt.alerts is on
  const CheckpointProbe* checkpoint = nullptr;               // when analytics checkpoints are on
};

std::string render_metrics(const MetricsInputs& in);

}  // namespace edgegw::app
