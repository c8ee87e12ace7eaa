// The operating state through the real gateway, mosquitto and Kafka: a machine that
// stops moves its sensors at once, and with `operating_state` the statistical detectors
// hold their reports for `settle` while rules (on the state itself too) keep working.

#include <catch2/catch.hpp>

#include "gateway_stack.hpp"

using nlohmann::json;

namespace {

// pressure is the machine's state here: p.value 100 (× scale 0.01 = 1: running) or 0
// (stopped); temperature follows it, 50 degC running and 30 degC stopped.
std::string payload(int seq, bool running) {
  const double wobble = ((seq * 7) % 5 - 2) * 0.1;  // a steady signal's small noise
  return fmt::format(R"({{"seq":{},"ts":{},"temp":{},"p":{{"value":{}}}}})", seq,
                     1700000000000 + seq * 1000, (running ? 50.0 : 30.0) + wobble,
                     running ? 100 : 0);
}

std::string analytics_section(bool with_operating_state) {
  // ewma alone (the default anomaly detector off) so that what the test sees is exactly
  // the held detector and the rule; it adapts quickly (half-life 5 samples), so after a
  // settle of 60 s the stopped machine's 30 degC is its normal.
  std::string section = R"(analytics:
  enabled: true
  window: 10s
  profiles:
    default:
      anomaly: { enabled: false }
      ewma: { enabled: true, sensors: [temperature], half_life: 5, warmup: 30 }
)";
  if (with_operating_state) {
    section += "      operating_state: { sensor: pressure, settle: 60s }\n";
  }
  section += R"(      rules:
        - name: stopped
          when: "pressure < 0.5"
          severity: info
)";
  return section;
}

struct AlertsSeen {
  int ewma_raised = 0;
  int stopped_raised = 0;
};

AlertsSeen run_stop(bool with_operating_state, double& state_changes) {
  edgegw::test::GatewayTestConfig config;
  config.analytics = analytics_section(with_operating_state);
  edgegw::test::GatewayStack stack({}, config);
  edgegw::test::GatewayProcess& gateway = stack.start_gateway();
  {
    edgegw::test::MqttPublisher device(stack.mosquitto.uri());
    const std::string topic = edgegw::test::device_topic(1);
    int seq = 1;
    for (; seq <= 200; ++seq) {  // running, long past the warm-up
      device.publish(topic, payload(seq, true));
    }
    for (; seq <= 320; ++seq) {  // stopped for 120 s
      device.publish(topic, payload(seq, false));
    }
    device.wait_all();
  }
  edgegw::test::KafkaReader alerts(stack.kafka.bootstrap(), "edgegw.alerts");
  alerts.drain(std::chrono::seconds(5));
  AlertsSeen seen;
  for (const auto& r : alerts.records()) {
    const json doc = json::parse(r.value);
    if (doc.at("state") != "raised") {
      continue;
    }
    const std::string source = doc.at("source");
    seen.ewma_raised += source == "ewma" ? 1 : 0;
    seen.stopped_raised += source == "rule:stopped" ? 1 : 0;
  }
  state_changes = gateway.metric("analytics_state_changes_total");
  CHECK(gateway.terminate() == 0);
  return seen;
}

}  // namespace

TEST_CASE("a machine's stop raises no statistical alert while its state settles",
          "[integration][analytics]") {
  double state_changes = 0;
  SECTION("without operating_state the stop is an ewma alert") {
    const AlertsSeen seen = run_stop(false, state_changes);
    CHECK(seen.ewma_raised >= 1);
    CHECK(seen.stopped_raised == 1);
    CHECK(state_changes == 0);
  }
  SECTION("with operating_state the ewma holds; the rule on the state does not") {
    const AlertsSeen seen = run_stop(true, state_changes);
    CHECK(seen.ewma_raised == 0);
    CHECK(seen.stopped_raised == 1);
    CHECK(state_changes >= 1);
  }
}
