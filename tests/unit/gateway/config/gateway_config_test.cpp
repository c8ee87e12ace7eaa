#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

#include "config/gateway_config_loader.hpp"

using edgegw::config::ConfigNode;
using edgegw::config::parse_gateway_config;

namespace {

const std::string kValid = R"(gateway:
  id: gw-1
mqtt:
  broker: tcp://127.0.0.1:1883
  qos: 1
  keep_alive: 20s
mappings:
  - name: pumps
    topic: "factory/{site}/pump/{device}/telemetry"
    format: json
    tags: [site]
    sequence: seq
    timestamp: { field: ts, format: milliseconds }
    sensors:
      - { name: flow, field: metrics.flow.value, unit: m3/h, min: 0, max: 500 }
      - { name: pressure, field: metrics.pressure, unit: bar }
  - name: motors
    topic: "factory/{site}/motor/{device}/telemetry"
    format: csv
    columns: [seq, ts, current, speed]
    timestamp: { column: ts, format: milliseconds }
    sensors:
      - { name: current, column: current, unit: A }
  - name: compressors
    topic: "factory/{site}/compressor/{device}/{sensor}"
    format: number
    sensor_capture: sensor
    sensors:
      - { name: discharge_temp, unit: degC }
kafka:
  bootstrap_servers: 127.0.0.1:9092
  topics: { telemetry: plant.telemetry }
  properties: { compression.type: zstd }
buffer:
  directory: /var/lib/edgegw/buffer
  segment_size: 8MiB
  fsync: always
  max_size: 512MiB
  when_full: drop_oldest
)";

edgegw::GatewayConfig parse(const std::string& yaml) {
  return parse_gateway_config(ConfigNode::load_string(yaml, "gw.yaml"));
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const std::size_t pos = text.find(from);
  REQUIRE(pos != std::string::npos);
  return text.replace(pos, from.size(), to);
}

}  // namespace

TEST_CASE("a complete gateway config parses with defaults filled in", "[unit][config]") {
  const edgegw::GatewayConfig c = parse(kValid);
  CHECK(c.gateway_id == "gw-1");
  CHECK(c.mqtt.keep_alive == std::chrono::seconds(20));
  CHECK(c.mqtt.persistent_session);
  REQUIRE(c.mappings.size() == 3);
  CHECK(c.mappings[0].sensors[0].field == "metrics.flow.value");
  CHECK(c.mappings[0].sensors[0].max == 500);
  CHECK(c.mappings[0].line == 8);
  CHECK(c.mappings[1].format == edgegw::PayloadFormat::csv);
  CHECK(c.mappings[2].sensor_capture == "sensor");
  CHECK(c.kafka.topics.at(edgegw::Stream::telemetry) == "plant.telemetry");
  CHECK(c.kafka.topics.at(edgegw::Stream::dead_letter) == "edgegw.dead-letter");
  CHECK(c.kafka.properties.at("compression.type") == "zstd");
  CHECK(c.buffer.segment_bytes == 8ULL << 20U);
  CHECK(c.buffer.fsync == edgegw::store::FsyncPolicy::always);
  CHECK(c.buffer.when_full == edgegw::store::FullPolicy::drop_oldest);
}

TEST_CASE("a minimal config needs only ids, broker, one mapping, kafka and a directory",
          "[unit][config]") {
  const edgegw::GatewayConfig c = parse(R"(gateway: { id: g }
mqtt: { broker: "tcp://localhost:1883" }
mappings:
  - { name: m, topic: "d/{device}", format: number, sensors: [ { name: v } ] }
kafka: { bootstrap_servers: "k:9092" }
buffer: { directory: /tmp/b }
)");
  CHECK(c.mqtt.qos == 1);
  CHECK(c.kafka.topics.at(edgegw::Stream::alerts) == "edgegw.alerts");
  CHECK(c.kafka.key_template == "{device}");
  CHECK(c.buffer.when_full == edgegw::store::FullPolicy::block);
  CHECK(c.http.listen == "127.0.0.1:8787");
}

