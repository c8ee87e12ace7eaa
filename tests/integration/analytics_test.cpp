// Analytics in the data path: a threshold rule raises and clears an alert, and window
// aggregates reach their topic, all through the real gateway, mosquitto and Kafka.

#include <catch2/catch.hpp>

#include "gateway_stack.hpp"

using nlohmann::json;

namespace {

std::string payload(int seq, double temperature) {
  return fmt::format(R"({{"seq":{},"ts":{},"temp":{},"p":{{"value":1000}}}})", seq,
                     1700000000000 + seq * 1000, temperature);
}

}  // namespace

TEST_CASE(
    "a rule's alert is raised and cleared on the alerts topic, and aggregates are "
    "forwarded",
    "[integration][analytics]") {
  edgegw::test::GatewayTestConfig config;
  config.forward = "both";
  config.analytics = R"(analytics:
  enabled: true
  window: 10s
  profiles:
    default:
      rules:
        - name: overheat
          when: "temperature > 100"
          for: 3s
          clear: 90
          severity: critical
)";
  edgegw::test::GatewayStack stack({}, config);
  edgegw::test::GatewayProcess& gateway = stack.start_gateway();
  const std::string topic = edgegw::test::device_topic(1);
  {
    edgegw::test::MqttPublisher device(stack.mosquitto.uri());
    int seq = 1;
    for (; seq <= 30; ++seq) {
      device.publish(topic, payload(seq, 21.0 + (seq % 3) * 0.1));
    }
    for (; seq <= 45; ++seq) {  // 15 s above 100 degC
      device.publish(topic, payload(seq, 150.0));
    }
    for (; seq <= 70; ++seq) {
      device.publish(topic, payload(seq, 21.0 + (seq % 3) * 0.1));
    }
    device.wait_all();
  }
  edgegw::test::KafkaReader alerts(stack.kafka.bootstrap(), "edgegw.alerts");
  edgegw::test::KafkaReader aggregates(stack.kafka.bootstrap(), "edgegw.aggregates");
  alerts.drain(std::chrono::seconds(5));
  std::vector<std::string> overheat_states;
  for (const auto& r : alerts.records()) {
    const json doc = json::parse(r.value);
    CHECK(r.key == "dev-001");
    if (doc.at("source").get<std::string>().find("overheat") != std::string::npos) {
      overheat_states.push_back(doc.at("state"));
      CHECK(doc.at("severity") == "critical");
    }
  }
  REQUIRE_FALSE(overheat_states.empty());
  CHECK(overheat_states.front() == "raised");
  CHECK(overheat_states.back() == "cleared");
  CHECK(std::count(overheat_states.begin(), overheat_states.end(), "raised") == 1);

  // 70 s of event time in 10 s windows: a window closes once event time passes its end
  // by the allowed lateness (10 s by default), so seq 1..59 are in closed windows now...
  auto temperature_samples = [&] {
    int samples = 0;
    for (const auto& r : aggregates.records()) {
      const json doc = json::parse(r.value);
      if (doc.at("sensor") == "temperature") {
        samples += doc.at("count").get<int>();
        CHECK(doc.at("max").get<double>() >= doc.at("min").get<double>());
      }
    }
    return samples;
  };
  aggregates.drain(std::chrono::seconds(2));
  CHECK(temperature_samples() == 59);
  CHECK(gateway.metric("alerts_raised_total") >= 1);
  // ...and a clean shutdown closes the open windows, so every sample is counted once.
  CHECK(gateway.terminate() == 0);
  aggregates.drain(std::chrono::seconds(2));
  CHECK(temperature_samples() == 70);
}
