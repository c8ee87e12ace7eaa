// End to end: devices publish to a real mosquitto, the gateway binary maps and logs each
// message, and a real Kafka consumer reads the records back from the mock cluster.

#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "gateway_stack.hpp"

using edgegw::test::ConsumedRecord;
using nlohmann::json;

namespace {

constexpr int kDevices = 50;
constexpr int kMessagesPerDevice = 200;

struct DeviceView {
  std::set<int> partitions;
  std::vector<int> seqs;  // in Kafka order within the device's partition
};

}  // namespace

TEST_CASE(
    "10,000 QoS 1 messages from 50 devices arrive once each, in order, in their "
    "device's partition",
    "[integration][forwarding]") {
  edgegw::test::GatewayStack stack;
  edgegw::test::GatewayProcess& gateway = stack.start_gateway();
  {
    edgegw::test::MqttPublisher devices(stack.mosquitto.uri());
    for (int seq = 1; seq <= kMessagesPerDevice; ++seq) {
      for (int d = 0; d < kDevices; ++d) {
        devices.publish(edgegw::test::device_topic(d), edgegw::test::device_payload(d, seq));
      }
    }
    devices.wait_all();
  }
  constexpr std::size_t kTotal = kDevices * kMessagesPerDevice;
  edgegw::test::KafkaReader reader(stack.kafka.bootstrap(), "edgegw.telemetry");
  REQUIRE(reader.read_until(kTotal, std::chrono::seconds(120)) == kTotal);
  CHECK(reader.drain(std::chrono::seconds(2)) == kTotal);  // and nothing more

  // Kafka order is per partition: sort by (partition, offset) before reading sequences.
  std::vector<ConsumedRecord> records = reader.records();
  std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) {
    return std::tie(a.partition, a.offset) < std::tie(b.partition, b.offset);
  });
  std::map<std::string, DeviceView> devices;
  std::set<std::string> log_offsets;
  for (const ConsumedRecord& r : records) {
    const json doc = json::parse(r.value);
    const std::string device = doc.at("device");
    REQUIRE(r.key == device);
    devices[device].partitions.insert(r.partition);
    devices[device].seqs.push_back(doc.at("seq").get<int>());
    CHECK(r.headers.at("edgegw-gateway") == "gw-test");
    CHECK(log_offsets.insert(r.headers.at("edgegw-offset")).second);
    // Values and units exactly as mapped.
    const int d = std::stoi(device.substr(4));
    const int seq = doc.at("seq");
    CHECK(doc["readings"]["temperature"]["value"].get<double>() == Approx(20.0 + d + seq * 0.01));
    CHECK(doc["readings"]["temperature"]["unit"] == "degC");
    CHECK(doc["readings"]["pressure"]["value"].get<double>() == Approx((1000 + seq) * 0.01));
    CHECK(doc["readings"]["pressure"]["unit"] == "bar");
    CHECK(doc["ts"] == 1700000000000 + seq * 1000);
    CHECK(doc["tags"]["site"] == fmt::format("site-{}", d % 3));
  }
  REQUIRE(devices.size() == kDevices);
  for (const auto& [device, view] : devices) {
    INFO(device);
    REQUIRE(view.partitions.size() == 1);  // one partition per device
    CHECK(*view.partitions.begin() ==
          edgegw::test::murmur2_partition(device, reader.partition_count()));
    std::vector<int> expected(kMessagesPerDevice);
    std::iota(expected.begin(), expected.end(), 1);
    CHECK(view.seqs == expected);  // each exactly once, in publish order
  }
  CHECK(gateway.metric("sequence_gaps_total") == 0);
  CHECK(gateway.terminate() == 0);
}
