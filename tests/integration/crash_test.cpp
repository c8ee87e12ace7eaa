// SIGKILL of the gateway at random moments while devices publish, each followed by a
// restart on the same buffer: no reading is lost. Duplicates are allowed (at least
// once) and each is recognisable: the same edgegw-offset header when the forwarder sent
// a record again, the same device sequence number when the broker redelivered.

#include <catch2/catch.hpp>

#include <atomic>
#include <random>
#include <thread>

#include "delivery_check.hpp"
#include "gateway_stack.hpp"

namespace edgegw::test {

using namespace std::chrono_literals;

TEST_CASE("SIGKILL at 10 random moments of a 50,000-message run loses nothing",
          "[integration][slow][crash]") {
  constexpr int kDevices = 25;
  constexpr int kPerDevice = 2000;  // 50,000 messages at about 2,500 per second
  constexpr int kKills = 10;
  GatewayStack stack;
  stack.start_gateway();

  std::string publisher_error;
  std::thread publisher([&] {
    try {
      MqttPublisher devices(stack.mosquitto.uri());
      const auto start = std::chrono::steady_clock::now();
      for (int seq = 1; seq <= kPerDevice; ++seq) {
        for (int d = 0; d < kDevices; ++d) {
          devices.publish(device_topic(d), device_payload(d, seq));
        }
        std::this_thread::sleep_until(start + 10ms * seq);
      }
      devices.wait_all(120s);
    } catch (const std::exception& e) {
      publisher_error = e.what();
    }
  });

  std::mt19937 rng(Catch::rngSeed());
  std::uniform_int_distribution<int> pause_ms(300, 2000);
  for (int kill = 0; kill < kKills; ++kill) {
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(rng)));
    stack.gateway().kill();
    stack.start_gateway();
  }
  publisher.join();
  REQUIRE(publisher_error.empty());

  const std::map<std::string, int> expected = expected_per_device(kDevices, kPerDevice);
  KafkaReader reader(stack.kafka.bootstrap(), "edgegw.telemetry");
  const DeliveryCheck check = read_and_check(reader, expected, 180s);
  WARN("SIGKILL x" << kKills << ": " << check.summary());  // the figures, also when passing
  CHECK(check.missing == 0);
  CHECK(check.distinct == static_cast<std::size_t>(kDevices) * kPerDevice);
  CHECK(check.out_of_order == 0);
  CHECK(stack.gateway().terminate() == 0);
}

}  // namespace edgegw::test
