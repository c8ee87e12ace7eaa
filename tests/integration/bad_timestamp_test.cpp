// Event time that one bad device clock cannot poison: a message stamped in the year 4980
// goes to the dead-letter topic, and the device's later messages are analysed as usual,
// all through the real gateway, mosquitto and Kafka.

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>

#include "edgegw/clock.hpp"
#include "gateway_stack.hpp"

using nlohmann::json;

namespace {

constexpr std::int64_t kYear4980 = 94'986'432'000'000;  // 4980-01-01T00:00:00Z

std::string payload(int seq, std::int64_t ts, double temperature) {
  return fmt::format(R"({{"seq":{},"ts":{},"temp":{},"p":{{"value":1000}}}})", seq, ts,
                     temperature);
}

}  // namespace

TEST_CASE(
    "a message stamped in the year 4980 is dead-lettered as bad_timestamp, and the "
    "device's later samples still raise their rule's alert",
    "[integration][analytics][dead_letter]") {
  edgegw::test::GatewayTestConfig config;
  config.mapping_extra = "";  // the default bounds: 5m ahead, 7d behind arrival
  config.analytics = R"(analytics:
  enabled: true
  window: 10s
  profiles:
    default:
      rules:
        - name: hot
          when: "temperature > 90"
          for: 3s
          severity: critical
)";
  edgegw::test::GatewayStack stack({}, config);
  edgegw::test::GatewayProcess& gateway = stack.start_gateway();
  const std::string topic = edgegw::test::device_topic(4);
  constexpr int kGood = 15;
  {
    edgegw::test::MqttPublisher device(stack.mosquitto.uri());
    device.publish(topic, payload(1, kYear4980, 95.0));
    // Then 15 s of event time above 90 degC, ending a few seconds before now (behind
    // arrival, as a device's clock usually is).
    const std::int64_t start = edgegw::wall_clock_ms() - 20'000;
    for (int i = 0; i < kGood; ++i) {
      device.publish(topic, payload(2 + i, start + i * 1000, 95.0));
    }
    device.wait_all();
  }

  edgegw::test::KafkaReader dead(stack.kafka.bootstrap(), "edgegw.dead-letter");
  REQUIRE(dead.read_until(1, std::chrono::seconds(60)) == 1);
  const json letter = json::parse(dead.records().at(0).value);
  CHECK(letter.at("reason") == "bad_timestamp");
  CHECK(letter.at("device") == "dev-004");
  CHECK(letter.at("forwarded_readings") == 0);
  const std::string detail = letter.at("problems").at(0).at("detail");
  CHECK_THAT(detail, Catch::Contains("4980-01-01T00:00:00.000Z") &&
                         Catch::Contains("max_clock_skew (5m) ahead of the arrival time"));

  edgegw::test::KafkaReader alerts(stack.kafka.bootstrap(), "edgegw.alerts");
  REQUIRE(alerts.read_until(1, std::chrono::seconds(60)) >= 1);
  alerts.drain(std::chrono::seconds(1));
  std::vector<std::string> hot_states;
  for (const auto& r : alerts.records()) {
    const json doc = json::parse(r.value);
    if (doc.at("source").get<std::string>().find("hot") != std::string::npos) {
      CHECK(r.key == "dev-004");
      hot_states.push_back(doc.at("state"));
    }
  }
  REQUIRE_FALSE(hot_states.empty());
  CHECK(hot_states.front() == "raised");

  // Only the good messages are telemetry, each at its own time.
  edgegw::test::KafkaReader telemetry(stack.kafka.bootstrap(), "edgegw.telemetry");
  telemetry.read_until(kGood, std::chrono::seconds(30));
  CHECK(telemetry.drain(std::chrono::milliseconds(500)) == kGood);
  for (const auto& r : telemetry.records()) {
    CHECK(json::parse(r.value).at("ts").get<std::int64_t>() < kYear4980);
  }
  CHECK(gateway.metric("timestamps_rejected_total") == 1);
  CHECK(gateway.metric("dead_letters_total") == 1);
  CHECK(gateway.terminate() == 0);
}
