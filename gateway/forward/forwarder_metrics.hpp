#pragma once
// The forwarder's metrics: names, types and meanings of ForwarderProbe's counters. Kept
// beside the probe rather than in it, so that the probe stays a plain struct of atomics;
// a field added there and not here fails the test that counts the probe's fields
// (tests/unit/gateway/app/metrics_report_test.cpp).

#include "forward/forwarder_probe.hpp"

namespace edgegw::metrics {
class Sink;
}

namespace edgegw::forward {

void report_metrics(const ForwarderProbe& p, metrics::Sink& sink);

}  // namespace edgegw::forward
