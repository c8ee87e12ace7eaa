// The device metadata through the per-message path: tags in telemetry, aggregates and
// alerts, the profile it chooses, rules with its thresholds, devices it does not list.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/gateway_config_loader.hpp"
#include "pipeline/analytics_stage.hpp"
#include "pipeline/message_router.hpp"
#include "support/temp_dir.hpp"

using edgegw::Stream;
using nlohmann::json;

namespace {

constexpr std::int64_t kT0 = 1'700'000'000'000;

struct Gateway {
  edgegw::test::TempDir dir;
  edgegw::GatewayConfig config;

  Gateway() {
    (void)dir.write("devices.csv",
                    "device,site,line,max_bearing_temp,profile\n"
                    "low,north,L1,70,\n"
                    "high,south,L2,90,\n"
                    "watched,east,L3,90,strict\n");
    config = edgegw::config::load_gateway_config(dir.write("gw.yaml", R"(gateway: { id: gw-1 }
mqtt: { broker: "tcp://127.0.0.1:1883" }
mappings:
  - name: pumps
    topic: "plant/{site}/{device}"
    format: number
    tags: [site]
    forward: both
    sensors: [ { name: bearing_temp } ]
kafka: { bootstrap_servers: "127.0.0.1:9092" }
buffer: { directory: /var/lib/edgegw/buffer }
analytics:
  window: 10s
  profiles:
    default:
      anomaly: { enabled: false }
      stuck: { enabled: false }
      silence: { enabled: false }
      rules:
        - { name: bearing_hot, when: "bearing_temp > meta.max_bearing_temp" }
    strict:
      rules:
        - { name: bearing_warm, when: "bearing_temp > 50" }
metadata: { file: devices.csv }
)")
                                                     .string());
  }
};

json telemetry_of(const Gateway& g, const std::string& topic, const std::string& payload) {
  edgegw::pipeline::MessageRouter router(g.config);
  edgegw::mapping::MapOutcome outcome;
  std::vector<edgegw::records::Record> records;
  router.route(topic, payload, kT0, outcome, records);
  REQUIRE(records.size() == 1);
  REQUIRE(records[0].stream == Stream::telemetry);
  return json::parse(records[0].payload);
}

struct Emitted {
  std::vector<json> alerts;
  std::vector<json> aggregates;
};

// Feeds `value` for each device through an analytics stage wired like the pipeline's.
Emitted analyse(const Gateway& g, const std::vector<std::string>& devices, double value) {
  edgegw::pipeline::AnalyticsStage stage(g.config.analytics, g.config.gateway_id,
                                         g.config.device_metadata);
  Emitted emitted;
  const edgegw::pipeline::EmitRecord emit = [&](const edgegw::records::Record& r) {
    (r.stream == Stream::alerts ? emitted.alerts : emitted.aggregates)
        .push_back(json::parse(r.payload));
    return edgegw::Status(edgegw::Ok{});
  };
  for (const std::string& device : devices) {
    edgegw::Sample s;
    s.device = device;
    s.timestamp_ms = kT0;
    s.readings.push_back({"bearing_temp", value, ""});
    REQUIRE(stage.on_sample(s, device, g.config.mappings.at(0), kT0, emit,
                            g.config.device_metadata->find(device)));
  }
  REQUIRE(stage.flush(emit));
  // Every call feeds the unlisted `other`, whose default-profile rule lacks its limit.
  CHECK(stage.rules_without_meta() == 1);
  return emitted;
}

}  // namespace

TEST_CASE("telemetry carries the device's metadata tags, and the topic's own tag wins",
          "[unit][pipeline][metadata]") {
  const Gateway g;
  const json record = telemetry_of(g, "plant/west/low", "42");
  CHECK(record.at("tags") == json({{"site", "west"}, {"line", "L1"}, {"max_bearing_temp", "70"}}));
  // A device the file does not list flows as before, with the mapping's tags.
  CHECK(telemetry_of(g, "plant/west/other", "42").at("tags") == json({{"site", "west"}}));
}

TEST_CASE("a meta rule alerts for the device whose limit is low, with its tags",
          "[unit][pipeline][metadata]") {
  const Gateway g;
  // 80 is over low's 70, under high's 90; `other` is not listed (its rule cannot apply).
  const Emitted out = analyse(g, {"low", "high", "other"}, 80.0);
  REQUIRE(out.alerts.size() >= 1);
  const json& raised = out.alerts.front();
  CHECK(raised.at("device") == "low");
  CHECK(raised.at("source") == "rule:bearing_hot");
  CHECK(raised.at("threshold") == 70.0);
  CHECK(raised.at("tags").at("site") == "north");
  CHECK(raised.at("tags").at("line") == "L1");
  for (const json& alert : out.alerts) {
    CHECK(alert.at("device") == "low");
  }
  // Aggregates carry the tags of listed devices, and none for the unlisted one.
  bool saw_other = false;
  for (const json& aggregate : out.aggregates) {
    if (aggregate.at("device") == "other") {
      saw_other = true;
      CHECK_FALSE(aggregate.contains("tags"));
    } else {
      CHECK(aggregate.at("tags").contains("site"));
    }
  }
  CHECK(saw_other);
}

TEST_CASE("the metadata's profile column chooses the device's analytics profile",
          "[unit][pipeline][metadata]") {
  const Gateway g;
  // 60 crosses only the `strict` profile's rule, which the metadata gives `watched`.
  const Emitted out = analyse(g, {"low", "watched", "other"}, 60.0);
  REQUIRE(out.alerts.size() == 1);
  CHECK(out.alerts[0].at("device") == "watched");
  CHECK(out.alerts[0].at("profile") == "strict");
  CHECK(out.alerts[0].at("source") == "rule:bearing_warm");
}
