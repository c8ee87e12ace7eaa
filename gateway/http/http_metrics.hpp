#pragma once
// The operations endpoint's metrics: names, types and meanings of HttpProbe's counters.

#include "http/http_probe.hpp"

namespace edgegw::metrics {
class Sink;
}

namespace edgegw::http {

void report_metrics(const HttpProbe& probe, metrics::Sink& sink);

}  // namespace edgegw::http
