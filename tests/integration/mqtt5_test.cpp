// MQTT 5 against the real mosquitto: the session expiry the gateway asks for, the
// broker's reason codes, the Maximum Packet Size sent from mqtt.max_payload, and user
// properties and the content type read by a mapping. (mosquitto 2.0 sends no DISCONNECT
// of its own, neither on a session taken over nor at shutdown: counting those is covered
// by a unit test only.)

#include <catch2/catch.hpp>

#include <map>
#include <thread>

#include "gateway_stack.hpp"

using nlohmann::json;
using namespace std::chrono_literals;

namespace {

edgegw::test::GatewayTestConfig mqtt5_config(const std::string& mqtt_extra = "") {
  edgegw::test::GatewayTestConfig config;
  config.mqtt_extra = "  version: 5\n" + mqtt_extra;
  return config;
}

}  // namespace

TEST_CASE("mqtt.session_expiry: the broker queues for the gateway that long, and no longer",
          "[integration][mqtt5]") {
  constexpr int kDevices = 5;
  constexpr auto kExpiry = 5s;
  edgegw::test::GatewayStack stack({}, mqtt5_config("  session_expiry: 5s"));
  edgegw::test::GatewayProcess* gateway = &stack.start_gateway();
  edgegw::test::MqttPublisher devices(stack.mosquitto.uri());

  // Away for less than the expiry: what was published meanwhile arrives after the restart.
  REQUIRE(gateway->terminate() == 0);
  edgegw::test::publish_rounds(devices, kDevices, 1, 10);
  gateway = &stack.start_gateway();
  CHECK(gateway->wait_metric("mqtt_messages_total", kDevices * 10, 30s) == kDevices * 10);

  // Away for longer: the broker dropped the session and its queue. A marker published
  // after the restart arrives behind anything still queued, so once it is in, nothing
  // else is coming.
  REQUIRE(gateway->terminate() == 0);
  edgegw::test::publish_rounds(devices, kDevices, 11, 20);
  std::this_thread::sleep_for(kExpiry + 3s);
  gateway = &stack.start_gateway();
  edgegw::test::publish_rounds(devices, 1, 21, 21);
  CHECK(gateway->wait_metric("mqtt_messages_total", 1, 30s) == 1);
  std::this_thread::sleep_for(500ms);
  CHECK(gateway->metric("mqtt_messages_total") == 1);
  CHECK(gateway->terminate() == 0);
}

TEST_CASE("the broker's reason codes are counted by packet and code", "[integration][mqtt5]") {
  edgegw::test::GatewayStack stack({}, mqtt5_config());
  edgegw::test::GatewayProcess& gateway = stack.start_gateway();
  // One CONNACK and a SUBACK code for each of the two filters, on each connection.
  CHECK(gateway.wait_metric("mqtt_reason_codes_total", 3, 10s) == 3);
  stack.mosquitto.stop();
  stack.mosquitto.start();
  CHECK(gateway.wait_metric("mqtt_reason_codes_total", 6, 30s) == 6);
  CHECK(gateway.terminate() == 0);
}

TEST_CASE("mqtt.max_payload goes to the broker as Maximum Packet Size: far larger is dropped",
          "[integration][mqtt5]") {
  edgegw::test::GatewayStack stack({}, mqtt5_config("  max_payload: 1KiB"));
  edgegw::test::GatewayProcess& gateway = stack.start_gateway();
  edgegw::test::MqttPublisher devices(stack.mosquitto.uri());
  // Just over max_payload: within the packet size's headroom, so it still arrives and is
  // dead-lettered as oversized.
  devices.publish(edgegw::test::device_topic(0), std::string(2048, 'x'));
  // Far over: the broker never sends it (mosquitto drops it for this client).
  devices.publish(edgegw::test::device_topic(1), std::string(200 * 1024, 'x'));
  devices.publish(edgegw::test::device_topic(2), edgegw::test::device_payload(2, 1));
  devices.wait_all();

  CHECK(gateway.wait_metric("mqtt_messages_total", 2, 30s) == 2);
  std::this_thread::sleep_for(500ms);  // the dropped one is not merely late
  CHECK(gateway.metric("mqtt_messages_total") == 2);
  CHECK(gateway.metric("mqtt_bytes_total") < 100 * 1024);
  CHECK(gateway.wait_metric("samples_total", 1, 10s) == 1);
  CHECK(gateway.terminate() == 0);
}

TEST_CASE("a mapping reads user properties and the content type into tags and readings",
          "[integration][mqtt5]") {
  edgegw::test::GatewayTestConfig config = mqtt5_config();
  config.tags = "[site, $user.line, $content_type]";
  config.sensors_extra = "      - { name: speed, field: $user.rpm, unit: rpm }";
  edgegw::test::GatewayStack stack({}, config);
  edgegw::test::GatewayProcess& gateway = stack.start_gateway();
  edgegw::test::MqttPublisher devices(stack.mosquitto.uri(), "edgegw-test-devices", 5);
  edgegw::MessageProperties properties;
  properties.content_type = "application/json";
  properties.user = {{"line", "L7"}, {"rpm", "1450"}};
  devices.publish(edgegw::test::device_topic(1), edgegw::test::device_payload(1, 1), properties);
  // A message without properties maps as before: no such tags, no such reading.
  devices.publish(edgegw::test::device_topic(2), edgegw::test::device_payload(2, 1));
  devices.wait_all();

  edgegw::test::KafkaReader reader(stack.kafka.bootstrap(), "edgegw.telemetry");
  REQUIRE(reader.read_until(2, 60s) == 2);
  std::map<std::string, json> by_device;
  for (const auto& record : reader.records()) {
    const json doc = json::parse(record.value);
    by_device[doc.at("device").get<std::string>()] = doc;
  }
  const json& with = by_device.at(edgegw::test::device_name(1));
  CHECK(with.at("tags").at("line") == "L7");
  CHECK(with.at("tags").at("content_type") == "application/json");
  CHECK(with.at("readings").at("speed").at("value") == 1450.0);
  CHECK(with.at("readings").at("speed").at("unit") == "rpm");
  const json& without = by_device.at(edgegw::test::device_name(2));
  CHECK_FALSE(without.at("tags").contains("line"));
  CHECK_FALSE(without.at("readings").contains("speed"));
  CHECK(without.at("readings").contains("temperature"));
  CHECK(gateway.terminate() == 0);
}
