// kafka.topics: the short form (a name) and the map form (a declared topic), and
// kafka.manage_topics; every mistake named with file, line and key.

#include <catch2/catch.hpp>

#include "config/gateway_config_loader.hpp"

using edgegw::Stream;
using edgegw::TopicManagement;
using edgegw::config::ConfigNode;

namespace {

edgegw::KafkaConfig parse_kafka(const std::string& kafka_lines) {
  const std::string yaml =
      "gateway: { id: gw-1 }\n"
      "mqtt: { broker: tcp://127.0.0.1:1883 }\n"
      "mappings:\n"
      "  - { name: pumps, topic: \"pump/{device}\", format: json, sensors: [{ name: flow, field: "
      "flow }] }\n"
      "buffer: { directory: /var/lib/edgegw/buffer }\n"
      "kafka:\n"
      "  bootstrap_servers: 127.0.0.1:9092\n" +
      kafka_lines;
  return edgegw::config::parse_gateway_config(ConfigNode::load_string(yaml, "gw.yaml")).kafka;
}

}  // namespace

TEST_CASE("kafka.topics keeps the short form: a name, nothing declared", "[unit][config][topics]") {
  const edgegw::KafkaConfig kafka = parse_kafka("  topics: { telemetry: plant.telemetry }\n");
  CHECK(kafka.topics.at(Stream::telemetry) == "plant.telemetry");
  CHECK(kafka.topic_settings.empty());
  CHECK(kafka.manage_topics == TopicManagement::create);
  CHECK(kafka.admin_timeout == std::chrono::seconds(10));
}

TEST_CASE("kafka.topics in the map form declares the topic", "[unit][config][topics]") {
  const edgegw::KafkaConfig kafka = parse_kafka(
      "  manage_topics: check\n"
      "  admin_timeout: 3s\n"
      "  topics:\n"
      "    telemetry: { name: plant.telemetry, partitions: 12, replication_factor: 3,\n"
      "                 retention: 7d, retention_bytes: 10GiB, compression: zstd,\n"
      "                 cleanup_policy: delete }\n"
      "    alerts: { partitions: 3, retention: none, retention_bytes: none,\n"
      "              cleanup_policy: \"compact,delete\" }\n");
  CHECK(kafka.manage_topics == TopicManagement::check);
  CHECK(kafka.admin_timeout == std::chrono::seconds(3));
  CHECK(kafka.topics.at(Stream::telemetry) == "plant.telemetry");
  const edgegw::TopicSettings& telemetry = kafka.topic_settings.at(Stream::telemetry);
  CHECK(telemetry.partitions == 12);
  CHECK(telemetry.replication_factor == 3);
  CHECK(telemetry.retention_ms == 7LL * 24 * 3600 * 1000);
  CHECK(telemetry.retention_bytes == 10LL * 1024 * 1024 * 1024);
  CHECK(telemetry.compression == "zstd");
  CHECK(telemetry.cleanup_policy == "delete");
  // Without a name, the stream's default topic.
  CHECK(kafka.topics.at(Stream::alerts) == "edgegw.alerts");
  const edgegw::TopicSettings& alerts = kafka.topic_settings.at(Stream::alerts);
  CHECK(alerts.retention_ms == -1);
  CHECK(alerts.retention_bytes == -1);
  CHECK_FALSE(alerts.replication_factor.has_value());
  CHECK(alerts.cleanup_policy == "compact,delete");
  CHECK_FALSE(kafka.topic_settings.contains(Stream::aggregates));
}

TEST_CASE("kafka.topics mistakes name file, line and key", "[unit][config][topics]") {
  struct Mistake {
    const char* lines;
    const char* message;
  };
  const Mistake mistakes[] = {
      {"  topics: { telemetry: { partitions: 0 } }\n",
       "gw.yaml:8: kafka.topics.telemetry.partitions: must be between 1 and 2147483647, got 0"},
      {"  topics:\n    telemetry:\n      replication_factor: 40000\n",
       "gw.yaml:10: kafka.topics.telemetry.replication_factor: must be between 1 and 32767, got "
       "40000"},
      {"  topics: { telemetry: { partitons: 3 } }\n",
       "gw.yaml:8: kafka.topics.telemetry.partitons: unknown key (did you mean 'partitions'?)"},
      {"  topics: { telemetry: { name: \"\" } }\n",
       "gw.yaml:8: kafka.topics.telemetry.name: must not be empty"},
      {"  topics: { telemetry: { retention: 0s } }\n",
       "gw.yaml:8: kafka.topics.telemetry.retention: must be a duration above 0, or none"},
      {"  topics: { telemetry: { retention_bytes: 0 } }\n",
       "gw.yaml:8: kafka.topics.telemetry.retention_bytes: must be a size above 0, or none"},
      {"  topics: { telemetry: { compression: brotli } }\n",
       "gw.yaml:8: kafka.topics.telemetry.compression: "},
      {"  topics: { telemetry: { cleanup_policy: forever } }\n",
       "gw.yaml:8: kafka.topics.telemetry.cleanup_policy: "},
      {"  topics: { telemetri: plant.telemetry }\n",
       "gw.yaml:8: kafka.topics.telemetri: unknown key (did you mean 'telemetry'?)"},
      {"  manage_topics: always\n", "gw.yaml:8: kafka.manage_topics: "},
      {"  admin_timeout: 10ms\n", "gw.yaml:8: kafka.admin_timeout: "},
  };
  for (const Mistake& mistake : mistakes) {
    INFO(mistake.lines);
    CHECK_THROWS_WITH(parse_kafka(mistake.lines), Catch::StartsWith(mistake.message));
  }
}
