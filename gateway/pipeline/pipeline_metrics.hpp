#pragma once
// The per-message path's metrics: the pipeline's probe, and the analytics engine's
// counters as of the last tick (the pipeline keeps that snapshot).

#include "edgegw/analytics/engine.hpp"
#include "pipeline/pipeline_probe.hpp"

namespace edgegw::metrics {
class Sink;
}

namespace edgegw::pipeline {

void report_metrics(const PipelineProbe& p, metrics::Sink& sink);
void report_metrics(const analytics::EngineStats& s, metrics::Sink& sink);

}  // namespace edgegw::pipeline
