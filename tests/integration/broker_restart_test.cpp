// mosquitto restarted (with persistence) while it holds messages queued for the
// gateway's persistent session: they survive the restart and reach Kafka.

#include <catch2/catch.hpp>

#include <csignal>
#include <thread>

#include "delivery_check.hpp"
#include "gateway_stack.hpp"

namespace edgegw::test {

using namespace std::chrono_literals;

TEST_CASE("mosquitto restarted mid-run with persistence: nothing missing at QoS 1",
          "[integration][broker]") {
  constexpr int kDevices = 20;
  constexpr int kPerBatch = 150;
  MosquittoOptions broker;
  broker.persistence = true;
  GatewayStack stack(broker);
  GatewayProcess& gateway = stack.start_gateway();
  auto publish = [&](const std::string& client, int from, int to) {
    MqttPublisher devices(stack.mosquitto.uri(), client);
    for (int seq = from; seq <= to; ++seq) {
      for (int d = 0; d < kDevices; ++d) {
        devices.publish(device_topic(d), device_payload(d, seq));
      }
    }
    devices.wait_all();
  };

  // Freeze the gateway so the first batch stays queued in the broker, restart the
  // broker (it saves the queue on SIGTERM and loads it at start), then let the gateway go.
  ::kill(gateway.pid(), SIGSTOP);
  publish("devices-1", 1, kPerBatch);
  stack.mosquitto.stop();
  stack.mosquitto.start();
  ::kill(gateway.pid(), SIGCONT);
  publish("devices-2", kPerBatch + 1, 2 * kPerBatch);

  const std::map<std::string, int> expected = expected_per_device(kDevices, 2 * kPerBatch);
  KafkaReader reader(stack.kafka.bootstrap(), "edgegw.telemetry");
  const DeliveryCheck check = read_and_check(reader, expected, 90s);
  INFO(check.summary());
  CHECK(check.missing == 0);
  CHECK(check.out_of_order == 0);
  CHECK(gateway.metric("mqtt_connection_losses_total") >= 1);
  CHECK(gateway.terminate() == 0);
}

}  // namespace edgegw::test
