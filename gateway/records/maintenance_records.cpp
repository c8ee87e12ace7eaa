#include "records/maintenance_records.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "edgegw/time_format.hpp"
#include "records/analytics_encoding.hpp"
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

std::string encode_maintenance_alert(const analytics::MaintenanceAlert& a,
                                     std::string_view gateway_id) {
  nlohmann::json doc;
  doc["schema"] = kAlertSchema;
  doc["gateway"] = gateway_id;
  doc["id"] = fmt::format("{}/{}/{}", a.device, a.rule, a.raised_ms);
  doc["device"] = a.device;
  doc["source"] = a.rule;
  doc["profile"] = a.device_class;
  doc["state"] = analytics::to_string(a.state);
  doc["severity"] = a.severity;
  doc["raised"] = a.raised_ms;
  doc["ts"] = a.timestamp_ms;
  doc["time"] = iso8601_utc(a.timestamp_ms);
  // How far inside the horizon the estimate is; a life estimated at (or below) zero is
  // scored as 100 × the horizon's, not as infinity.
  doc["score"] = a.horizon / std::max(a.rul, 0.01 * a.horizon);
  doc["statistic"] = a.rul;
  doc["threshold"] = a.horizon;
  doc["p_value"] = 1.0;  // a regression estimate has no tail probability
  doc["window_ms"] = a.window_ms;
  doc["sensors"] = nlohmann::json::array();  // the evidence is the estimate, not one sensor
  doc["parameters"] = {
      {"horizon", a.horizon}, {"rul_lower", a.rul_lower}, {"rul_upper", a.rul_upper}};
  doc["model"] = {{"name", a.model_name}, {"version", a.model_version}};
  doc["unit"] = a.unit;
  // Three significant digits: "0.82 hours" and "24.1 cycles" both say something.
  doc["message"] = fmt::format(
      "predicted remaining life {:.3g} {} (90% band {:.3g} to {:.3g}) "
      "is within the {:.3g} {} horizon",
      a.rul, a.unit, a.rul_lower, a.rul_upper, a.horizon, a.unit);
  return dump_record(doc);
}

}  // namespace edgegw::records
