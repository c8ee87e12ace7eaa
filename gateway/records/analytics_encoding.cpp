#include "records/analytics_encoding.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

#include "edgegw/time_format.hpp"
#include "records/record_json.hpp"

namespace edgegw::records {
namespace {

// JSON has no NaN or infinity: a non-finite number is written as null (the schemas
// allow it where it can happen, e.g. a statistic of an alert closed at eviction).
nlohmann::json number(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

void add_tags(nlohmann::json& doc, RecordTags tags) {
  if (tags.empty()) {
    return;
  }
  nlohmann::json& object = doc["tags"] = nlohmann::json::object();
  for (const auto& [name, value] : tags) {
    object[name] = value;
  }
}

}  // namespace

std::string encode_aggregate(const analytics::Aggregate& a, std::string_view gateway_id,
                             RecordTags tags) {
  nlohmann::json doc;
  doc["schema"] = kAggregateSchema;
  doc["gateway"] = gateway_id;
  doc["device"] = a.device;
  doc["sensor"] = a.sensor;
  doc["window_start"] = a.window_start_ms;
  doc["window_end"] = a.window_end_ms;
  doc["time"] = iso8601_utc(a.window_start_ms);
  doc["count"] = a.count;
  doc["min"] = number(a.min);
  doc["max"] = number(a.max);
  doc["mean"] = number(a.mean);
  doc["stddev"] = number(a.stddev);
  doc["last"] = number(a.last);
  add_tags(doc, tags);
  return records::dump_record(doc);
}

std::string encode_alert(const analytics::Alert& a, std::string_view gateway_id, RecordTags tags) {
  nlohmann::json doc;
  doc["schema"] = kAlertSchema;
  doc["gateway"] = gateway_id;
  doc["id"] = a.id;
  doc["origin"] = analytics::alert_origin_name(a.origin);
  doc["device"] = a.device;
  doc["source"] = a.source;
  doc["profile"] = a.profile;
  doc["state"] = analytics::alert_state_name(a.state);
  doc["severity"] = analytics::severity_name(a.severity);
  doc["raised"] = a.raised_ms;
  doc["ts"] = a.event_ms;
  doc["time"] = iso8601_utc(a.event_ms);
  doc["score"] = number(a.score);
  doc["statistic"] = number(a.statistic);
  doc["threshold"] = number(a.threshold);
  doc["p_value"] = number(a.p_value);
  doc["window_ms"] = a.window_ms;
  nlohmann::json& sensors = doc["sensors"] = nlohmann::json::array();
  for (const analytics::SensorEvidence& s : a.sensors) {
    sensors.push_back({{"sensor", s.sensor},
                       {"value", number(s.value)},
                       {"expected", number(s.expected)},
                       {"scale", number(s.scale)}});
  }
  nlohmann::json& parameters = doc["parameters"] = nlohmann::json::object();
  for (const auto& [name, value] : a.parameters) {
    parameters[name] = number(value);
  }
  if (a.model) {
    doc["model"] = {{"name", a.model->name}, {"version", a.model->version}};
  }
  if (!a.unit.empty()) {
    doc["unit"] = a.unit;
  }
  if (!a.reason.empty()) {
    doc["reason"] = a.reason;
    nlohmann::json& context = doc["context"] = nlohmann::json::object();
    for (const auto& [name, value] : a.context) {
      context[name] = value;
    }
  }
  doc["message"] = a.message;
  add_tags(doc, tags);
  return records::dump_record(doc);
}

}  // namespace edgegw::records
