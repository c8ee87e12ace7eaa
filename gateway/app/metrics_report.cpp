#include "app/metrics_report.hpp"

#include "edgegw/build_info.hpp"
#include "edgegw/clock.hpp"
#include "forward/forwarder_metrics.hpp"
#include "http/http_metrics.hpp"
#include "metrics/metrics.hpp"
#include "pipeline/pipeline_metrics.hpp"
#include "store/log_metrics.hpp"

namespace edgegw::app {
namespace {

void report_build_info(const BuildInfo& build, metrics::Sink& sink) {
  sink.add({"build_info", metrics::Type::gauge,
            "Always 1: its labels say which build runs (commit: empty when built outside git)."},
           1.0, {{"version", build.version}, {"commit", build.commit}});
}

void report_all(const MetricsInputs& in, const BuildInfo& build, std::int64_t now,
                metrics::Sink& sink) {
  report_build_info(build, sink);
  ingest::report_metrics(in.ingest, sink);
  pipeline::report_metrics(in.pipeline, sink);
  store::report_metrics(in.log, now, sink);
  forward::report_metrics(in.forwarder, sink);
  if (in.topics != nullptr) {
    kafka::report_metrics(*in.topics, sink);
  }
  if (in.analytics_enabled) {
    pipeline::report_metrics(in.analytics, sink);
    if (in.checkpoint != nullptr) {
      report_metrics(*in.checkpoint, sink);
    }
  }
  if (in.alert_topic) {
    local_alerts::report_metrics(*in.alert_topic, sink);
  }
  if (in.http != nullptr) {
    http::report_metrics(*in.http, sink);
  }
}

}  // namespace

std::string render_metrics(const MetricsInputs& in) {
  metrics::PrometheusText text(in.gateway_id);
  report_all(in, build_info(), wall_clock_ms(), text);
  return text.take();
}

std::string metrics_reference() {
  const std::string gateway_id;
  const ingest::IngestProbe ingest;
  const pipeline::PipelineProbe pipeline;
  const forward::ForwarderProbe forwarder;
  const CheckpointProbe checkpoint;
  const http::HttpProbe http;
  const kafka::TopicProbe topics;
  const MetricsInputs everything_on{gateway_id,  {},    ingest, pipeline,
                                    forwarder,   true,  {},     local_alerts::AlertTopicStats{},
                                    &checkpoint, &http, &topics};
  metrics::MetricsCatalog catalog;
  // Empty label values: the catalog names the labels without a value that changes per build.
  report_all(everything_on, {"", ""}, 0, catalog);
  return catalog.markdown_table();
}

}  // namespace edgegw::app
