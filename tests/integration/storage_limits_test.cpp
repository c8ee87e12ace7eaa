// The log at its limits during a Kafka outage: the size cap under both policies, and a
// real full filesystem. `block` holds MQTT intake (the broker keeps the backlog) and
// loses nothing; `drop_oldest` keeps the newest records, counts exactly what it dropped,
// reports it on the dead-letter stream and raises a gateway health alert.

#include <catch2/catch.hpp>

#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "delivery_check.hpp"
#include "gateway_stack.hpp"

namespace edgegw::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr int kDevices = 20;
constexpr int kPerDevice = 200;  // 4,000 records: about 1.5 MB of log

GatewayTestConfig small_log(const std::string& max_size, const std::string& when_full) {
  GatewayTestConfig c;
  c.segment_size = "64KiB";
  c.buffer_extra = "  max_size: " + max_size + "\n  when_full: " + when_full;
  return c;
}

void publish_all(GatewayStack& stack) {
  MqttPublisher devices(stack.mosquitto.uri());
  for (int seq = 1; seq <= kPerDevice; ++seq) {
    for (int d = 0; d < kDevices; ++d) {
      devices.publish(device_topic(d), device_payload(d, seq));
    }
  }
  devices.wait_all();
}

std::map<std::string, int> all_devices() {
  return expected_per_device(kDevices, kPerDevice);
}

// Reads the telemetry topic back: every message of every device, in device order.
void check_nothing_lost(GatewayStack& stack) {
  KafkaReader reader(stack.kafka.bootstrap(), "edgegw.telemetry");
  const DeliveryCheck check = read_and_check(reader, all_devices(), 90s);
  INFO(check.summary());
  CHECK(check.missing == 0);
  CHECK(check.out_of_order == 0);
}

// A tmpfs of `size` on `path` for the test's life; unmounted lazily (the gateway may
// still hold files). Needs CAP_SYS_ADMIN: mounted() is false without it.
class TmpfsMount {
 public:
  TmpfsMount(const std::filesystem::path& path, const std::string& size) : path_(path) {
    std::filesystem::create_directories(path);
    // mode: a tmpfs root is 1777 by default, a buffer directory the gateway refuses.
    const std::string options = "size=" + size + ",mode=0700";
    mounted_ = ::mount("tmpfs", path.c_str(), "tmpfs", 0, options.c_str()) == 0;
    error_ = mounted_ ? "" : std::strerror(errno);
  }
  ~TmpfsMount() {
    if (mounted_) {
      ::umount2(path_.c_str(), MNT_DETACH);
    }
  }
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;
  [[nodiscard]] bool mounted() const { return mounted_; }
  [[nodiscard]] const std::string& error() const { return error_; }

 private:
  std::filesystem::path path_;
  bool mounted_ = false;
  std::string error_;
};

}  // namespace

TEST_CASE("the size cap under block during an outage holds intake and loses nothing",
          "[integration][storage]") {
  GatewayStack stack({}, small_log("256KiB", "block"));
  GatewayProcess& gateway = stack.start_gateway();
  stack.kafka.cluster().set_all_brokers_down();
  std::thread devices([&] { publish_all(stack); });  // finishes once the gateway takes all
  CHECK(gateway.wait_metric("blocked_waits_total", 1) >= 1);
  CHECK(gateway.metric("log_bytes") <= 256 * 1024);
  CHECK(gateway.metric("mqtt_messages_total") <
        kDevices * kPerDevice);  // the broker holds the rest
  stack.kafka.cluster().set_all_brokers_up();
  devices.join();

  check_nothing_lost(stack);
  CHECK(gateway.metric("log_dropped_records_total") == 0);
  CHECK(gateway.terminate() == 0);
}

TEST_CASE("the size cap under drop_oldest keeps the newest, reports the loss and alerts",
          "[integration][storage]") {
  GatewayTestConfig config = small_log("256KiB", "drop_oldest");
  // Few records in flight, so that most of what is dropped was never handed to Kafka.
  config.kafka_extra = "  max_in_flight: 100";
  GatewayStack stack({}, config);
  GatewayProcess& gateway = stack.start_gateway();
  stack.kafka.cluster().set_all_brokers_down();
  publish_all(stack);
  // Every message taken (so every drop done), and the counters refreshed.
  REQUIRE(gateway.wait_metric("mqtt_messages_total", kDevices * kPerDevice) ==
          kDevices * kPerDevice);
  std::this_thread::sleep_for(500ms);
  const double dropped = gateway.metric("log_dropped_records_total");
  REQUIRE(dropped >= 1);
  CHECK(gateway.metric("log_bytes") <= 256 * 1024 + 64 * 1024);  // at most one segment over
  stack.kafka.cluster().set_all_brokers_up();

  KafkaReader reader(stack.kafka.bootstrap(), "edgegw.telemetry");
  DeliveryCheck check = read_and_check(reader, all_devices(), 20s);
  INFO(check.summary());
  // Records were lost, and they were the oldest: the last message of every device arrived.
  CHECK(check.missing > 0);
  for (int d = 0; d < kDevices; ++d) {
    const bool last_arrived =
        std::any_of(reader.records().begin(), reader.records().end(), [&](const ConsumedRecord& r) {
          const json doc = json::parse(r.value);
          return doc.at("device") == device_name(d) && doc.at("seq") == kPerDevice;
        });
    CHECK(last_arrived);
  }

  KafkaReader dead_letters(stack.kafka.bootstrap(), "edgegw.dead-letter");
  dead_letters.read_until(1, 30s);
  dead_letters.drain(3s);
  REQUIRE_FALSE(dead_letters.records().empty());
  const LossReports reports = loss_reports(dead_letters, "log_dropped");
  CHECK(reports.other_reasons == 0);
  const std::uint64_t reported = reports.lost_records;
  // The report names exactly what never reached Kafka. The counter also holds records
  // that were already with the producer when their segment went; those still arrive.
  CHECK(reported == check.missing);
  CHECK(static_cast<double>(reported) <= dropped);

  KafkaReader alerts(stack.kafka.bootstrap(), "edgegw.alerts");
  alerts.read_until(1, 30s);
  REQUIRE_FALSE(alerts.records().empty());
  const json alert = json::parse(alerts.records().front().value);
  CHECK(alert.at("source") == "health:log_dropped");
  CHECK(alert.at("state") == "raised");
  CHECK(alert.at("device") == "gw-test");
  CHECK(alert.at("severity") == "critical");
  CHECK(gateway.terminate() == 0);
}

