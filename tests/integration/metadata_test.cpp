// Device metadata through the real gateway, mosquitto and Kafka: its tags on telemetry
// and alerts, a rule with each device's own limit, devices it does not list, and a
// changed (or broken) metadata file on SIGHUP.

#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "gateway_stack.hpp"

using nlohmann::json;

namespace {

// dev-001's limit is low, dev-002's high; dev-003 is not listed. The mapping captures
// `site` from the topic (plant/site-<n % 3>/...), which the file agrees with.
const std::string kDevices =
    "device,site,line,max_temperature\n"
    "dev-001,site-1,L1,50\n"
    "dev-002,site-2,L2,200\n";

edgegw::test::GatewayTestConfig metadata_config() {
  edgegw::test::GatewayTestConfig config;
  config.analytics = R"(analytics:
  enabled: true
  window: 10s
  profiles:
    default:
      anomaly: { enabled: false }
      stuck: { enabled: false }
      silence: { enabled: false }
      rules:
        - { name: too_hot, when: "temperature > meta.max_temperature", severity: critical }
metadata:
  file: devices.csv
)";
  return config;
}

std::string payload(int seq, double temperature) {
  return fmt::format(R"({{"seq":{},"ts":{},"temp":{},"p":{{"value":1000}}}})", seq,
                     1700000000000 + seq * 1000, temperature);
}

// Each of dev-001..003 sends seq from..to at `temperature`.
void publish(edgegw::test::GatewayStack& stack, int from, int to, double temperature) {
  edgegw::test::MqttPublisher devices(stack.mosquitto.uri());
  for (int seq = from; seq <= to; ++seq) {
    for (int device = 1; device <= 3; ++device) {
      devices.publish(edgegw::test::device_topic(device), payload(seq, temperature));
    }
  }
  devices.wait_all();
}

// The devices with a raised too_hot alert among the records read so far.
std::set<std::string> raised_devices(const edgegw::test::KafkaReader& alerts) {
  std::set<std::string> devices;
  for (const auto& r : alerts.records()) {
    const json doc = json::parse(r.value);
    if (doc.at("source") == "rule:too_hot" && doc.at("state") == "raised") {
      devices.insert(doc.at("device").get<std::string>());
    }
  }
  return devices;
}

}  // namespace

TEST_CASE("metadata tags reach telemetry and alerts, and a meta rule fires per device",
          "[integration][metadata]") {
  edgegw::test::GatewayStack stack({}, metadata_config());
  (void)stack.dir.write("devices.csv", kDevices);
  edgegw::test::GatewayProcess& gateway = stack.start_gateway();
  publish(stack, 1, 10, 100.0);  // over dev-001's 50, under dev-002's 200

  edgegw::test::KafkaReader telemetry(stack.kafka.bootstrap(), "edgegw.telemetry");
  REQUIRE(telemetry.read_until(30, std::chrono::seconds(30)) == 30);
  std::map<std::string, int> per_device;
  for (const auto& r : telemetry.records()) {
    const json doc = json::parse(r.value);
    const std::string device = doc.at("device");
    ++per_device[device];
    if (device == "dev-001") {
      CHECK(doc.at("tags") ==
            json({{"site", "site-1"}, {"line", "L1"}, {"max_temperature", "50"}}));
    } else if (device == "dev-003") {  // not listed: the mapping's tags only, and it flows
      CHECK(doc.at("tags") == json({{"site", "site-0"}}));
    }
  }
  CHECK(per_device ==
        std::map<std::string, int>{{"dev-001", 10}, {"dev-002", 10}, {"dev-003", 10}});

  edgegw::test::KafkaReader alerts(stack.kafka.bootstrap(), "edgegw.alerts");
  alerts.drain(std::chrono::seconds(3));
  CHECK(raised_devices(alerts) == std::set<std::string>{"dev-001"});
  for (const auto& r : alerts.records()) {
    const json doc = json::parse(r.value);
    if (doc.at("source") == "rule:too_hot") {
      CHECK(r.key == "dev-001");
      CHECK(doc.at("threshold") == 50.0);
      CHECK(doc.at("tags").at("site") == "site-1");
      CHECK(doc.at("tags").at("line") == "L1");
    }
  }
  CHECK(gateway.metric("metadata_devices") == 2);
  CHECK(gateway.wait_metric("metadata_unknown_samples_total", 10) == 10);
  CHECK(gateway.wait_metric("metadata_rules_unresolved_total", 1) == 1);  // dev-003, once
  CHECK(gateway.terminate() == 0);
}

TEST_CASE("a changed metadata file is picked up on SIGHUP, a broken one refused with its line",
          "[integration][metadata][reload]") {
  edgegw::test::GatewayStack stack({}, metadata_config());
  const auto devices_file = stack.dir.write("devices.csv", kDevices);
  edgegw::test::GatewayProcess& gateway = stack.start_gateway();
  publish(stack, 1, 5, 100.0);
  edgegw::test::KafkaReader alerts(stack.kafka.bootstrap(), "edgegw.alerts");
  alerts.drain(std::chrono::seconds(3));
  REQUIRE(raised_devices(alerts) == std::set<std::string>{"dev-001"});

  // A duplicate device: refused at its line, the running metadata stays.
  edgegw::test::write_file(devices_file, kDevices + "dev-001,site-1,L9,10\n");
  REQUIRE(gateway.reload("Config reload refused"));
  CHECK_THAT(gateway.log(),
             Catch::Contains("devices.csv:4: device 'dev-001' is listed twice (first at line 2)"));

  // dev-002's limit lowered and dev-003 listed: both now cross theirs.
  edgegw::test::write_file(devices_file,
                           "device,site,line,max_temperature\n"
                           "dev-001,site-1,L1,50\n"
                           "dev-002,site-2,L2,60\n"
                           "dev-003,site-0,L3,70\n");
  REQUIRE(gateway.reload("Config reloaded."));
  REQUIRE(gateway.wait_ready(std::chrono::seconds(30)));
  publish(stack, 6, 10, 100.0);
  alerts.drain(std::chrono::seconds(3));
  CHECK(raised_devices(alerts) == std::set<std::string>{"dev-001", "dev-002", "dev-003"});
  CHECK(gateway.metric("metadata_devices") == 3);
  CHECK(gateway.terminate() == 0);
}
