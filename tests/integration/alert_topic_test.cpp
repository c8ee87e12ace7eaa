// Alerts on a local MQTT topic for actuation (`mqtt.alerts`): the same records as on the
// alerts stream, on a topic per device and source, retained so that an actuator that
// connects later sees each alert's current state, and filtered by severity. Checked with
// a real mosquitto_sub next to a real Kafka consumer.

#include <catch2/catch.hpp>

#include <map>
#include <sstream>
#include <thread>

#include "gateway_stack.hpp"

using edgegw::test::ChildProcess;
using nlohmann::json;

namespace {

std::string payload(int seq, double temperature) {
  return fmt::format(R"({{"seq":{},"ts":{},"temp":{},"p":{{"value":1000}}}})", seq,
                     1700000000000 + seq * std::int64_t{1000}, temperature);
}

// `mosquitto_sub -v` lines: "<topic> <payload>".
std::multimap<std::string, json> read_subscription(const std::filesystem::path& file) {
  std::multimap<std::string, json> messages;
  std::istringstream lines(edgegw::test::read_file(file));
  for (std::string line; std::getline(lines, line);) {
    const auto space = line.find(' ');
    if (space != std::string::npos && line.compare(0, 7, "edgegw/") == 0 &&
        line.find("/probe") == std::string::npos) {
      messages.emplace(line.substr(0, space), json::parse(line.substr(space + 1)));
    }
  }
  return messages;
}

std::vector<std::string> subscriber(const edgegw::test::MosquittoFixture& broker,
                                    std::vector<std::string> extra) {
  std::vector<std::string> argv{"/usr/bin/mosquitto_sub",
                                "-h",
                                "127.0.0.1",
                                "-p",
                                std::to_string(broker.port()),
                                "-q",
                                "1",
                                "-v",
                                "-t",
                                "edgegw/#"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

// Publishes probes until the subscriber has printed one: from then on it misses nothing.
void wait_subscribed(edgegw::test::MqttPublisher& publisher, const std::filesystem::path& out) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (edgegw::test::read_file(out).find("edgegw/probe") == std::string::npos) {
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    publisher.publish("edgegw/probe", "{}");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace

TEST_CASE("alerts reach the local MQTT topic as on Kafka, retained and filtered by severity",
          "[integration][analytics]") {
  edgegw::test::GatewayTestConfig config;
  config.mqtt_extra = R"(  alerts:
    topic: "edgegw/{gateway}/alerts/{device}/{source}"
    retain: true
    min_severity: critical)";
  config.analytics = R"(analytics:
  enabled: true
  profiles:
    default:
      ewma: { enabled: false }
      mad: { enabled: false }
      rate: { enabled: false }
      multivariate: { mahalanobis: false, pca: false }
      rules:
        - { name: overheat, when: "temperature > 100", for: 3s, clear: 90, severity: critical }
        - { name: warm, when: "temperature > 50", for: 3s, clear: 40, severity: warning }
)";
  edgegw::test::GatewayStack stack({}, config);
  const auto live_out = stack.dir.path() / "live.txt";
  ChildProcess live(subscriber(stack.mosquitto, {}), live_out, stack.dir.path() / "live.err");
  edgegw::test::GatewayProcess& gateway = stack.start_gateway();
  const std::string topic = edgegw::test::device_topic(1);
  {
    edgegw::test::MqttPublisher device(stack.mosquitto.uri());
    wait_subscribed(device, live_out);
    int seq = 1;
    for (; seq <= 10; ++seq) {
      device.publish(topic, payload(seq, 21.0));
    }
    for (; seq <= 25; ++seq) {  // 15 s above 100 degC: both rules fire
      device.publish(topic, payload(seq, 150.0));
    }
    for (; seq <= 40; ++seq) {  // back to normal: both clear
      device.publish(topic, payload(seq, 21.0));
    }
    device.wait_all();
  }
  REQUIRE(gateway.wait_metric("alerts_cleared_total", 2, std::chrono::seconds(30)) >= 2);
  REQUIRE(gateway.wait_metric("mqtt_alerts_delivered_total", 2, std::chrono::seconds(30)) >= 2);
  CHECK(gateway.metric("mqtt_alerts_filtered_total") == 2);  // warm: raised, cleared
  CHECK(gateway.metric("mqtt_alerts_connected") == 1);

  // On Kafka: both rules' transitions.
  edgegw::test::KafkaReader kafka(stack.kafka.bootstrap(), "edgegw.alerts");
  kafka.drain(std::chrono::seconds(5));
  std::vector<json> overheat_on_kafka;
  int warm_on_kafka = 0;
  for (const auto& r : kafka.records()) {
    const json doc = json::parse(r.value);
    if (doc.at("source") == "rule:overheat") {
      overheat_on_kafka.push_back(doc);
    }
    warm_on_kafka += doc.at("source") == "rule:warm" ? 1 : 0;
  }
  CHECK(warm_on_kafka == 2);
  REQUIRE(overheat_on_kafka.size() == 2);

  // On MQTT: the critical rule only, the very same records, on the device's topic.
  const std::string alert_topic = "edgegw/gw-test/alerts/dev-001/rule:overheat";
  const auto wait_for_lines = [&](std::size_t n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (read_subscription(live_out).size() < n && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return read_subscription(live_out);
  };
  const std::multimap<std::string, json> on_mqtt = wait_for_lines(2);
  REQUIRE(on_mqtt.size() == 2);
  CHECK(on_mqtt.count(alert_topic) == 2);
  std::vector<json> overheat_on_mqtt;
  for (const auto& [t, doc] : on_mqtt) {
    overheat_on_mqtt.push_back(doc);
  }
  CHECK(overheat_on_mqtt == overheat_on_kafka);
  CHECK(overheat_on_mqtt.front().at("state") == "raised");

  // An actuator connecting now gets each alert's current state: the retained `cleared`.
  const auto late_out = stack.dir.path() / "late.txt";
  ChildProcess late(subscriber(stack.mosquitto, {"-C", "1", "-W", "10"}), late_out,
                    stack.dir.path() / "late.err");
  REQUIRE(late.wait_for(std::chrono::seconds(15)) == 0);
  const std::multimap<std::string, json> retained = read_subscription(late_out);
  REQUIRE(retained.size() == 1);
  CHECK(retained.begin()->first == alert_topic);
  CHECK(retained.begin()->second.at("state") == "cleared");
  CHECK(retained.begin()->second.at("id") == overheat_on_kafka.front().at("id"));
}
