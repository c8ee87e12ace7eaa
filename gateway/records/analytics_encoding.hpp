#pragma once
// JSON encoding of the analytics' outputs for Kafka: one document per aggregate (the
// aggregates stream) and per alert transition (the alerts stream). The schemas are
// versioned and documented in docs/schemas/{aggregate,alert}.schema.json; a change that
// breaks a consumer bumps the version in `schema`.
//
// Pure functions, callable from any thread: the pipeline calls them right after the
// engine (on the ingest thread or the ticker), before appending to the durable log; the
// forwarder thread for its log-health alerts; the analyze command offline.

#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "edgegw/analytics/aggregate.hpp"
#include "edgegw/analytics/alert.hpp"

namespace edgegw::records {

inline constexpr std::string_view kAggregateSchema = "edgegw.aggregate/v1";
inline constexpr std::string_view kAlertSchema = "edgegw.alert/v1";

// The device's tags (its metadata's: records.md, "Device metadata"), written as `tags`
// unless there are none.
using RecordTags = std::span<const std::pair<std::string, std::string>>;

std::string encode_aggregate(const analytics::Aggregate& aggregate, std::string_view gateway_id,
                             RecordTags tags = {});
std::string encode_alert(const analytics::Alert& alert, std::string_view gateway_id,
                         RecordTags tags = {});

}  // namespace edgegw::records
