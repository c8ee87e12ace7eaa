#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

#include "edgegw/time_format.hpp"
#include "records/record_json.hpp"
#include "records/telemetry_record.hpp"

namespace {

using edgegw::Reading;
using edgegw::Sample;

// The telemetry record as a nlohmann document dumps it: what encode_telemetry, which
// writes the text directly, must produce byte for byte.
std::string reference_encoding(const Sample& sample, std::string_view gateway,
                               std::string_view mapping, std::int64_t received_ms) {
  nlohmann::json doc;
  doc["schema"] = edgegw::records::kTelemetrySchema;
  doc["gateway"] = gateway;
  doc["device"] = sample.device;
  doc["ts"] = sample.timestamp_ms;
  doc["time"] = edgegw::iso8601_utc(sample.timestamp_ms);
  doc["received"] = received_ms;
  doc["mapping"] = mapping;
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
  return edgegw::records::dump_record(doc);
}

Sample typical() {
  Sample s;
  s.device = "pump-001";
  s.timestamp_ms = 1700000000123;
  s.tags = {{"site", "north"}, {"line", "2"}};
  s.sequence = 17;
  s.readings = {
      {"temp", 21.53, "degC"}, {"pressure", 1.013, "bar"}, {"rpm", 1500, "rpm"}, {"count", 3, ""}};
  return s;
}

void check_same(const Sample& s, std::string_view gateway = "gw-1",
                std::string_view mapping = "pumps") {
  INFO("device " << s.device);
  CHECK(edgegw::records::encode_telemetry(s, gateway, mapping, 1700000000200) ==
        reference_encoding(s, gateway, mapping, 1700000000200));
}

}  // namespace

TEST_CASE("the telemetry text is what the JSON document dumps", "[unit][records]") {
  SECTION("typical") {
    check_same(typical());
  }
  SECTION("no tags, no readings, no sequence") {
    Sample s;
    s.device = "d";
    check_same(s);
  }
  SECTION("repeated tag and sensor names merge as in a map") {
    Sample s = typical();
    s.tags.push_back({"site", "south"});
    s.readings.push_back({"temp", 22.0, ""});
    s.readings.push_back({"count", 4, "pcs"});
    s.readings.push_back({"count", 5, ""});
    check_same(s);
  }
  SECTION("numbers of every shape") {
    Sample s = typical();
    s.readings = {{"a", 0.0, ""},
                  {"b", -0.0, ""},
                  {"c", 1e15, ""},
                  {"d", 1e16, ""},
                  {"e", 1e-4, ""},
                  {"f", 1e-5, ""},
                  {"g", 0.1 + 0.2, ""},
                  {"h", -123.456, ""},
                  {"i", 1e308, ""},
                  {"j", 5e-324, ""},
                  {"k", std::numeric_limits<double>::infinity(), ""},
                  {"l", std::nan(""), ""}};
    s.timestamp_ms = -1;
    check_same(s);
  }
  SECTION("text that needs escaping, UTF-8 and invalid bytes") {
    Sample s = typical();
    s.device = "pump \"7\"\\\n\t\x01\x7f";
    s.tags = {{"ort", "Zürich"}, {std::string("bad\xff\xfe", 5), std::string("\xc3", 1)}};
    s.readings = {{"température", 1.5, "°C"}, {std::string("x\x80y", 3), 2.0, "\x1f"}};
    check_same(s, "gw \"quoted\"", "map\\ping");
  }
}
