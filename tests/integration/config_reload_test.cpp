// SIGHUP and POST /-/reload reload the config of a running gateway: a changed mapping,
// rule and Kafka topic apply to the messages after it, every message arrives exactly
// once and in order across it, and a config with a mistake is refused, with its
// file:line reason, while the running gateway goes on.

#include <catch2/catch.hpp>

#include <future>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "delivery_check.hpp"
#include "gateway_stack.hpp"

using nlohmann::json;

namespace {

constexpr int kDevices = 10;

// A rule that no test payload meets (temperatures are 20..40 °C): replaced on reload.
const char* const kAnalytics = R"(analytics:
  enabled: true
  window: 5s
  profiles:
    default:
      rules:
        - { name: hot, when: "temperature > 1000", severity: critical }
)";

edgegw::test::GatewayTestConfig reload_test_config(std::string http_token = "") {
  edgegw::test::GatewayTestConfig config;
  config.analytics = kAnalytics;
  config.http_token = std::move(http_token);
  return config;
}

void replace(std::string& text, std::string_view from, std::string_view to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
}

// Reads the topics until every expected message arrived on one of them, then until they
// are quiet; checks them as one stream, the first topic's records before the second's.
edgegw::test::DeliveryCheck check_across(const std::vector<edgegw::test::KafkaReader*>& readers,
                                         const std::map<std::string, int>& expected,
                                         std::chrono::milliseconds timeout) {
  const auto check = [&] {
    std::vector<edgegw::test::ConsumedRecord> all;
    for (const auto* reader : readers) {
      all.insert(all.end(), reader->records().begin(), reader->records().end());
    }
    edgegw::test::DeliveryTracker tracker(expected);
    tracker.add(all);
    return tracker.check();
  };
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (std::size_t missing = check().missing;
       missing > 0 && std::chrono::steady_clock::now() < deadline; missing = check().missing) {
    // Each reader may hold all that is missing: asking for one record more at a time
    // made a reader whose topic was done wait out its timeout once per record.
    for (auto* reader : readers) {
      reader->read_until(reader->records().size() + missing, std::chrono::seconds(1));
    }
  }
  for (auto* reader : readers) {
    reader->drain(std::chrono::seconds(3));
  }
  return check();
}

}  // namespace

TEST_CASE("SIGHUP applies a changed mapping and rule under load and stores each message once",
          "[integration][reload]") {
  constexpr int kBefore = 100;  // per device, under the first config
  constexpr int kDuring = 100;  // per device, published while the gateway reloads
  constexpr int kAfter = 100;   // per device, under the new config
  edgegw::test::GatewayStack stack({}, reload_test_config());
  edgegw::test::GatewayProcess& gateway = stack.start_gateway();
  edgegw::test::MqttPublisher devices(stack.mosquitto.uri());
  edgegw::test::publish_rounds(devices, kDevices, 1, kBefore);
  REQUIRE(gateway.wait_metric("log_appended_records_total", kDevices * kBefore) >=
          kDevices * kBefore);

  // The pressure sensor renamed and rescaled, the rule made to fire.
  std::string config = edgegw::test::read_file(stack.config_file());
  replace(config, "name: pressure, field: p.value, unit: bar, scale: 0.01",
          "name: pressure_kpa, field: p.value, unit: kPa, scale: 1");
  replace(config, "temperature > 1000", "temperature > 0");
  edgegw::test::write_file(stack.config_file(), config);
  const int pid = gateway.pid();
  std::thread reload([&gateway] { CHECK(gateway.reload("Config reloaded.")); });
  edgegw::test::publish_rounds(devices, kDevices, kBefore + 1, kBefore + kDuring);
  reload.join();
  REQUIRE(gateway.wait_ready(std::chrono::seconds(30)));
  CHECK(gateway.pid() == pid);  // the same process: reloaded, not restarted
  edgegw::test::publish_rounds(devices, kDevices, kBefore + kDuring + 1,
                               kBefore + kDuring + kAfter);

  edgegw::test::KafkaReader telemetry(stack.kafka.bootstrap(), "edgegw.telemetry");
  const edgegw::test::DeliveryCheck check = edgegw::test::read_and_check(
      telemetry, edgegw::test::expected_per_device(kDevices, kBefore + kDuring + kAfter),
      std::chrono::seconds(90));
  INFO(check.summary());
  CHECK(check.missing == 0);
  CHECK(check.out_of_order == 0);
  // Only the mapping and a rule changed: the MQTT session stayed up across the reload, so
  // every message arrives exactly once, neither sent twice by the forwarder nor delivered
  // twice by the broker.
  CHECK_THAT(gateway.log(), Catch::Contains("the MQTT session stays"));
  CHECK(check.resent == 0);
  CHECK(check.redelivered == 0);
  CHECK(check.records == static_cast<std::size_t>(kDevices * (kBefore + kDuring + kAfter)));

  // Each message under the mapping in force when it arrived: the first ones all under
  // the old one, the last ones all under the new one.
  for (const auto& r : telemetry.records()) {
    const json doc = json::parse(r.value);
    const int seq = doc.at("seq").get<int>();
    const json& readings = doc.at("readings");
    if (seq <= kBefore) {
      CHECK(readings.contains("pressure"));
      CHECK(!readings.contains("pressure_kpa"));
    } else if (seq > kBefore + kDuring) {
      INFO(r.value);
      REQUIRE(readings.contains("pressure_kpa"));
      CHECK(readings.at("pressure_kpa").at("value").get<double>() == 1000.0 + seq);
      CHECK(!readings.contains("pressure"));
    }
  }
  // The rule now fires (it could not before).
  edgegw::test::KafkaReader alerts(stack.kafka.bootstrap(), "edgegw.alerts");
  alerts.read_until(1, std::chrono::seconds(60));
  REQUIRE(!alerts.records().empty());
  CHECK(json::parse(alerts.records().front().value).at("source") == "rule:hot");
  CHECK(gateway.terminate() == 0);
}

