#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <limits>

#include "records/analytics_encoding.hpp"

using namespace edgegw::analytics;

TEST_CASE("an aggregate encodes to the versioned schema", "[unit]") {
  Aggregate a;
  a.device = "pump-001";
  a.sensor = "flow";
  a.window_start_ms = 1'704'067'200'000;
  a.window_end_ms = 1'704'067'260'000;
  a.count = 60;
  a.min = 1.0;
  a.max = 3.0;
  a.mean = 2.0;
  a.stddev = 0.5;
  a.last = 2.5;
  const nlohmann::json doc = nlohmann::json::parse(edgegw::records::encode_aggregate(a, "gw1"));
  CHECK(doc["schema"] == "edgegw.aggregate/v1");
  CHECK(doc["gateway"] == "gw1");
  CHECK(doc["device"] == "pump-001");
  CHECK(doc["window_start"] == 1'704'067'200'000);
  CHECK(doc["time"] == "2024-01-01T00:00:00.000Z");
  CHECK(doc["count"] == 60);
  CHECK(doc["last"] == 2.5);
}

TEST_CASE("an alert encodes its lifecycle and evidence, and non-finite numbers become null",
          "[unit]") {
  Alert a;
  a.id = "m1/rule:hot/1000";
  a.device = "m1";
  a.source = "rule:hot";
  a.profile = "default";
  a.state = AlertState::cleared;
  a.severity = Severity::critical;
  a.raised_ms = 1000;
  a.event_ms = 5000;
  a.statistic = std::numeric_limits<double>::quiet_NaN();
  a.threshold = 90.0;
  a.sensors.push_back(SensorEvidence{"temp", 84.0, 90.0, 0.0});
  a.parameters = {{"for_s", 30.0}};
  a.message = "m1: rule hot cleared";
  const nlohmann::json doc = nlohmann::json::parse(edgegw::records::encode_alert(a, "gw1"));
  CHECK(doc["schema"] == "edgegw.alert/v1");
  CHECK(doc["state"] == "cleared");
  CHECK(doc["severity"] == "critical");
  CHECK(doc["statistic"].is_null());
  CHECK(doc["threshold"] == 90.0);
  CHECK(doc["sensors"][0]["sensor"] == "temp");
  CHECK(doc["parameters"]["for_s"] == 30.0);
  CHECK(doc["raised"] == 1000);
  CHECK(doc["ts"] == 5000);
}