TEST_CASE("each config mistake is named with line and key", "[unit][config]") {
  using Catch::Contains;
  SECTION("missing section") {
    CHECK_THROWS_WITH(parse(replace(kValid,
                                    "kafka:\n  bootstrap_servers: 127.0.0.1:9092\n  topics: { "
                                    "telemetry: plant.telemetry }\n  properties: { "
                                    "compression.type: zstd }\n",
                                    "")),
                      Contains("'kafka' is required"));
  }
  SECTION("qos out of range") {
    CHECK_THROWS_WITH(parse(replace(kValid, "qos: 1", "qos: 3")),
                      "gw.yaml:5: mqtt.qos: must be 0, 1 or 2");
  }
  SECTION("broker without a scheme") {
    CHECK_THROWS_WITH(parse(replace(kValid, "tcp://127.0.0.1:1883", "127.0.0.1:1883")),
                      Contains("mqtt.broker: '127.0.0.1:1883' should look like tcp://"));
  }
  SECTION("bad topic template") {
    CHECK_THROWS_WITH(
        parse(replace(kValid, "factory/{site}/pump/{device}/telemetry", "factory/#/pump/{device}")),
        Contains("mappings[0].topic: '#' must be the last level"));
  }
  SECTION("device capture missing from the topic") {
    CHECK_THROWS_WITH(parse(replace(kValid, "factory/{site}/pump/{device}/telemetry",
                                    "factory/{site}/pump/+/telemetry")),
                      Contains("device capture 'device' is not in topic"));
  }
  SECTION("csv sensor column that does not exist") {
    CHECK_THROWS_WITH(parse(replace(kValid, "column: current,", "column: amps,")),
                      Contains("'amps' is not one of the csv columns"));
  }
  SECTION("sensor capture that is not in the topic") {
    CHECK_THROWS_WITH(parse(replace(kValid, "sensor_capture: sensor", "sensor_capture: name")),
                      Contains("mappings[2].sensor_capture: 'name' is not a capture of topic"));
  }
  SECTION("unknown payload format") {
    CHECK_THROWS_WITH(parse(replace(kValid, "format: csv", "format: xml")),
                      Contains("mappings[1].format: 'xml' is not one of: json, number, csv"));
  }
  SECTION("a property the gateway owns") {
    CHECK_THROWS_WITH(
        parse(replace(kValid, "compression.type: zstd", "enable.idempotence: false")),
        Contains("kafka.properties.enable.idempotence: the gateway sets this property itself"));
  }
  SECTION("max_size too small for the segments") {
    CHECK_THROWS_WITH(parse(replace(kValid, "max_size: 512MiB", "max_size: 8MiB")),
                      Contains("max_size must hold at least two segments"));
  }
  SECTION("duplicate mapping names") {
    CHECK_THROWS_WITH(parse(replace(kValid, "name: motors", "name: pumps")),
                      Contains("mapping name 'pumps' is used twice"));
  }
  SECTION("a typo in a key") {
    CHECK_THROWS_WITH(parse(replace(kValid, "when_full: drop_oldest", "when_ful: drop_oldest")),
                      "gw.yaml:39: buffer.when_ful: unknown key (a typo?)");
  }
}

TEST_CASE("the MQTT password comes from the file, the environment or a secret file",
          "[unit][config]") {
  SECTION("environment") {
    ::setenv("EDGEGW_TEST_PASSWORD", "s3cret", 1);
    const auto c = parse(
        replace(kValid, "qos: 1", "qos: 1\n  username: gw\n  password_env: EDGEGW_TEST_PASSWORD"));
    CHECK(c.mqtt.password == "s3cret");
  }
  SECTION("unset environment variable") {
    ::unsetenv("EDGEGW_TEST_PASSWORD_UNSET");
    CHECK_THROWS_WITH(
        parse(replace(kValid, "qos: 1", "qos: 1\n  password_env: EDGEGW_TEST_PASSWORD_UNSET")),
        Catch::Contains("environment variable 'EDGEGW_TEST_PASSWORD_UNSET' is not set"));
  }
  SECTION("secret file, trailing newline dropped") {
    const std::string path = "edgegw_test_password.txt";
    std::ofstream(path) << "from-file\n";
    const auto c = parse(replace(kValid, "qos: 1", "qos: 1\n  password_file: " + path));
    CHECK(c.mqtt.password == "from-file");
    std::remove(path.c_str());
  }
  SECTION("two sources are ambiguous") {
    CHECK_THROWS_WITH(
        parse(replace(kValid, "qos: 1", "qos: 1\n  password: a\n  password_env: HOME")),
        Catch::Contains("give only one of password"));
  }
}

TEST_CASE("mqtt.alerts publishes alerts locally, with its topic and severity checked",
          "[unit][config]") {
  using Catch::Contains;
  const auto with_alerts = [](const std::string& lines) {
    return replace(kValid, "  keep_alive: 20s\n", "  keep_alive: 20s\n  alerts:\n" + lines);
  };
  CHECK_FALSE(parse(kValid).mqtt.alerts.enabled);
  const auto config = parse(with_alerts("    retain: true\n    min_severity: warning\n"));
  CHECK(config.mqtt.alerts.enabled);
  CHECK(config.mqtt.alerts.topic == "edgegw/{gateway}/alerts/{device}/{source}");
  CHECK(config.mqtt.alerts.retain);
  CHECK(config.mqtt.alerts.min_severity == "warning");
  CHECK_THROWS_WITH(parse(with_alerts("    topic: \"plant/+/alerts\"\n")),
                    Contains("gw.yaml:8: mqtt.alerts.topic: must be a topic name"));
  CHECK_THROWS_WITH(parse(with_alerts("    topic: \"alerts/{site}\"\n")),
                    Contains("mqtt.alerts.topic: unknown placeholder"));
  CHECK_THROWS_WITH(parse(with_alerts("    min_severity: high\n")),
                    Contains("mqtt.alerts.min_severity"));
}

TEST_CASE("the example configs shipped in config/ are valid", "[unit][config]") {
  for (const char* file : {EDGEGW_SOURCE_DIR "/config/gateway.example.yaml"}) {
    INFO(file);
    CHECK_NOTHROW(edgegw::config::load_gateway_config(file));
  }
}
