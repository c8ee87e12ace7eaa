#include "dashboard/fleet_records.hpp"

#include <fmt/format.h>

#include <system_error>

namespace edgegw::dashboard {
namespace {

using nlohmann::json;

Error refused(std::string message) {
  return make_error(std::make_error_code(std::errc::invalid_argument), std::move(message));
}

// The object, or why the bytes are not one.
Result<json> parse_object(std::string_view text) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    return refused("not JSON");
  }
  if (!doc.is_object()) {
    return refused("not a JSON object");
  }
  return doc;
}

// A string field that must be present and non-empty.
std::optional<std::string> required_text(const json& doc, const char* key) {
  const auto it = doc.find(key);
  if (it == doc.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::string text_or(const json& doc, const char* key, std::string fallback) {
  const auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::move(fallback);
}

std::int64_t integer_or(const json& doc, const char* key, std::int64_t fallback) {
  const auto it = doc.find(key);
  return it != doc.end() && it->is_number() ? it->get<std::int64_t>() : fallback;
}

// Non-finite numbers are written as null: absent here.
std::optional<double> number(const json& doc, const char* key) {
  const auto it = doc.find(key);
  if (it == doc.end() || !it->is_number()) {
    return std::nullopt;
  }
  return it->get<double>();
}

bool one_of(const std::string& value, std::initializer_list<std::string_view> allowed) {
  for (std::string_view a : allowed) {
    if (value == a) {
      return true;
    }
  }
  return false;
}

// What the page shows as the alert's evidence: every field that explains it.
json evidence_of(const json& doc) {
  json evidence = json::object();
  for (const char* key : {"statistic", "threshold", "p_value", "window_ms", "sensors", "parameters",
                          "unit", "model"}) {
    if (const auto it = doc.find(key); it != doc.end()) {
      evidence[key] = *it;
    }
  }
  return evidence;
}

}  // namespace

std::string origin_of_source(std::string_view source) {
  if (source.starts_with("rule:")) {
    return "rule";
  }
  if (source.starts_with("maintenance:")) {
    return "maintenance";
  }
  if (source.starts_with("health:")) {
    return "health";
  }
  return "detector";
}

Result<AlertRecord> parse_alert(std::string_view text) {
  Result<json> parsed = parse_object(text);
  if (!parsed) {
    return parsed.error();
  }
  const json& doc = parsed.value();
  AlertRecord alert;
  const auto gateway = required_text(doc, "gateway");
  const auto id = required_text(doc, "id");
  const auto device = required_text(doc, "device");
  const auto source = required_text(doc, "source");
  if (!gateway || !id || !device || !source) {
    return refused("an alert needs gateway, id, device and source");
  }
  alert.gateway = *gateway;
  alert.id = *id;
  alert.device = *device;
  alert.source = *source;
  alert.state = text_or(doc, "state", "");
  if (!one_of(alert.state, {"raised", "updated", "cleared"})) {
    return refused(fmt::format("alert {}: unknown state '{}'", alert.id, alert.state));
  }
  alert.severity = text_or(doc, "severity", "warning");
  if (!one_of(alert.severity, {"info", "warning", "critical"})) {
    return refused(fmt::format("alert {}: unknown severity '{}'", alert.id, alert.severity));
  }
  alert.origin = text_or(doc, "origin", origin_of_source(alert.source));
  alert.profile = text_or(doc, "profile", "");
  alert.ts_ms = integer_or(doc, "ts", 0);
  alert.raised_ms = integer_or(doc, "raised", alert.ts_ms);
  alert.score = number(doc, "score");
  alert.message = text_or(doc, "message", "");
  alert.evidence = evidence_of(doc);
  return alert;
}

Result<AggregateRecord> parse_aggregate(std::string_view text) {
  Result<json> parsed = parse_object(text);
  if (!parsed) {
    return parsed.error();
  }
  const json& doc = parsed.value();
  const auto gateway = required_text(doc, "gateway");
  const auto device = required_text(doc, "device");
  const auto sensor = required_text(doc, "sensor");
  if (!gateway || !device || !sensor) {
    return refused("an aggregate needs gateway, device and sensor");
  }
  AggregateRecord aggregate;
  aggregate.gateway = *gateway;
  aggregate.device = *device;
  aggregate.sensor = *sensor;
  aggregate.window_end_ms = integer_or(doc, "window_end", 0);
  aggregate.mean = number(doc, "mean");
  aggregate.min = number(doc, "min");
  aggregate.max = number(doc, "max");
  return aggregate;
}

Result<PredictionRecord> parse_prediction(std::string_view text) {
  Result<json> parsed = parse_object(text);
  if (!parsed) {
    return parsed.error();
  }
  const json& doc = parsed.value();
  const auto gateway = required_text(doc, "gateway");
  const auto device = required_text(doc, "device");
  const auto rul = number(doc, "rul");
  if (!gateway || !device || !rul) {
    return refused("a prediction needs gateway, device and rul");
  }
  PredictionRecord prediction;
  prediction.gateway = *gateway;
  prediction.device = *device;
  prediction.ts_ms = integer_or(doc, "ts", 0);
  prediction.rul = *rul;
  prediction.rul_lower = number(doc, "rul_lower").value_or(*rul);
  prediction.rul_upper = number(doc, "rul_upper");
  prediction.unit = text_or(doc, "unit", "");
  if (const auto model = doc.find("model"); model != doc.end() && model->is_object()) {
    prediction.model =
        fmt::format("{} {}", text_or(*model, "name", "?"), text_or(*model, "version", ""));
  }
  return prediction;
}

}  // namespace edgegw::dashboard
