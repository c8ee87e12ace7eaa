// Bad input must not be dropped silently nor disturb the good messages around it.

#include <catch2/catch.hpp>

#include <map>

#include "gateway_stack.hpp"

using nlohmann::json;

TEST_CASE(
    "malformed payloads and unmapped topics go to the dead-letter topic with "
    "reasons, and good messages around them arrive intact",
    "[integration][dead_letter]") {
  edgegw::test::GatewayStack stack;
  edgegw::test::GatewayProcess& gateway = stack.start_gateway();
  const std::string good_topic = edgegw::test::device_topic(7);
  struct Bad {
    std::string topic;
    std::string payload;
    std::string reason;
  };
  const std::vector<Bad> bad = {
      {good_topic, R"({"seq":1000,"temp":)", "decode_error"},
      {"plant/site-1/dev-007/status", R"({"up":true})", "no_mapping"},
      {good_topic, R"({"seq":1001,"ts":1,"temp":"warm"})", "wrong_type"},
      {good_topic, R"({"seq":1002,"ts":1,"temp":999})", "out_of_range"},
      {good_topic, std::string("\xff\xfe\x00garbage", 10), "decode_error"},
      {"unrelated/topic", "42", "no_mapping"},
  };
  {
    edgegw::test::MqttPublisher devices(stack.mosquitto.uri());
    int seq = 1;
    for (const Bad& b : bad) {
      devices.publish(good_topic, edgegw::test::device_payload(7, seq++));
      devices.publish(b.topic, b.payload);
    }
    devices.publish(good_topic, edgegw::test::device_payload(7, seq));
    devices.wait_all();
  }
  edgegw::test::KafkaReader telemetry(stack.kafka.bootstrap(), "edgegw.telemetry");
  edgegw::test::KafkaReader dead(stack.kafka.bootstrap(), "edgegw.dead-letter");
  REQUIRE(telemetry.read_until(bad.size() + 1, std::chrono::seconds(60)) == bad.size() + 1);
  REQUIRE(dead.read_until(bad.size(), std::chrono::seconds(60)) == bad.size());
  CHECK(telemetry.drain(std::chrono::seconds(1)) == bad.size() + 1);
  CHECK(dead.drain(std::chrono::milliseconds(500)) == bad.size());

  std::vector<int> seqs;
  for (const auto& r : telemetry.records()) {
    seqs.push_back(json::parse(r.value).at("seq").get<int>());
  }
  std::vector<int> expected(bad.size() + 1);
  std::iota(expected.begin(), expected.end(), 1);
  CHECK(seqs == expected);

  // Dead letters may sit on different partitions (keyed by device or topic): match by
  // payload rather than by order.
  std::map<std::string, json> by_payload;
  for (const auto& r : dead.records()) {
    const json doc = json::parse(r.value);
    const std::string payload = doc.contains("payload") ? doc["payload"].get<std::string>()
                                                        : doc["payload_base64"].get<std::string>();
    by_payload[payload] = doc;
  }
  for (const Bad& b : bad) {
    const bool binary = b.payload.find('\xff') != std::string::npos;
    const std::string key = binary ? "//4AZ2FyYmFnZQ==" : b.payload;
    INFO(b.payload);
    REQUIRE(by_payload.count(key) == 1);
    const json& doc = by_payload[key];
    CHECK(doc["reason"] == b.reason);
    CHECK(doc["topic"] == b.topic);
    CHECK(doc["gateway"] == "gw-test");
    CHECK_FALSE(doc["problems"][0]["detail"].get<std::string>().empty());
  }
  CHECK(gateway.metric("dead_letters_total") == bad.size());
  CHECK(gateway.metric("unmapped_messages_total") == 2);
  CHECK(gateway.terminate() == 0);
}
