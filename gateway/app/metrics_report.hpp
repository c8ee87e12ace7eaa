#pragma once
// /metrics: every part reports its probe (metrics/metrics.hpp) as Prometheus text; the
// same reports make the reference table in docs/operations.md.

#include <optional>
#include <string>

#include "app/analytics_checkpointer.hpp"
#include "edgegw/analytics/engine.hpp"
#include "edgegw/log.hpp"
#include "forward/forwarder_probe.hpp"
#include "http/http_probe.hpp"
#include "ingest/ingest_probe.hpp"
#include "kafka/topic_probe.hpp"
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
  const http::HttpProbe* http = nullptr;                     // when the endpoint serves
  const kafka::TopicProbe* topics = nullptr;                 // when kafka.manage_topics is on
};

// Prometheus text (exposition format 0.0.4), every series labelled gateway="<id>".
std::string render_metrics(const MetricsInputs& in);
// Every metric render_metrics() can export (with every optional part on) as a Markdown
// table: what `edgegw metrics-reference` prints and docs/operations.md holds.
std::string metrics_reference();

}  // namespace edgegw::app
