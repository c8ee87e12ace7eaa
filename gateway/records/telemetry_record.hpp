#pragma once
// The telemetry record: one Sample as the JSON document consumers read from the
// telemetry topic (schema: docs/schemas/telemetry.schema.json, "edgegw.telemetry/v1").

#include <cstdint>
#include <string>
#include <string_view>

#include "edgegw/sample.hpp"

namespace edgegw::records {

inline constexpr std::string_view kTelemetrySchema = "edgegw.telemetry/v1";

std::string encode_telemetry(const Sample& sample, std::string_view gateway_id,
                             std::string_view mapping_name, std::int64_t received_ms);

}  // namespace edgegw::records
