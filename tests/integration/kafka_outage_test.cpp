// Kafka away for half a minute while the devices keep publishing: the log absorbs the
// backlog with flat memory, the forwarder waits without spinning, and when Kafka is back
// the backlog drains ahead of each device's newer records while live data keeps coming.

#include <catch2/catch.hpp>

#include <thread>

#include "delivery_check.hpp"
#include "gateway_stack.hpp"
#include "support/process_usage.hpp"

namespace edgegw::test {

using namespace std::chrono_literals;

TEST_CASE(
    "all Kafka brokers down for 30 s while 20,000 messages arrive: every one arrives, "
    "in device order",
    "[integration][slow][outage]") {
  constexpr int kDevices = 20;
  constexpr int kBefore = 50;    // rounds (one message per device) with Kafka up
  constexpr int kDuring = 1000;  // rounds with every broker down: 20,000 messages in 30 s
  constexpr int kAfter = 100;    // rounds while the backlog drains
  constexpr auto kOutage = 30s;
  GatewayStack stack;
  GatewayProcess& gateway = stack.start_gateway();
  MqttPublisher devices(stack.mosquitto.uri());
  int rounds = 0;
  auto publish_round = [&] {
    ++rounds;
    for (int d = 0; d < kDevices; ++d) {
      devices.publish(device_topic(d), device_payload(d, rounds));
    }
  };
  for (int i = 0; i < kBefore; ++i) {
    publish_round();
  }
  devices.wait_all();

  stack.kafka.cluster().set_all_brokers_down();
  const auto outage_start = std::chrono::steady_clock::now();
  const double cpu_before = process_cpu_seconds(gateway.pid());
  for (int i = 0; i < kDuring; ++i) {
    publish_round();
    std::this_thread::sleep_until(outage_start + kOutage * (i + 1) / kDuring);
  }
  devices.wait_all();
  gateway.wait_metric("mqtt_messages_total", kDevices * rounds, 30s);  // all in the log
  const double outage_cpu = process_cpu_seconds(gateway.pid()) - cpu_before;
  const double rss = process_rss_mib(gateway.pid());
  const double backlog = gateway.metric("log_cursor_lag_records");
  WARN("outage: cpu_s=" << outage_cpu << " rss_mib=" << rss << " backlog=" << backlog);
  CHECK(backlog >= kDevices * kDuring);  // held in the log, none lost, none sent
  CHECK(rss < 150.0);                    // the backlog is on disk, not in memory
  CHECK(outage_cpu < 10.0);              // a spinning forwarder would burn ~30 s here
  CHECK(gateway.metric("log_oldest_unacked_age_seconds") >= 20.0);

  stack.kafka.cluster().set_all_brokers_up();
  for (int i = 0; i < kAfter; ++i) {  // live data while the backlog drains
    publish_round();
    std::this_thread::sleep_for(10ms);
  }
  devices.wait_all();

  const std::map<std::string, int> expected = expected_per_device(kDevices, rounds);
  KafkaReader reader(stack.kafka.bootstrap(), "edgegw.telemetry");
  const DeliveryCheck check = read_and_check(reader, expected, 120s);
  INFO(check.summary());
  CHECK(check.missing == 0);
  CHECK(check.out_of_order == 0);
  CHECK(check.resent + check.redelivered == 0);  // idempotent producer, no crash
  CHECK(gateway.terminate() == 0);
}

}  // namespace edgegw::test
