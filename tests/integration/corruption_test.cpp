// A segment damaged on disk while the gateway is down (a bit flip, a bad sector): at the
// next start the gateway skips exactly the damaged records, reports them on the
// dead-letter stream, raises a health alert, and forwards everything else.

#include <catch2/catch.hpp>

#include <fstream>

#include "delivery_check.hpp"
#include "gateway_stack.hpp"

namespace edgegw::test {

using namespace std::chrono_literals;
using nlohmann::json;

TEST_CASE("a damaged segment loses only its damaged records, reported, with a health alert",
          "[integration][storage]") {
  constexpr int kDevices = 10;
  constexpr int kPerDevice = 100;
  GatewayStack stack;
  GatewayProcess* gateway = &stack.start_gateway();
  stack.kafka.cluster().set_all_brokers_down();  // everything stays in the log
  {
    MqttPublisher devices(stack.mosquitto.uri());
    for (int seq = 1; seq <= kPerDevice; ++seq) {
      for (int d = 0; d < kDevices; ++d) {
        devices.publish(device_topic(d), device_payload(d, seq));
      }
    }
    devices.wait_all();
  }
  REQUIRE(gateway->wait_metric("mqtt_messages_total", kDevices * kPerDevice) ==
          kDevices * kPerDevice);
  gateway->kill();

  // Garbage over 64 bytes in the middle of the only segment.
  const auto segment = stack.dir.path() / "buffer" / "00000000000000000000.seg";
  const auto size = std::filesystem::file_size(segment);
  {
    std::fstream file(segment, std::ios::binary | std::ios::in | std::ios::out);
    file.seekp(static_cast<std::streamoff>(size / 2));
    const std::string garbage(64, '\xa5');
    file.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  stack.kafka.cluster().set_all_brokers_up();
  gateway = &stack.start_gateway();

  const std::map<std::string, int> expected = expected_per_device(kDevices, kPerDevice);
  KafkaReader telemetry(stack.kafka.bootstrap(), "edgegw.telemetry");
  const DeliveryCheck check = read_and_check(telemetry, expected, 15s);
  INFO(check.summary());
  CHECK(check.missing >= 1);
  CHECK(check.missing <= 2);  // 64 bytes touch one record, or two at a boundary
  CHECK(check.out_of_order == 0);

  KafkaReader dead_letters(stack.kafka.bootstrap(), "edgegw.dead-letter");
  dead_letters.read_until(1, 30s);
  dead_letters.drain(2s);
  const LossReports reports = loss_reports(dead_letters, "log_damaged");
  CHECK(reports.other_reasons == 0);
  CHECK(reports.lost_records == check.missing);

  KafkaReader alerts(stack.kafka.bootstrap(), "edgegw.alerts");
  alerts.read_until(1, 30s);
  REQUIRE_FALSE(alerts.records().empty());
  const json alert = json::parse(alerts.records().front().value);
  CHECK(alert.at("source") == "health:log_damaged");
  CHECK(alert.at("state") == "raised");
  CHECK(alert.at("device") == "gw-test");
  CHECK(gateway->terminate() == 0);
}

}  // namespace edgegw::test
