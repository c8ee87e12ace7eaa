// Two gateways on one buffer directory: the second stops at start with a message that
// names the first and exit code 75, and the first goes on forwarding as if nothing
// happened (before the lock, both appended to the same segments).

#include <catch2/catch.hpp>

#include "gateway_stack.hpp"
#include "support/child_process.hpp"

TEST_CASE("a second gateway on the same buffer directory exits 75 and the first keeps running",
          "[integration][buffer]") {
  edgegw::test::GatewayStack stack;
  edgegw::test::GatewayProcess& first = stack.start_gateway();
  edgegw::test::MqttPublisher devices(stack.mosquitto.uri());
  for (int seq = 1; seq <= 20; ++seq) {
    devices.publish(edgegw::test::device_topic(0), edgegw::test::device_payload(0, seq));
  }
  devices.wait_all();
  REQUIRE(first.wait_metric("kafka_delivered_total", 20) >= 20);

  // The same directory, its own client id and HTTP port: nothing else stands in its way.
  edgegw::test::GatewayTestConfig second_config;
  second_config.broker_uri = stack.mosquitto.uri();
  second_config.bootstrap = stack.kafka.bootstrap();
  second_config.buffer_dir = stack.dir.path() / "buffer";
  second_config.http_port = edgegw::test::free_loopback_port();
  second_config.client_id = "edgegw-it-second";
  const auto config_file = stack.dir.path() / "second.yaml";
  edgegw::test::write_file(config_file, edgegw::test::gateway_test_config_yaml(second_config));
  edgegw::test::ChildProcess second({EDGEGW_BINARY, "run", config_file.string()},
                                    stack.dir.path() / "second.out",
                                    stack.dir.path() / "second.err");
  const int code = second.wait_for(std::chrono::seconds(30)).value_or(-1);
  const std::string output = edgegw::test::read_file(stack.dir.path() / "second.out") +
                             edgegw::test::read_file(stack.dir.path() / "second.err");
  INFO(output);
  CHECK(code == 75);
  CHECK_THAT(output, Catch::Contains("buffer directory " + second_config.buffer_dir.string() +
                                     " is in use by another edgegw (pid " +
                                     std::to_string(first.pid()) + ")"));

  REQUIRE(first.running());
  for (int seq = 21; seq <= 40; ++seq) {
    devices.publish(edgegw::test::device_topic(0), edgegw::test::device_payload(0, seq));
  }
  devices.wait_all();
  CHECK(first.wait_metric("kafka_delivered_total", 40) >= 40);
  CHECK(first.metric("log_appended_records_total") >= 40);
  CHECK(first.terminate() == 0);
}
