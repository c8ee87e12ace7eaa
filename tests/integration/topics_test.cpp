// `edgegw topics` and `edgegw mock-kafka` against librdkafka's mock cluster: the declared
// topics read back from the cluster's metadata, a difference reported, a creation the
// mock cannot do (librdkafka 2.0.2 has no CreateTopics in its mock) and an unreachable
// cluster both reported plainly within the admin timeout.

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "gateway_stack.hpp"
#include "support/child_process.hpp"
#include "support/kafka_fixture.hpp"
#include "support/temp_dir.hpp"

using edgegw::test::ChildProcess;
using edgegw::test::GatewayProcess;
using edgegw::test::GatewayStack;
using edgegw::test::GatewayTestConfig;
using edgegw::test::KafkaFixture;
using edgegw::test::read_file;
using edgegw::test::TempDir;
using edgegw::test::write_file;
using namespace std::chrono_literals;

namespace {

struct Run {
  int code;
  std::string out;
  std::string err;
  std::chrono::milliseconds took;
};

Run run_edgegw(const TempDir& dir, const std::vector<std::string>& args) {
  std::vector<std::string> command{EDGEGW_BINARY};
  command.insert(command.end(), args.begin(), args.end());
  const auto start = std::chrono::steady_clock::now();
  ChildProcess p(command, dir.path() / "out", dir.path() / "err");
  const int code = p.wait_for(30s).value_or(-1);
  return {code, read_file(dir.path() / "out"), read_file(dir.path() / "err"),
          std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                start)};
}

// A gateway config whose kafka section is `kafka_lines` below its bootstrap servers.
std::filesystem::path write_config(const TempDir& dir, const std::string& bootstrap,
                                   const std::string& kafka_lines) {
  const auto file = dir.path() / "gw.yaml";
  write_file(file, fmt::format("gateway: {{ id: gw-topics }}\n"
                               "mqtt: {{ broker: tcp://127.0.0.1:1883 }}\n"
                               "mappings:\n"
                               "  - name: pumps\n"
                               "    topic: \"pump/{{device}}\"\n"
                               "    format: json\n"
                               "    sensors: [{{ name: flow, field: flow }}]\n"
                               "buffer: {{ directory: {} }}\n"
                               "kafka:\n"
                               "  bootstrap_servers: \"{}\"\n"
                               "  admin_timeout: 2s\n{}",
                               (dir.path() / "buffer").string(), bootstrap, kafka_lines));
  return file;
}

}  // namespace

TEST_CASE("topics --check reads the declared partitions back from the cluster",
          "[integration][topics]") {
  TempDir dir;
  const KafkaFixture kafka(3, 6);  // every default topic, 6 partitions, 3 replicas
  const auto file = write_config(dir, kafka.bootstrap(),
                                 "  topics:\n"
                                 "    telemetry: { partitions: 6, replication_factor: 3,\n"
                                 "                 retention: 7d }\n");
  const Run first = run_edgegw(dir, {"topics", "--check", file.string()});
  CHECK(first.code == 0);
  CHECK_THAT(first.out,
             Catch::Contains("telemetry: edgegw.telemetry: ok [not verified: retention.ms (") &&
                 Catch::Contains("every topic as declared: nothing to do"));
  // Nothing was changed by the first: the same again.
  const Run second = run_edgegw(dir, {"topics", file.string()});
  CHECK(second.code == 0);
  CHECK(second.out == first.out);
}

TEST_CASE("topics --check reports a differing partition count and leaves it",
          "[integration][topics]") {
  TempDir dir;
  const KafkaFixture kafka(3, 6);
  const auto file =
      write_config(dir, kafka.bootstrap(), "  topics: { telemetry: { partitions: 12 } }\n");
  const Run check = run_edgegw(dir, {"topics", "--check", file.string()});
  CHECK(check.code == 1);
  CHECK_THAT(check.out, Catch::Contains("telemetry: edgegw.telemetry: differs: partitions "
                                        "declared 12, cluster 6 (not changed)") &&
                            Catch::Contains("0 topic(s) missing, 1 differing"));
  const Run apply = run_edgegw(dir, {"topics", "--apply", file.string()});
  CHECK(apply.code == 1);
  CHECK_THAT(apply.out, Catch::Contains("differs: partitions declared 12, cluster 6"));
}

TEST_CASE("topics --apply reports that the mock cluster cannot create topics",
          "[integration][topics]") {
  TempDir dir;
  const KafkaFixture kafka(3, 6);
  const auto file = write_config(dir, kafka.bootstrap(),
                                 "  topics: { telemetry: { name: plant.telemetry, partitions: 4 "
                                 "} }\n");
  const Run check = run_edgegw(dir, {"topics", "--check", file.string()});
  CHECK(check.code == 1);
  CHECK_THAT(check.out, Catch::Contains("telemetry: plant.telemetry: missing: to create with "
                                        "partitions=4 replication.factor=(broker default)") &&
                            Catch::Contains("1 topic(s) missing, 0 differing (--apply creates"));
  // librdkafka 2.0.2's mock answers no CreateTopics: a clear refusal, not a hang.
  const Run apply = run_edgegw(dir, {"topics", "--apply", file.string()});
  CHECK(apply.code == 1);
  CHECK_THAT(apply.out, Catch::Contains("telemetry: plant.telemetry: missing: creating it "
                                        "failed: Kafka (" +
                                        kafka.bootstrap() + ") refused to create topics: ") &&
                            Catch::Contains("not supported by broker") &&
                            Catch::Contains("1 topic(s) missing, 0 differing"));
  CHECK(apply.took < 10s);
}