TEST_CASE("a reloaded config with a mistake is refused, naming its line, and the gateway goes on",
          "[integration][reload]") {
  edgegw::test::GatewayStack stack({}, reload_test_config());
  edgegw::test::GatewayProcess& gateway = stack.start_gateway();
  const std::string good = edgegw::test::read_file(stack.config_file());
  std::string broken = good;
  replace(broken, "qos: 1", "qos: 7");
  edgegw::test::write_file(stack.config_file(), broken);
  REQUIRE(gateway.reload("Config reload refused"));
  CHECK_THAT(gateway.log(), Catch::Contains("gateway.yaml:") && Catch::Contains("mqtt.qos"));
  CHECK(gateway.wait_ready(std::chrono::seconds(5)));

  edgegw::test::MqttPublisher devices(stack.mosquitto.uri());
  edgegw::test::publish_rounds(devices, kDevices, 1, 20);
  edgegw::test::KafkaReader telemetry(stack.kafka.bootstrap(), "edgegw.telemetry");
  const edgegw::test::DeliveryCheck check = edgegw::test::read_and_check(
      telemetry, edgegw::test::expected_per_device(kDevices, 20), std::chrono::seconds(60));
  INFO(check.summary());
  CHECK(check.missing == 0);

  // Fixed again, the reload goes through.
  edgegw::test::write_file(stack.config_file(), good);
  CHECK(gateway.reload("Config reloaded."));
  CHECK(gateway.wait_ready(std::chrono::seconds(30)));
  CHECK(gateway.terminate() == 0);
}

