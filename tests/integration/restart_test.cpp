// A gateway stopped with SIGTERM and started again on the same buffer resumes from its
// cursor: the broker keeps what arrives meanwhile (persistent session), and nothing is
// lost or sent twice.

#include <catch2/catch.hpp>

#include <map>
#include <thread>

#include "delivery_check.hpp"
#include "gateway_stack.hpp"

using nlohmann::json;

TEST_CASE("SIGTERM and restart on the same buffer: nothing lost, nothing duplicated",
          "[integration][restart]") {
  constexpr int kDevices = 20;
  constexpr int kFirst = 150;   // per device, while the gateway runs
  constexpr int kSecond = 100;  // per device, while it is down, then after restart
  edgegw::test::GatewayStack stack;
  edgegw::test::GatewayProcess* gateway = &stack.start_gateway();
  edgegw::test::MqttPublisher devices(stack.mosquitto.uri());
  auto publish = [&](int from, int to) {
    edgegw::test::publish_rounds(devices, kDevices, from, to);
  };
  publish(1, kFirst);
  // Stop while records are still flowing to Kafka, not after everything settled.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (gateway->metric("kafka_delivered_total") < kDevices * kFirst / 3.0 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  REQUIRE(gateway->terminate() == 0);
  publish(kFirst + 1, kFirst + kSecond / 2);  // gateway down: the broker keeps these
  gateway = &stack.start_gateway();
  publish(kFirst + kSecond / 2 + 1, kFirst + kSecond);

  constexpr std::size_t kTotal = std::size_t{kDevices} * (kFirst + kSecond);
  edgegw::test::KafkaReader reader(stack.kafka.bootstrap(), "edgegw.telemetry");
  REQUIRE(reader.read_until(kTotal, std::chrono::seconds(120)) == kTotal);
  CHECK(reader.drain(std::chrono::seconds(3)) == kTotal);
  std::map<std::string, std::map<int, int>> seen;  // device → seq → times
  for (const auto& r : reader.records()) {
    const json doc = json::parse(r.value);
    ++seen[doc.at("device").get<std::string>()][doc.at("seq").get<int>()];
  }
  REQUIRE(seen.size() == kDevices);
  for (const auto& [device, seqs] : seen) {
    INFO(device);
    CHECK(seqs.size() == kFirst + kSecond);
    for (const auto& [seq, times] : seqs) {
      INFO(seq);
      CHECK(times == 1);
    }
  }
  CHECK(gateway->terminate() == 0);
}

TEST_CASE(
    "records Kafka has not acknowledged wait in the log through a SIGTERM and go out after "
    "the restart, once",
    "[integration][restart]") {
  constexpr int kDevices = 10;
  constexpr int kBefore = 50;  // per device, acknowledged before the stop
  constexpr int kDuring = 50;  // per device, stored while Kafka is unreachable
  edgegw::test::GatewayStack stack;
  edgegw::test::GatewayProcess* gateway = &stack.start_gateway();
  edgegw::test::MqttPublisher devices(stack.mosquitto.uri());
  auto publish = [&](int from, int to) {
    edgegw::test::publish_rounds(devices, kDevices, from, to);
  };
  publish(1, kBefore);
  REQUIRE(gateway->wait_metric("kafka_delivered_total", kDevices * kBefore) == kDevices * kBefore);
  stack.kafka.cluster().set_all_brokers_down();
  publish(kBefore + 1, kBefore + kDuring);
  REQUIRE(gateway->wait_metric("log_appended_records_total", kDevices * (kBefore + kDuring)) ==
          kDevices * (kBefore + kDuring));
  CHECK(gateway->terminate(std::chrono::seconds(30)) == 0);

  // The restarted gateway finds exactly the unacknowledged records after its cursor.
  gateway = &stack.launch_gateway();
  CHECK(gateway->wait_metric("log_cursor_lag_records", kDevices * kDuring) == kDevices * kDuring);
  stack.kafka.cluster().set_all_brokers_up();
  edgegw::test::KafkaReader reader(stack.kafka.bootstrap(), "edgegw.telemetry");
  const auto check = edgegw::test::read_and_check(
      reader, edgegw::test::expected_per_device(kDevices, kBefore + kDuring),
      std::chrono::seconds(60));
  INFO(check.summary());
  CHECK(check.missing == 0);
  CHECK(check.records == static_cast<std::size_t>(kDevices * (kBefore + kDuring)));
  CHECK(check.out_of_order == 0);
  CHECK(gateway->terminate() == 0);
}
