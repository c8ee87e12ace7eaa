// Scaling out over one broker: gateways on a shared subscription (`$share/<group>/...`)
// split the messages between them, each message to one of them; gateways with a set of
// filters each split the devices instead, which keeps each device's order.

#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <thread>
#include <vector>

#include "gateway_stack.hpp"

using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// One broker, one Kafka cluster, and gateways with their own id, buffer and port.
class GatewayFleet {
 public:
  // One gateway per entry of `subscriptions` (each a YAML list of filters).
  explicit GatewayFleet(const std::vector<std::string>& subscriptions) {
    for (std::size_t i = 0; i < subscriptions.size(); ++i) {
      edgegw::test::GatewayTestConfig config;
      config.broker_uri = mosquitto.uri();
      config.bootstrap = kafka.bootstrap();
      config.buffer_dir = dir.path() / fmt::format("buffer-{}", i);
      config.http_port = edgegw::test::free_loopback_port();
      config.client_id = fmt::format("edgegw-it-{}", i);
      config.subscriptions = subscriptions[i];
      config.mqtt_extra = "  version: 5";
      const auto file = dir.path() / fmt::format("gateway-{}.yaml", i);
      edgegw::test::write_file(file, edgegw::test::gateway_test_config_yaml(config));
      gateways.push_back(std::make_unique<edgegw::test::GatewayProcess>(
          file, dir.path() / fmt::format("gateway-{}.log", i), config.http_port));
    }
    for (const auto& gateway : gateways) {
      if (!gateway->wait_ready(30s)) {
        throw std::runtime_error("gateway did not become ready:\n" + gateway->log());
      }
    }
  }

  // MQTT messages taken by each gateway, once their sum reaches `total` (or 60 s pass).
  std::vector<double> messages_taken(double total) {
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    std::vector<double> taken;
    do {
      std::this_thread::sleep_for(100ms);
      taken.clear();
      double sum = 0;
      for (const auto& gateway : gateways) {
        taken.push_back(gateway->metric("mqtt_messages_total"));
        sum += taken.back();
      }
      if (sum >= total) {
        break;
      }
    } while (std::chrono::steady_clock::now() < deadline);
    return taken;
  }

  edgegw::test::TempDir dir;
  edgegw::test::MosquittoFixture mosquitto;
  edgegw::test::KafkaFixture kafka;
  std::vector<std::unique_ptr<edgegw::test::GatewayProcess>> gateways;
};

// device → seq → how often it reached Kafka, from the telemetry topic.
std::map<std::string, std::map<int, int>> telemetry_seen(edgegw::test::KafkaReader& reader) {
  std::map<std::string, std::map<int, int>> seen;
  for (const auto& record : reader.records()) {
    const json doc = json::parse(record.value);
    ++seen[doc.at("device").get<std::string>()][doc.at("seq").get<int>()];
  }
  return seen;
}

}  // namespace

TEST_CASE("two gateways on $share/<group>/ split one publisher's messages, each once",
          "[integration][mqtt5][shared]") {
  constexpr int kDevices = 20;
  constexpr int kRounds = 50;
  constexpr int kTotal = kDevices * kRounds;
  const std::string shared = R"(["$share/edge/plant/#"])";
  GatewayFleet fleet({shared, shared});
  edgegw::test::MqttPublisher devices(fleet.mosquitto.uri());
  edgegw::test::publish_rounds(devices, kDevices, 1, kRounds);

  const std::vector<double> taken = fleet.messages_taken(kTotal);
  INFO("messages taken: " << taken[0] << " and " << taken[1]);
  CHECK(taken[0] > 0);
  CHECK(taken[1] > 0);
  CHECK(taken[0] + taken[1] == kTotal);

  edgegw::test::KafkaReader reader(fleet.kafka.bootstrap(), "edgegw.telemetry");
  REQUIRE(reader.read_until(kTotal, 60s) == kTotal);
  CHECK(reader.drain(2s) == kTotal);
  const auto seen = telemetry_seen(reader);
  REQUIRE(seen.size() == kDevices);
  for (const auto& [device, seqs] : seen) {
    INFO(device);
    CHECK(seqs.size() == kRounds);
    for (const auto& [seq, times] : seqs) {
      CHECK(times == 1);
    }
  }
}

TEST_CASE("gateways with filters of their own split the devices and keep each one's order",
          "[integration][mqtt5][shared]") {
  constexpr int kDevices = 20;  // on sites 0, 1 and 2 (device % 3)
  constexpr int kRounds = 50;
  constexpr int kTotal = kDevices * kRounds;
  GatewayFleet fleet({R"(["plant/site-0/#"])", R"(["plant/site-1/#", "plant/site-2/#"])"});
  edgegw::test::MqttPublisher devices(fleet.mosquitto.uri());
  edgegw::test::publish_rounds(devices, kDevices, 1, kRounds);

  const std::vector<double> taken = fleet.messages_taken(kTotal);
  constexpr int kSiteZeroDevices = 7;  // 0, 3, ..., 18
  CHECK(taken[0] == kSiteZeroDevices * kRounds);
  CHECK(taken[1] == (kDevices - kSiteZeroDevices) * kRounds);

  // Each device's records reach its Kafka partition in the order it sent them.
  edgegw::test::KafkaReader reader(fleet.kafka.bootstrap(), "edgegw.telemetry");
  REQUIRE(reader.read_until(kTotal, 60s) == kTotal);
  std::map<std::string, int> last_seq;
  for (const auto& record : reader.records()) {
    const json doc = json::parse(record.value);
    const auto device = doc.at("device").get<std::string>();
    const int seq = doc.at("seq").get<int>();
    INFO(device << " seq " << seq);
    CHECK(seq == last_seq[device] + 1);
    last_seq[device] = seq;
  }
}
