#pragma once
// The durable log's metrics, from a LogStats snapshot.

#include <cstdint>

#include "edgegw/log.hpp"

namespace edgegw::metrics {
class Sink;
}

namespace edgegw::store {

// `now_ms`: the wall clock, for the age of the oldest unacknowledged record.
void report_metrics(const LogStats& log, std::int64_t now_ms, metrics::Sink& sink);

}  // namespace edgegw::store