TEST_CASE("topics reports an unreachable cluster within the admin timeout",
          "[integration][topics]") {
  TempDir dir;
  KafkaFixture kafka(1, 1);
  kafka.cluster().set_all_brokers_down();
  const auto file =
      write_config(dir, kafka.bootstrap(), "  topics: { telemetry: { partitions: 4 } }\n");
  const Run check = run_edgegw(dir, {"topics", "--check", file.string()});
  CHECK(check.code == 1);
  CHECK_THAT(check.err, Catch::Contains("error: Kafka (" + kafka.bootstrap() +
                                        ") gave no metadata within 2.0 s"));
  CHECK(check.took < 8s);
}

TEST_CASE("mock-kafka creates the declared topics as declared, and topics agrees",
          "[integration][topics]") {
  TempDir dir;
  const auto declared = write_config(dir, "127.0.0.1:9",
                                     "  topics:\n"
                                     "    telemetry: { name: plant.telemetry, partitions: 12,\n"
                                     "                 replication_factor: 3 }\n"
                                     "    alerts: { partitions: 3 }\n");
  const auto bootstrap_file = dir.path() / "bootstrap";
  ChildProcess mock({EDGEGW_BINARY, "mock-kafka", "--brokers", "3", "--config", declared.string(),
                     "--bootstrap-file", bootstrap_file.string()},
                    dir.path() / "mock.out", dir.path() / "mock.err");
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  std::string bootstrap = read_file(bootstrap_file);
  while (!bootstrap.ends_with('\n') && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
    bootstrap = read_file(bootstrap_file);
  }
  REQUIRE(bootstrap.ends_with('\n'));
  bootstrap.pop_back();
  TempDir run_dir;
  const auto file = write_config(run_dir, bootstrap,
                                 "  topics:\n"
                                 "    telemetry: { name: plant.telemetry, partitions: 12,\n"
                                 "                 replication_factor: 3 }\n"
                                 "    alerts: { partitions: 3 }\n");
  const Run check = run_edgegw(run_dir, {"topics", "--check", file.string()});
  CHECK(check.code == 0);
  CHECK_THAT(check.out, Catch::Contains("telemetry: plant.telemetry: ok") &&
                            Catch::Contains("alerts: edgegw.alerts: ok"));
  mock.terminate();
}

TEST_CASE("The gateway reports a differing and a missing declared topic at start",
          "[integration][topics]") {
  GatewayTestConfig config;
  config.kafka_extra =
      "  topics:\n"
      "    telemetry: { partitions: 12 }\n"
      "    alerts: { name: plant.alerts, partitions: 2 }\n";
  GatewayStack stack({}, config);
  GatewayProcess& gateway = stack.start_gateway();
  CHECK(gateway.wait_metric("kafka_topics_differing", 1, 20s) == 1);
  // The mock cannot create topics: the round completes with plant.alerts still missing.
  CHECK(gateway.wait_metric("kafka_topics_missing", 1, 20s) == 1);
  CHECK(gateway.metric("kafka_topics_created_total") == 0);
  CHECK_THAT(gateway.log(),
             Catch::Contains("Kafka topic telemetry: edgegw.telemetry: differs: partitions "
                             "declared 12, cluster 6 (not changed)") &&
                 Catch::Contains("refused to create topics"));
}

TEST_CASE("With Kafka unreachable at start, topic management waits and ingest does not",
          "[integration][topics]") {
  GatewayTestConfig config;
  config.kafka_extra =
      "  admin_timeout: 1s\n"
      "  topics: { telemetry: { partitions: 6 } }\n";
  GatewayStack stack({}, config);
  stack.kafka.cluster().set_all_brokers_down();
  GatewayProcess& gateway = stack.launch_gateway();
  CHECK(gateway.wait_metric("kafka_topic_check_errors_total", 1, 20s) >= 1);
  edgegw::test::MqttPublisher devices(stack.mosquitto.uri());
  edgegw::test::publish_rounds(devices, 3, 1, 20);
  CHECK(gateway.wait_metric("mqtt_messages_total", 60, 30s) == 60);  // all in the log
  CHECK_THAT(gateway.log(),
             Catch::Contains("Kafka topics not checked: Kafka (" + stack.kafka.bootstrap() +
                             ") gave no metadata within 1.0 s"));
  const auto before = std::chrono::steady_clock::now();
  CHECK(gateway.terminate() == 0);
  CHECK(std::chrono::steady_clock::now() - before < 15s);
}
