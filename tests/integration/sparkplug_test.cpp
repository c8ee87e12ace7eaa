// Sparkplug B through the real gateway: an edge node and its device publish births and
// alias-only data to a real mosquitto; the telemetry read back from Kafka names the
// device and its sensors, and data whose birth the gateway never saw is dead-lettered.
// Death certificates (also the will the broker publishes for a killed node) become the
// devices' offline alerts, and births clear them.

#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <tuple>
#include <vector>

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

GatewayTestConfig sparkplug_analytics_config() {
  GatewayTestConfig c = sparkplug_config();
  c.analytics = R"(analytics:
  enabled: true
)";
  return c;
}

std::string node_birth(std::uint64_t bd_seq) {
  SparkplugPayload p;
  p.set_timestamp(kStart);
  add_bd_seq(p, bd_seq);
  return serialized(p);
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

// The offline alerts' records on the alerts topic, in order, as (device, state, reason).
std::vector<std::tuple<std::string, std::string, std::string>> offline_alerts(
    const KafkaReader& alerts) {
  std::vector<std::tuple<std::string, std::string, std::string>> found;
  for (const ConsumedRecord& r : alerts.records()) {
    const json doc = json::parse(r.value);
    if (doc.at("source") == "offline") {
      found.emplace_back(doc.at("device"), doc.at("state"), doc.value("reason", ""));
    }
  }
  return found;
}

std::size_t count_offline(KafkaReader& alerts, std::size_t wanted) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (offline_alerts(alerts).size() < wanted && std::chrono::steady_clock::now() < deadline) {
    alerts.read_until(alerts.records().size() + 1, std::chrono::seconds(1));
  }
  return offline_alerts(alerts).size();
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
  CHECK(gateway.metric("sparkplug_seq_gaps_total") == 0.0);
  CHECK(gateway.terminate() == 0);
}

TEST_CASE("a DDEATH raises the device's offline alert and its DBIRTH clears it",
          "[integration][sparkplug]") {
  GatewayStack stack({}, sparkplug_analytics_config());
  GatewayProcess& gateway = stack.start_gateway();
  KafkaReader alerts(stack.kafka.bootstrap(), "edgegw.alerts");
  MqttPublisher node(stack.mosquitto.uri(), "edge-node-1");
  node.publish("spBv1.0/plant/NBIRTH/node1", node_birth(0));
  node.publish("spBv1.0/plant/DBIRTH/node1/motor-1", device_birth());
  for (int i = 1; i <= 5; ++i) {
    node.publish("spBv1.0/plant/DDATA/node1/motor-1", device_data(i));
  }
  node.publish("spBv1.0/plant/DDATA/node1/motor-1", device_data(9));  // seq 6 to 8 lost
  node.publish("spBv1.0/plant/DDEATH/node1/motor-1", serialized(SparkplugPayload{}));
  node.wait_all();
  REQUIRE(count_offline(alerts, 1) == 1);
  const json raised = [&] {
    for (const ConsumedRecord& r : alerts.records()) {
      if (json doc = json::parse(r.value); doc.at("source") == "offline") {
        CHECK(r.key == "motor-1");
        return doc;
      }
    }
    return json();
  }();
  CHECK(raised["device"] == "motor-1");
  CHECK(raised["state"] == "raised");
  CHECK(raised["reason"] == "death_certificate");
  CHECK(raised["context"] == json({{"group", "plant"},
                                   {"edge_node", "node1"},
                                   {"message", "DDEATH"},
                                   {"device", "motor-1"}}));

  node.publish("spBv1.0/plant/DBIRTH/node1/motor-1", device_birth());
  node.wait_all();
  REQUIRE(count_offline(alerts, 2) == 2);
  const auto found = offline_alerts(alerts);
  CHECK(found[1] == std::tuple<std::string, std::string, std::string>{"motor-1", "cleared",
                                                                      "birth_certificate"});
  CHECK(alerts.drain(std::chrono::seconds(1)) == alerts.records().size());
  CHECK(offline_alerts(alerts).size() == 2);  // raised once, cleared once
  CHECK(gateway.metric("sparkplug_seq_gaps_total") == 3.0);
  CHECK(gateway.terminate() == 0);
}

