#include "records/telemetry_record.hpp"

#include <nlohmann/json.hpp>

#include "edgegw/time_format.hpp"
#include "records/record_json.hpp"

namespace edgegw::records {

std::string encode_telemetry(const Sample& sample, std::string_view gateway_id,
                             std::string_view mapping_name, std::int64_t received_ms) {
  nlohmann::json doc;
  doc["schema"] = kTelemetrySchema;
  doc["gateway"] = gateway_id;
  doc["device"] = sample.device;
  doc["ts"] = sample.timestamp_ms;
  doc["time"] = iso8601_utc(sample.timestamp_ms);
  doc["received"] = received_ms;
  doc["mapping"] = mapping_name;
  nlohmann::json& tags = doc["tags"] = nlohmann::json::object();
  for (const auto& [key, value] : sample.tags) {
    tags[key] = value;
  }
  if (sample.sequence >= 0) {
    doc["seq"] = sample.sequence;
  }
  nlohmann::json& readings = doc["readings"] = nlohmann::json::object();
  for (const Reading& r : sample.readings) {
    nlohmann::json& entry = readings[r.sensor];
    entry["value"] = r.value;
    if (!r.unit.empty()) {
      entry["unit"] = r.unit;
    }
  }
  return dump_record(doc);
}

}  // namespace edgegw::records
