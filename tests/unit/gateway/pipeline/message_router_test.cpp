#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "config/gateway_config_loader.hpp"
#include "pipeline/message_router.hpp"

using edgegw::Stream;
using edgegw::pipeline::MessageRouter;
using edgegw::records::Record;

namespace {

edgegw::GatewayConfig config_with(const std::string& forward) {
  return edgegw::config::parse_gateway_config(edgegw::config::ConfigNode::load_string(
      R"(gateway: { id: g }
mqtt: { broker: "tcp://localhost:1883", max_payload: 64 }
mappings:
  - name: m
    topic: "plant/{site}/{device}"
    format: number
    tags: [site]
    forward: )" +
          forward + R"(
    sensors: [ { name: v, max: 10 } ]
kafka: { bootstrap_servers: "k:9092", key: "{site}/{device}" }
buffer: { directory: /tmp/b }
)",
      "gw.yaml"));
}

struct Routed {
  edgegw::mapping::MapOutcome outcome;
  std::vector<Record> records;
};

Routed route(const edgegw::GatewayConfig& config, const std::string& topic,
             const std::string& payload) {
  MessageRouter router(config);
  Routed r;
  router.route(topic, payload, 1'700'000'000'000, r.outcome, r.records);
  return r;
}

}  // namespace

TEST_CASE("a mapped message becomes one telemetry record under the configured key",
          "[unit][pipeline]") {
  const auto config = config_with("raw");
  const Routed r = route(config, "plant/north/p-1", "4.5");
  REQUIRE(r.records.size() == 1);
  CHECK(r.records[0].stream == Stream::telemetry);
  CHECK(r.records[0].key == "north/p-1");
  CHECK(r.records[0].payload.find(R"("device":"p-1")") != std::string::npos);
}

TEST_CASE("a partly mapped message is dead-lettered under the device's key, then stored",
          "[unit][pipeline]") {
  const auto config = config_with("both");
  const Routed r = route(config, "plant/north/p-1", "11");  // over max: 10
  REQUIRE(r.records.size() == 1);  // the one reading was rejected: no sample is left
  CHECK(r.records[0].stream == Stream::dead_letter);
  CHECK(r.records[0].key == "north/p-1");
  CHECK(r.outcome.problems.front().reason == edgegw::mapping::DeadLetterReason::out_of_range);
}

TEST_CASE("a payload over mqtt.max_payload is dead-lettered unmapped, keyed by its topic",
          "[unit][pipeline]") {
  const auto config = config_with("raw");
  const Routed r = route(config, "plant/north/p-1", "4" + std::string(64, '0'));
  REQUIRE(r.records.size() == 1);
  CHECK(r.records[0].stream == Stream::dead_letter);
  CHECK(r.records[0].key == "plant/north/p-1");
  CHECK_FALSE(r.outcome.has_sample);
  CHECK(r.outcome.problems.front().reason == edgegw::mapping::DeadLetterReason::oversized);
}

TEST_CASE("under forward: aggregates a sample makes no telemetry record", "[unit][pipeline]") {
  const auto config = config_with("aggregates");
  const Routed r = route(config, "plant/north/p-1", "4.5");
  CHECK(r.outcome.has_sample);
  CHECK(r.records.empty());
}