TEST_CASE("POST /-/reload applies a new mapping and Kafka topic under load and stores each once",
          "[integration][reload]") {
  const std::string token = "reload-test-token";
  constexpr int kBefore = 100;
  constexpr int kDuring = 100;
  constexpr int kAfter = 100;
  edgegw::test::GatewayStack stack({}, reload_test_config(token));
  stack.kafka.cluster().create_topic("plant.telemetry", stack.kafka.partitions(), 3);
  edgegw::test::GatewayProcess& gateway = stack.start_gateway();
  edgegw::test::MqttPublisher devices(stack.mosquitto.uri());
  edgegw::test::publish_rounds(devices, kDevices, 1, kBefore);
  REQUIRE(gateway.wait_metric("log_appended_records_total", kDevices * kBefore) >=
          kDevices * kBefore);

  // Without the token the reload is not even attempted.
  CHECK(gateway.post_reload("").status == 401);
  CHECK(gateway.post_reload("wrong-token").status == 401);

  std::string config = edgegw::test::read_file(stack.config_file());
  replace(config, "name: pressure, field: p.value, unit: bar, scale: 0.01",
          "name: pressure_kpa, field: p.value, unit: kPa, scale: 1");
  replace(config, "kafka:\n", "kafka:\n  topics: { telemetry: plant.telemetry }\n");
  edgegw::test::write_file(stack.config_file(), config);
  auto answer = std::async(std::launch::async, [&] { return gateway.post_reload(token); });
  edgegw::test::publish_rounds(devices, kDevices, kBefore + 1, kBefore + kDuring);
  const edgegw::test::HttpAnswer reloaded = answer.get();
  CHECK(reloaded.status == 200);
  CHECK_THAT(reloaded.body, Catch::StartsWith("reloaded: "));
  edgegw::test::publish_rounds(devices, kDevices, kBefore + kDuring + 1,
                               kBefore + kDuring + kAfter);

  // Each message exactly once, on the old topic before the reload, the new one after.
  edgegw::test::KafkaReader old_topic(stack.kafka.bootstrap(), "edgegw.telemetry");
  edgegw::test::KafkaReader new_topic(stack.kafka.bootstrap(), "plant.telemetry");
  const edgegw::test::DeliveryCheck check =
      check_across({&old_topic, &new_topic},
                   edgegw::test::expected_per_device(kDevices, kBefore + kDuring + kAfter),
                   std::chrono::seconds(90));
  INFO(check.summary());
  CHECK(check.missing == 0);
  CHECK(check.out_of_order == 0);
  CHECK(check.resent == 0);
  CHECK(check.redelivered == 0);
  CHECK(check.records == static_cast<std::size_t>(kDevices * (kBefore + kDuring + kAfter)));
  CHECK(old_topic.records().size() >= static_cast<std::size_t>(kDevices * kBefore));
  CHECK(new_topic.records().size() >= static_cast<std::size_t>(kDevices * kAfter));
  for (const auto& r : new_topic.records()) {
    INFO(r.value);
    CHECK(json::parse(r.value).at("readings").contains("pressure_kpa"));
  }

  // A mistake is refused with its file:line reason, and the gateway goes on.
  std::string broken = edgegw::test::read_file(stack.config_file());
  replace(broken, "qos: 1", "qos: 7");
  edgegw::test::write_file(stack.config_file(), broken);
  const edgegw::test::HttpAnswer refused = gateway.post_reload(token);
  CHECK(refused.status == 422);
  CHECK_THAT(refused.body, Catch::Contains("running config stays") &&
                               Catch::Contains("gateway.yaml:") && Catch::Contains("mqtt.qos"));
  CHECK(gateway.wait_ready(std::chrono::seconds(5)));
  CHECK(gateway.terminate() == 0);
}

TEST_CASE("a reload that changes the MQTT settings restarts the session and loses nothing",
          "[integration][reload]") {
  const std::string token = "reload-test-token";
  edgegw::test::GatewayStack stack({}, reload_test_config(token));
  edgegw::test::GatewayProcess& gateway = stack.start_gateway();
  edgegw::test::MqttPublisher devices(stack.mosquitto.uri());
  edgegw::test::publish_rounds(devices, kDevices, 1, 50);
  std::string config = edgegw::test::read_file(stack.config_file());
  replace(config, "reconnect_max: 2s", "reconnect_max: 3s");
  edgegw::test::write_file(stack.config_file(), config);
  const edgegw::test::HttpAnswer reloaded = gateway.post_reload(token);
  CHECK(reloaded.status == 200);
  CHECK_THAT(gateway.log(), !Catch::Contains("the MQTT session stays"));
  REQUIRE(gateway.wait_ready(std::chrono::seconds(30)));
  edgegw::test::publish_rounds(devices, kDevices, 51, 100);
  edgegw::test::KafkaReader telemetry(stack.kafka.bootstrap(), "edgegw.telemetry");
  const edgegw::test::DeliveryCheck check = edgegw::test::read_and_check(
      telemetry, edgegw::test::expected_per_device(kDevices, 100), std::chrono::seconds(60));
  INFO(check.summary());
  CHECK(check.missing == 0);
  CHECK(check.resent == 0);
  CHECK(gateway.terminate() == 0);
}
