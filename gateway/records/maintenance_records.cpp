#include "records/maintenance_records.hpp"

#include <nlohmann/json.hpp>

#include "edgegw/time_format.hpp"
#include "records/record_json.hpp"

namespace edgegw::records {

std::string encode_prediction(const analytics::Prediction& p, std::string_view gateway_id) {
  nlohmann::json doc;
  doc["schema"] = kPredictionSchema;
  doc["gateway"] = gateway_id;
  doc["device"] = p.device;
  doc["ts"] = p.timestamp_ms;
  doc["time"] = iso8601_utc(p.timestamp_ms);
  doc["rul"] = p.rul;
  doc["rul_lower"] = p.rul_lower;
  doc["rul_upper"] = p.rul_upper;
  doc["unit"] = p.unit;
  doc["model"] = {{"name", p.model_name}, {"version", p.model_version}};
  doc["samples_seen"] = p.samples_seen;
  return dump_record(doc);
}

}  // namespace edgegw::records
