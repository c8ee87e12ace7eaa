// Sparkplug B through the real gateway: an edge node and its device publish births and
// alias-only data to a real mosquitto; the telemetry read back from Kafka names the
// device and its sensors, and data whose birth the gateway never saw is dead-lettered.

#include <catch2/catch.hpp>

#include "gateway_stack.hpp"
#include "support/sparkplug_payloads.hpp"

using nlohmann::json;
using namespace edgegw::test;

namespace {

constexpr std::int64_t kStart = 1700000000000;  // the test config accepts old samples

GatewayTestConfig sparkplug_config() {
  GatewayTestConfig c;
  c.subscriptions = R"(["plant/#", "spBv1.0/#"])";
  c.mappings_extra = R"(  - name: line1
    topic: "spBv1.0/{group}/#"
    format: sparkplug
    max_sample_age: none
    sensors:
      - { name: motor_temp, field: Motor/Temperature, unit: degC }
      - { name: motor_speed, field: Motor/Speed, unit: rpm })";
  return c;
}

std::string device_birth() {
  SparkplugPayload p;
  p.set_timestamp(kStart);
  add_double(p, "Motor/Temperature", 10, 40.0);
  add_double(p, "Motor/Speed", 11, 1450.0);
  return serialized(p);
}

std::string device_data(int i) {
  SparkplugPayload p;
  p.set_timestamp(kStart + 1000 * i);
  p.set_seq(static_cast<std::uint64_t>(i % 256));
  add_double(p, "", 10, 40.0 + i);  // by alias only, as Sparkplug devices send data
  return serialized(p);
}

}  // namespace

TEST_CASE("Sparkplug B births and alias-only data reach Kafka as telemetry",
          "[integration][sparkplug]") {
  GatewayStack stack({}, sparkplug_config());
  GatewayProcess& gateway = stack.start_gateway();
  constexpr int kData = 20;
  {
    MqttPublisher node(stack.mosquitto.uri(), "edge-node-1");
    // Data of a device whose birth the gateway has not seen: it cannot be named.
    node.publish("spBv1.0/plant/DDATA/node1/motor-1", device_data(0));
    SparkplugPayload node_birth;
    node_birth.set_timestamp(kStart);
    add_bd_seq(node_birth, 0);
    node.publish("spBv1.0/plant/NBIRTH/node1", serialized(node_birth));
    node.publish("spBv1.0/plant/DBIRTH/node1/motor-1", device_birth());
    for (int i = 1; i <= kData; ++i) {
      node.publish("spBv1.0/plant/DDATA/node1/motor-1", device_data(i));
    }
    node.publish("spBv1.0/plant/DDEATH/node1/motor-1", serialized(SparkplugPayload{}));
    node.wait_all();
  }
  KafkaReader telemetry(stack.kafka.bootstrap(), "edgegw.telemetry");
  KafkaReader dead(stack.kafka.bootstrap(), "edgegw.dead-letter");
  // The DBIRTH and every DDATA; the NBIRTH names none of the mapping's metrics.
  REQUIRE(telemetry.read_until(kData + 1, std::chrono::seconds(60)) == kData + 1);
  REQUIRE(dead.read_until(1, std::chrono::seconds(30)) == 1);
  CHECK(telemetry.drain(std::chrono::seconds(1)) == kData + 1);

  const json birth = json::parse(telemetry.records().front().value);
  CHECK(birth["device"] == "motor-1");
  CHECK(birth["tags"]["group"] == "plant");
  CHECK(birth["tags"]["edge_node"] == "node1");
  CHECK(birth["readings"]["motor_speed"]["value"] == 1450.0);
  for (int i = 1; i <= kData; ++i) {
    const json doc = json::parse(telemetry.records().at(static_cast<std::size_t>(i)).value);
    INFO(doc.dump());
    CHECK(doc["readings"]["motor_temp"]["value"] == 40.0 + i);  // in order, by alias
    CHECK(doc["ts"] == kStart + 1000 * i);
  }
  const json letter = json::parse(dead.records().front().value);
  CHECK(letter["reason"] == "no_birth");
  CHECK(letter["device"] == "motor-1");
  CHECK(gateway.metric("dead_letters_total") == 1.0);
  CHECK(gateway.terminate() == 0);
}