TEST_CASE("a real full filesystem under block holds intake and loses nothing",
          "[integration][storage]") {
  GatewayTestConfig config = small_log("64MiB", "block");  // the disk fills before the cap
  GatewayStack stack({}, config);
  TmpfsMount disk(stack.dir.path() / "buffer", "512k");
  if (!disk.mounted()) {
    WARN("skipped: cannot mount a 512 KiB tmpfs for the buffer (" << disk.error()
                                                                  << "; needs CAP_SYS_ADMIN)");
    return;
  }
  GatewayProcess& gateway = stack.start_gateway();
  stack.kafka.cluster().set_all_brokers_down();
  std::thread devices([&] { publish_all(stack); });
  CHECK(gateway.wait_metric("log_write_stalled", 1) == 1);
  CHECK(gateway.metric("mqtt_messages_total") < kDevices * kPerDevice);
  stack.kafka.cluster().set_all_brokers_up();
  devices.join();

  check_nothing_lost(stack);
  CHECK(gateway.metric("log_write_stalled") == 0);
  CHECK(gateway.terminate() == 0);
  CHECK_THAT(gateway.log(), Catch::Contains("Cannot write the durable log"));
}

}  // namespace edgegw::test

namespace edgegw::test {

TEST_CASE("under drop_oldest alerts outlive telemetry", "[integration][storage]") {
  GatewayTestConfig config;
  config.segment_size = "64KiB";
  config.buffer_extra = "  max_size: 1MiB\n  when_full: drop_oldest";  // alerts fit, telemetry not
  config.kafka_extra = "  max_in_flight: 100";
  config.analytics = R"(analytics:
  enabled: true
  window: 60s
  profiles:
    default:
      rules:
        - name: overheat
          when: "temperature > 100"
          clear: 90
          severity: critical
)";
  GatewayStack stack({}, config);
  GatewayProcess& gateway = stack.start_gateway();
  stack.kafka.cluster().set_all_brokers_down();
  {
    MqttPublisher devices(stack.mosquitto.uri());
    for (int seq = 1; seq <= kPerDevice; ++seq) {
      for (int d = 0; d < kDevices; ++d) {
        // Every 25th reading of a device is too hot: 8 alerts raised and cleared each.
        const double temperature = seq % 25 == 0 ? 150.0 : 20.0;
        devices.publish(device_topic(d),
                        fmt::format(R"({{"seq":{},"ts":{},"temp":{},"p":{{"value":1000}}}})", seq,
                                    1700000000000 + seq * std::int64_t{1000}, temperature));
      }
    }
    devices.wait_all();
  }
  REQUIRE(gateway.wait_metric("mqtt_messages_total", kDevices * kPerDevice) ==
          kDevices * kPerDevice);
  // The analytics counters are refreshed by the gateway's one-second tick.
  gateway.wait_metric("alerts_cleared_total", kDevices * 8, 10s);
  std::this_thread::sleep_for(1500ms);
  const double transitions = gateway.metric("alerts_raised_total") +
                             gateway.metric("alerts_updated_total") +
                             gateway.metric("alerts_cleared_total");
  REQUIRE(transitions >= kDevices * 8);
  CHECK(gateway.metric("log_dropped_records_total") > 0);
  CHECK(gateway.metric("log_kept_records_total") > 0);
  stack.kafka.cluster().set_all_brokers_up();

  // Every alert transition reached Kafka although telemetry was dropped around them.
  KafkaReader alerts(stack.kafka.bootstrap(), "edgegw.alerts");
  alerts.read_until(static_cast<std::size_t>(transitions), 60s);
  alerts.drain(3s);
  std::size_t device_alerts = 0;
  for (const ConsumedRecord& r : alerts.records()) {
    if (json::parse(r.value).at("device") != "gw-test") {  // not the gateway's health alerts
      ++device_alerts;
    }
  }
  CHECK(static_cast<double>(device_alerts) == transitions);
  KafkaReader telemetry(stack.kafka.bootstrap(), "edgegw.telemetry");
  const DeliveryCheck check = read_and_check(telemetry, all_devices(), 10s);
  INFO(check.summary());
  CHECK(check.missing > 0);
  CHECK(gateway.terminate() == 0);
}

}  // namespace edgegw::test
