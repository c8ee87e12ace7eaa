// Analytics state across restarts: a device that finished learning before a restart
// (SIGTERM, or SIGKILL after a periodic checkpoint) raises the `anomaly` alert for the
// first anomaly after it. Without the checkpoint it would be learning again, silent.

#include <catch2/catch.hpp>

#include <filesystem>
#include <random>

#include "gateway_stack.hpp"

using nlohmann::json;

namespace edgegw::test {
namespace {

using namespace std::chrono_literals;

// The anomaly detector learns for 750 samples of a device by default.
constexpr int kLearning = 800;

std::string noisy_payload(int seq, double temperature) {
  return fmt::format(R"({{"seq":{},"ts":{},"temp":{:.3f},"p":{{"value":{:.1f}}}}})", seq,
                     1700000000000 + static_cast<std::int64_t>(seq) * 1000, temperature,
                     100000.0 + temperature * 10.0);
}

GatewayTestConfig checkpoint_config(const std::string& interval) {
  GatewayTestConfig config;
  config.analytics = fmt::format(R"(analytics:
  enabled: true
  window: 10s
  checkpoint_interval: {}
)",
                                 interval);
  return config;
}

// Publishes seq [from, to) of clean noise around 21 degC.
void publish_clean(MqttPublisher& device, int from, int to, std::mt19937& rng) {
  std::normal_distribution<double> noise(0.0, 0.2);
  for (int seq = from; seq < to; ++seq) {
    device.publish(device_topic(1), noisy_payload(seq, 21.0 + noise(rng)));
  }
  device.wait_all();
}

// A spike at `seq`, then two clean samples (the detector reports a peak one sample late).
void publish_spike(MqttPublisher& device, int seq, std::mt19937& rng) {
  device.publish(device_topic(1), noisy_payload(seq, 60.0));
  publish_clean(device, seq + 1, seq + 3, rng);
}

// The anomaly alerts raised so far, as their event times.
std::vector<std::int64_t> anomaly_raised(KafkaReader& alerts, std::chrono::milliseconds quiet) {
  alerts.drain(quiet);
  std::vector<std::int64_t> raised;
  for (const auto& r : alerts.records()) {
    const json doc = json::parse(r.value);
    if (doc.at("source") == "anomaly" && doc.at("state") == "raised") {
      raised.push_back(doc.at("raised").get<std::int64_t>());
    }
  }
  return raised;
}

std::int64_t event_ms(int seq) {
  return 1700000000000 + static_cast<std::int64_t>(seq) * 1000;
}

}  // namespace

TEST_CASE("after a SIGTERM restart, a learnt device alerts on its first anomaly",
          "[integration][analytics]") {
  GatewayStack stack({}, checkpoint_config("60s"));
  const std::filesystem::path file = stack.dir.path() / "buffer" / "analytics.checkpoint";
  std::mt19937 rng(7);
  stack.start_gateway();
  MqttPublisher device(stack.mosquitto.uri());
  publish_clean(device, 1, kLearning + 1, rng);
  REQUIRE(stack.gateway().wait_metric("analytics_samples_total", kLearning, 20s) >= kLearning);
  REQUIRE(stack.gateway().terminate() == 0);  // saves the checkpoint at shutdown
  REQUIRE(std::filesystem::exists(file));

  GatewayProcess& gateway = stack.start_gateway();
  CHECK(gateway.metric("analytics_checkpoint_devices_restored") == 1);
  CHECK(gateway.metric("analytics_checkpoint_refused") == 0);
  publish_spike(device, kLearning + 1, rng);
  KafkaReader alerts(stack.kafka.bootstrap(), "edgegw.alerts");
  const std::vector<std::int64_t> raised = anomaly_raised(alerts, 3s);
  REQUIRE(raised.size() == 1);
  CHECK(raised[0] >= event_ms(kLearning + 1));
  CHECK(raised[0] <= event_ms(kLearning + 3));

  // The same without the checkpoint: the device learns again, and the next spike (past
  // the refractory period of the first) is not reported.
  REQUIRE(gateway.terminate() == 0);
  std::filesystem::remove(file);
  GatewayProcess& fresh = stack.start_gateway();
  CHECK(fresh.metric("analytics_checkpoint_devices_restored") == 0);
  publish_clean(device, kLearning + 4, kLearning + 200, rng);
  publish_spike(device, kLearning + 200, rng);
  CHECK(anomaly_raised(alerts, 3s).size() == 1);
  CHECK(fresh.terminate() == 0);
}

TEST_CASE("after a SIGKILL, the last periodic checkpoint is restored", "[integration][analytics]") {
  GatewayStack stack({}, checkpoint_config("1s"));
  std::mt19937 rng(8);
  GatewayProcess& first = stack.start_gateway();
  MqttPublisher device(stack.mosquitto.uri());
  publish_clean(device, 1, kLearning + 1, rng);
  REQUIRE(first.wait_metric("analytics_samples_total", kLearning, 20s) >= kLearning);
  // A checkpoint saved after the last sample was analysed.
  const double saved = first.metric("analytics_checkpoints_saved_total");
  REQUIRE(first.wait_metric("analytics_checkpoints_saved_total", saved + 1, 10s) >= saved + 1);
  first.kill();

  GatewayProcess& gateway = stack.start_gateway();
  CHECK(gateway.metric("analytics_checkpoint_devices_restored") == 1);
  publish_spike(device, kLearning + 1, rng);
  KafkaReader alerts(stack.kafka.bootstrap(), "edgegw.alerts");
  const std::vector<std::int64_t> raised = anomaly_raised(alerts, 3s);
  REQUIRE(raised.size() == 1);
  CHECK(raised[0] <= event_ms(kLearning + 3));
  CHECK(gateway.terminate() == 0);
}

TEST_CASE("a damaged checkpoint is logged, counted and ignored", "[integration][analytics]") {
  GatewayStack stack({}, checkpoint_config("60s"));
  std::filesystem::create_directories(stack.dir.path() / "buffer");
  write_file(stack.dir.path() / "buffer" / "analytics.checkpoint", "EGWANCKP and then garbage");
  GatewayProcess& gateway = stack.start_gateway();
  CHECK(gateway.metric("analytics_checkpoint_refused") == 1);
  CHECK(gateway.log().find("analytics.checkpoint") != std::string::npos);
  CHECK(gateway.log().find("not restored") != std::string::npos);
  CHECK(gateway.terminate() == 0);
}

}  // namespace edgegw::test
