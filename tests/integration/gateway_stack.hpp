#pragma once
// Everything one integration test needs around the gateway: a real mosquitto, the mock
// Kafka cluster (3 brokers, 6 partitions per topic), a temporary directory with the
// gateway's config and buffer, and the gateway binary started on them. Destroying it
// stops every process it started.

#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "support/gateway_process.hpp"
#include "support/kafka_fixture.hpp"
#include "support/mosquitto_fixture.hpp"
#include "support/mqtt_publisher.hpp"
#include "support/temp_dir.hpp"

namespace edgegw::test {

class GatewayStack {
 public:
  explicit GatewayStack(MosquittoOptions mqtt_options = {}, GatewayTestConfig extra = {})
      : mosquitto(mqtt_options), http_port_(free_loopback_port()), http_token_(extra.http_token) {
    // The gateway takes the TLS listener when there is one; devices keep the plain one.
    extra.broker_uri = mqtt_options.tls ? mosquitto.tls_uri() : mosquitto.uri();
    extra.bootstrap = kafka.bootstrap();
    extra.buffer_dir = dir.path() / "buffer";
    extra.http_port = http_port_;
    config_file_ = dir.path() / "gateway.yaml";
    write_file(config_file_, gateway_test_config_yaml(extra));
  }

  // Starts (or restarts) the gateway and waits until it is connected to both sides.
  GatewayProcess& start_gateway() {
    launch_gateway();
    if (!gateway_->wait_ready(std::chrono::seconds(30))) {
      throw std::runtime_error("gateway did not become ready:\n" + gateway_->log());
    }
    return *gateway_;
  }
  // Starts it without waiting, for tests of a gateway that cannot connect.
  GatewayProcess& launch_gateway() {
    ++runs_;
    gateway_ = std::make_unique<GatewayProcess>(
        config_file_, dir.path() / fmt::format("gateway-{}.log", runs_), http_port_, http_token_);
    return *gateway_;
  }
  GatewayProcess& gateway() { return *gateway_; }
  // The gateway's config file, for tests that change it and reload.
  [[nodiscard]] const std::filesystem::path& config_file() const { return config_file_; }

  TempDir dir;
  MosquittoFixture mosquitto;
  KafkaFixture kafka;

 private:
  int http_port_;
  std::string http_token_;
  std::filesystem::path config_file_;
  std::unique_ptr<GatewayProcess> gateway_;
  int runs_ = 0;
};

// The test mapping's payload for device message `seq`.
inline std::string device_payload(int device, int seq) {
  return fmt::format(R"({{"seq":{},"ts":{},"temp":{:.2f},"p":{{"value":{}}}}})", seq,
                     1700000000000 + seq * 1000, 20.0 + device + seq * 0.01, 1000 + seq);
}

inline std::string device_name(int device) {
  return fmt::format("dev-{:03}", device);
}

inline std::string device_topic(int device) {
  return fmt::format("plant/site-{}/{}/telemetry", device % 3, device_name(device));
}

// Devices 0..devices-1 each publish seq from..to, round by round, and the publisher
// waits until the broker took them all.
inline void publish_rounds(MqttPublisher& publisher, int devices, int from, int to) {
  for (int seq = from; seq <= to; ++seq) {
    for (int d = 0; d < devices; ++d) {
      publisher.publish(device_topic(d), device_payload(d, seq));
    }
  }
  publisher.wait_all();
}

}  // namespace edgegw::test