TEST_CASE("an NDEATH takes the edge node and its devices offline, a stale one nothing",
          "[integration][sparkplug]") {
  GatewayStack stack({}, sparkplug_analytics_config());
  GatewayProcess& gateway = stack.start_gateway();
  KafkaReader alerts(stack.kafka.bootstrap(), "edgegw.alerts");
  MqttPublisher node(stack.mosquitto.uri(), "edge-node-1");
  node.publish("spBv1.0/plant/NBIRTH/node1", node_birth(3));
  node.publish("spBv1.0/plant/DBIRTH/node1/motor-1", device_birth());
  node.publish("spBv1.0/plant/DBIRTH/node1/motor-2", device_birth());
  SparkplugPayload stale;  // the will of an earlier session, delivered late
  add_bd_seq(stale, 2);
  node.publish("spBv1.0/plant/NDEATH/node1", serialized(stale));
  SparkplugPayload death;
  add_bd_seq(death, 3);
  node.publish("spBv1.0/plant/NDEATH/node1", serialized(death));
  node.wait_all();
  REQUIRE(count_offline(alerts, 3) == 3);
  std::vector<std::string> devices;
  for (const auto& [device, state, reason] : offline_alerts(alerts)) {
    CHECK(state == "raised");
    CHECK(reason == "death_certificate");
    devices.push_back(device);
  }
  std::sort(devices.begin(), devices.end());
  CHECK(devices == std::vector<std::string>{"motor-1", "motor-2", "node1"});

  // The node's next session: its NBIRTH clears the node's, each DBIRTH its device's.
  node.publish("spBv1.0/plant/NBIRTH/node1", node_birth(4));
  node.publish("spBv1.0/plant/DBIRTH/node1/motor-1", device_birth());
  node.wait_all();
  REQUIRE(count_offline(alerts, 5) == 5);
  alerts.drain(std::chrono::seconds(1));
  std::vector<std::string> cleared;  // the alerts topic is ordered per device only
  for (const auto& [device, state, reason] : offline_alerts(alerts)) {
    if (state == "cleared") {
      INFO(device);
      CHECK(reason == "birth_certificate");
      cleared.push_back(device);
    }
  }
  std::sort(cleared.begin(), cleared.end());
  // motor-2 has not come back: still offline.
  CHECK(cleared == std::vector<std::string>{"motor-1", "node1"});
  CHECK(offline_alerts(alerts).size() == 5);
  CHECK(gateway.terminate() == 0);
}

TEST_CASE("a killed edge node's will, the broker's NDEATH, takes it offline",
          "[integration][sparkplug]") {
  GatewayStack stack({}, sparkplug_analytics_config());
  GatewayProcess& gateway = stack.start_gateway();
  KafkaReader alerts(stack.kafka.bootstrap(), "edgegw.alerts");
  KafkaReader telemetry(stack.kafka.bootstrap(), "edgegw.telemetry");
  // The node's connection registers its NDEATH as the will, as Sparkplug nodes do. An
  // argv cannot hold a NUL byte: bdSeq 1 encodes without one.
  SparkplugPayload will;
  add_bd_seq(will, 1);
  REQUIRE(serialized(will).find('\0') == std::string::npos);
  ChildProcess node_connection(
      {"/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p", std::to_string(stack.mosquitto.port()),
       "-i", "edge-node-2", "-q", "1", "-t", "spBv1.0/plant/NCMD/node2", "--will-topic",
       "spBv1.0/plant/NDEATH/node2", "--will-payload", serialized(will), "--will-qos", "1"},
      stack.dir.path() / "node.out", stack.dir.path() / "node.err");
  {
    MqttPublisher births(stack.mosquitto.uri(), "edge-node-2-births");
    births.publish("spBv1.0/plant/NBIRTH/node2", node_birth(1));
    births.publish("spBv1.0/plant/DBIRTH/node2/motor-7", device_birth());
    births.wait_all();
  }
  REQUIRE(telemetry.read_until(1, std::chrono::seconds(30)) == 1);  // the DBIRTH: born
  REQUIRE(node_connection.running());
  node_connection.signal(SIGKILL);  // no DISCONNECT: the broker publishes the will
  REQUIRE(count_offline(alerts, 2) == 2);
  std::vector<std::string> devices;
  for (const ConsumedRecord& r : alerts.records()) {
    if (const json doc = json::parse(r.value); doc.at("source") == "offline") {
      CHECK(doc.at("context").at("message") == "NDEATH");
      devices.push_back(doc.at("device"));
    }
  }
  std::sort(devices.begin(), devices.end());
  CHECK(devices == std::vector<std::string>{"motor-7", "node2"});
  CHECK(gateway.terminate() == 0);
}
