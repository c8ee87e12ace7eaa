#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

#include "config/gateway_config_loader.hpp"
#include "support/temp_dir.hpp"

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

// One row per way to get a config wrong: what to change in kValid, and the whole message
// check-config prints (file, line, dotted key, what is wrong).
struct Mistake {
  const char* from;
  const char* to;
  const char* message;
  bool then_librdkafka = false;  // librdkafka's own words follow; they vary by its version
};
constexpr bool kLibrdkafkaSays = true;

const Mistake kMistakes[] = {
    // gateway
    {"  id: gw-1", "  id: \"\"", "gw.yaml:2: gateway.id: must not be empty"},
    {"gateway:\n  id: gw-1\n", "", "gw.yaml:1: 'gateway' is required"},
    {"gateway:", "gateways:", "gw.yaml:1: gateways: unknown key (did you mean 'gateway'?)"},
    // mqtt
    {"tcp://127.0.0.1:1883", "127.0.0.1:1883",
     "gw.yaml:4: mqtt.broker: '127.0.0.1:1883' should look like tcp://host:1883 or "
     "ssl://host:8883"},
    {"qos: 1", "qos: 3", "gw.yaml:5: mqtt.qos: must be 0, 1 or 2"},
    {"keep_alive: 20s", "keep_alive: 500ms", "gw.yaml:6: mqtt.keep_alive: must be at least 1s"},
    {"keep_alive: 20s", "keep_alive: soon",
     "gw.yaml:6: mqtt.keep_alive: expected a duration like 200ms, 5s, 2m, 1h or 7d, got 'soon'"},
    {"keep_alive: 20s", "keep_alive: 20s\n  reconnect_min: 1m\n  reconnect_max: 10s",
     "gw.yaml:7: mqtt.reconnect_min: must not exceed reconnect_max"},
    {"keep_alive: 20s", "version: \"4\"", "gw.yaml:6: mqtt.version: '4' is not one of: 3.1.1, 5"},
    {"keep_alive: 20s", "session_expiry: 1h",
     "gw.yaml:6: mqtt.session_expiry: needs `version: 5` (MQTT 3.1.1 sessions have no expiry; "
     "the broker's own setting, e.g. mosquitto's persistent_client_expiration, bounds them)"},
    {"keep_alive: 20s", "version: 5\n  session_expiry: 500ms",
     "gw.yaml:7: mqtt.session_expiry: must be at least 1s; `none` keeps the session for ever, "
     "and `persistent_session: false` ends it with the connection"},
    {"keep_alive: 20s", "version: 5\n  session_expiry: 200000d",
     "gw.yaml:7: mqtt.session_expiry: must be at most 4294967294s (MQTT 5 counts it in 32 "
     "bits)"},
    {"tags: [site]", "tags: [site, $user.line]",
     "gw.yaml:7: mappings: a mapping reads $content_type or $user.<name>, MQTT 5 properties: "
     "set mqtt.version: 5"},
    {"keep_alive: 20s", "version: 5\n  persistent_session: false\n  session_expiry: 1h",
     "gw.yaml:8: mqtt.session_expiry: needs `persistent_session: true` (without it the session "
     "ends with the connection)"},
    {"keep_alive: 20s", "subscriptions: [\"factory/#/pump\"]",
     "gw.yaml:6: mqtt.subscriptions: 'factory/#/pump': '#' must be the last level"},
    {"keep_alive: 20s", "subscriptions: [\"factory/pump+\"]",
     "gw.yaml:6: mqtt.subscriptions: 'factory/pump+': '+' and '#' must fill a whole level"},
    {"keep_alive: 20s", "password: s3cret",
     "gw.yaml:6: mqtt.password: a password needs a username (MQTT 3.1.1 sends none without "
     "one)"},
    {"keep_alive: 20s", "username: gw\n  password_file: /nonexistent/secret",
     "gw.yaml:7: mqtt.password_file: cannot read '/nonexistent/secret'"},
    {"keep_alive: 20s", "tls: { ca_file: /etc/ssl/certs/ca-certificates.crt }",
     "gw.yaml:6: mqtt.tls: TLS needs an ssl:// or mqtts:// broker, not 'tcp://127.0.0.1:1883'"},
    {"tcp://127.0.0.1:1883\n  qos: 1\n  keep_alive: 20s",
     "ssl://127.0.0.1:8883\n  qos: 1\n  tls: { enabled: false }",
     "gw.yaml:6: mqtt.tls: 'ssl://127.0.0.1:8883' always uses TLS; drop 'enabled: false'"},
    {"tcp://127.0.0.1:1883\n  qos: 1\n  keep_alive: 20s",
     "ssl://127.0.0.1:8883\n  qos: 1\n  tls: { ca_file: /nonexistent/ca.pem }",
     "gw.yaml:6: mqtt.tls.ca_file: cannot read '/nonexistent/ca.pem'"},
    {"tcp://127.0.0.1:1883\n  qos: 1\n  keep_alive: 20s",
     "ssl://127.0.0.1:8883\n  qos: 1\n  tls: { cert_file: /dev/null }",
     "gw.yaml:6: mqtt.tls: cert_file and key_file go together"},
    // mappings
    {"factory/{site}/pump/{device}/telemetry", "factory/#/pump/{device}",
     "gw.yaml:9: mappings[0].topic: '#' must be the last level in 'factory/#/pump/{device}'"},
    {"factory/{site}/pump/{device}/telemetry", "factory/{site}/pump/+/telemetry",
     "gw.yaml:8: mappings[0].device: the device capture 'device' is not in topic "
     "'factory/{site}/pump/+/telemetry' (write it as {device})"},
    {"tags: [site]", "tags: [area]",
     "gw.yaml:11: mappings[0].tags: tag 'area' is not a capture of topic "
     "'factory/{site}/pump/{device}/telemetry'"},
    {"format: csv", "format: xml",
     "gw.yaml:19: mappings[1].format: 'xml' is not one of: json, number, csv, sparkplug"},
    {"field: metrics.flow.value", "field: \"metrics..flow\"",
     "gw.yaml:15: mappings[0].sensors[0].field: field path 'metrics..flow': empty field name"},
    {"field: metrics.flow.value", "field: \"values[first]\"",
     "gw.yaml:15: mappings[0].sensors[0].field: field path 'values[first]': an array index "
     "must be a whole number"},
    {"sequence: seq", "sequence: \"seq.\"",
     "gw.yaml:12: mappings[0].sequence: field path 'seq.': ends with '.'"},
    {"sequence: seq", "sequence: seq\n    max_clock_skew: soon",
     "gw.yaml:13: mappings[0].max_clock_skew: expected a duration like 200ms, 5s, 2m, 1h or 7d, "
     "got 'soon'"},
    {"sequence: seq", "sequence: seq\n    on_bad_timestamp: drop",
     "gw.yaml:13: mappings[0].on_bad_timestamp: 'drop' is not one of: dead_letter, "
     "arrival_time"},
    {"sensor_capture: sensor", "sensor_capture: sensor\n    max_sample_age: 1d",
     "gw.yaml:28: mappings[2].max_sample_age: checks a payload timestamp, and this mapping has "
     "none (its samples take the arrival time): add 'timestamp' or remove this key"},
    {"field: ts, format: milliseconds", "field: ts, format: micros",
     "gw.yaml:13: mappings[0].timestamp.format: 'micros' is not one of: seconds, milliseconds, "
     "iso8601"},
    {"min: 0, max: 500", "min: 600, max: 500",
     "gw.yaml:15: mappings[0].sensors[0].min: must not exceed max"},
    {"min: 0, max: 500", "min: 0, max: 500, values: {}",
     "gw.yaml:15: mappings[0].sensors[0].values: lists no codes (give e.g. {idle: 0, "
     "running: 1})"},
    {"name: pressure", "name: flow",
     "gw.yaml:16: mappings[0].sensors[1].name: sensor 'flow' is listed twice"},
    {"    columns: [seq, ts, current, speed]\n", "",
     "gw.yaml:17: mappings[1]: csv mappings need 'columns' (the column names in order)"},
    {"column: current,", "column: amps,",
     "gw.yaml:23: mappings[1].sensors[0].column: 'amps' is not one of the csv columns (seq, ts, "
     "current, speed)"},
    {"column: ts,", "column: time,",
     "gw.yaml:21: mappings[1].timestamp.column: 'time' is not one of the csv columns (seq, ts, "
     "current, speed)"},
    {"    sensors:\n      - { name: current, column: current, unit: A }\n", "",
     "gw.yaml:17: mappings[1]: a mapping needs at least one sensor"},
    {"format: csv", "format: csv\n    delimiter: \";;\"",
     "gw.yaml:20: mappings[1].delimiter: must be a single character"},
    {"sensor_capture: sensor", "sensor_capture: name",
     "gw.yaml:27: mappings[2].sensor_capture: 'name' is not a capture of topic "
     "'factory/{site}/compressor/{device}/{sensor}'"},
    {"sensor_capture: sensor", "sensor_capture: sensor\n    timestamp: { field: ts }",
     "gw.yaml:28: mappings[2].timestamp: a bare number payload has no timestamp field"},
    {"name: motors", "name: pumps",
     "gw.yaml:17: mappings[1].name: mapping name 'pumps' is used "
     "twice"},
    // kafka
    {"bootstrap_servers: 127.0.0.1:9092", "bootstrap_servers: \"\"",
     "gw.yaml:31: kafka.bootstrap_servers: must name at least one broker as host:port"},
    {"bootstrap_servers: 127.0.0.1:9092", "bootstrap_servers: kafka-1",
     "gw.yaml:31: kafka.bootstrap_servers: 'kafka-1' is not host:port"},
    {"bootstrap_servers: 127.0.0.1:9092", "bootstrap_servers: \"k1:9092, k2:90920\"",
     "gw.yaml:31: kafka.bootstrap_servers: 'k2:90920' has no valid port ('90920')"},
    {"telemetry: plant.telemetry", "telemetry: \"\"",
     "gw.yaml:32: kafka.topics.telemetry: must not be empty"},
    {"bootstrap_servers: 127.0.0.1:9092", "bootstrap_servers: 127.0.0.1:9092\n  key: \"{plant}\"",
     "gw.yaml:32: kafka.key: '{plant}' is neither {device} nor a tag of any mapping (device, "
     "site)"},
    {"bootstrap_servers: 127.0.0.1:9092", "bootstrap_servers: 127.0.0.1:9092\n  key: \"{device\"",
     "gw.yaml:32: kafka.key: key template '{device' has an unclosed or empty {}"},
    {"compression.type: zstd", "enable.idempotence: false",
     "gw.yaml:33: kafka.properties.enable.idempotence: the gateway sets this property itself "
     "(bootstrap.servers comes from kafka.bootstrap_servers; idempotence and the murmur2 "
     "partitioner are what keep per-device order; the transaction settings come from "
     "kafka.transactional_id and kafka.transaction_timeout)"},
    {"compression.type: zstd", "transactional.id: other",
     "gw.yaml:33: kafka.properties.transactional.id: the gateway sets this property itself "
     "(bootstrap.servers comes from kafka.bootstrap_servers; idempotence and the murmur2 "
     "partitioner are what keep per-device order; the transaction settings come from "
     "kafka.transactional_id and kafka.transaction_timeout)"},
    {"bootstrap_servers: 127.0.0.1:9092",
     "bootstrap_servers: 127.0.0.1:9092\n  delivery: exactly_once\n  offsets_topic: "
     "plant.telemetry",
     "gw.yaml:33: kafka.offsets_topic: the offsets topic 'plant.telemetry' is also the topic of "
     "the telemetry stream; give the cursor records a topic of their own"},
    {"bootstrap_servers: 127.0.0.1:9092",
     "bootstrap_servers: 127.0.0.1:9092\n  delivery: exactly_twice",
     "gw.yaml:32: kafka.delivery: 'exactly_twice' is not one of: at_least_once, exactly_once"},
    {"bootstrap_servers: 127.0.0.1:9092",
     "bootstrap_servers: 127.0.0.1:9092\n  transaction_timeout: 10ms",
     "gw.yaml:32: kafka.transaction_timeout: must be between 1s and 15m"},
    {"compression.type: zstd", "compresion.type: zstd",
     "gw.yaml:33: kafka.properties.compresion.type: librdkafka refuses it: ", kLibrdkafkaSays},
    {"compression.type: zstd", "acks: some",
     "gw.yaml:33: kafka.properties.acks: librdkafka refuses it: ", kLibrdkafkaSays},
    {"bootstrap_servers: 127.0.0.1:9092", "bootstrap_servers: 127.0.0.1:9092\n  max_in_flight: 0",
     "gw.yaml:32: kafka.max_in_flight: must be at least 1"},
    // buffer
    {"  directory: /var/lib/edgegw/buffer\n", "", "gw.yaml:34: buffer: 'directory' is required"},
    {"segment_size: 8MiB", "segment_size: 1KiB",
     "gw.yaml:36: buffer.segment_size: must be between 4KiB and 256MiB (got 1024 bytes)"},
    // The log's own bound, which check-config used not to know.
    {"segment_size: 8MiB\n  fsync: always\n  max_size: 512MiB",
     "segment_size: 512MiB\n  fsync: always\n  max_size: 4GiB",
     "gw.yaml:36: buffer.segment_size: must be between 4KiB and 256MiB (got 536870912 bytes)"},
    {"max_size: 512MiB", "max_size: 8MiB",
     "gw.yaml:38: buffer.max_size: must hold at least two segments of 8388608 bytes (got "
     "8388608 bytes)"},
    {"max_size: 512MiB", "max_size: lots",
     "gw.yaml:38: buffer.max_size: expected a size like 512KiB, 64MiB or 2GiB, got 'lots'"},
    {"fsync: always", "fsync: sometimes",
     "gw.yaml:37: buffer.fsync: 'sometimes' is not one of: always, interval, never"},
    {"fsync: always", "fsync: interval\n  fsync_interval: 0s",
     "gw.yaml:38: buffer.fsync_interval: must be positive when fsync is interval"},
    {"when_full: drop_oldest", "when_full: wait",
     "gw.yaml:39: buffer.when_full: 'wait' is not one of: drop_oldest, block"},
    {"when_full: drop_oldest", "when_ful: drop_oldest",
     "gw.yaml:39: buffer.when_ful: unknown key (did you mean 'when_full'?)"},
    // http: the server's own parser
    {"when_full: drop_oldest", "when_full: drop_oldest\nhttp:\n  listen: \"127.0.0.1:abc\"",
     "gw.yaml:41: http.listen: port 'abc' is not a number from 0 to 65535 (0 picks a free "
     "port)"},
    {"when_full: drop_oldest", "when_full: drop_oldest\nhttp:\n  listen: \":99999\"",
     "gw.yaml:41: http.listen: ':99999' has no host (0.0.0.0 or [::] listens on every "
     "interface)"},
    {"when_full: drop_oldest", "when_full: drop_oldest\nhttp:\n  listen: \"0.0.0.0:99999\"",
     "gw.yaml:41: http.listen: port '99999' is not a number from 0 to 65535 (0 picks a free "
     "port)"},
    {"when_full: drop_oldest", "when_full: drop_oldest\nhttp:\n  listen: \"::1:8787\"",
     "gw.yaml:41: http.listen: '::1:8787': write an IPv6 address in brackets, e.g. "
     "[::1]:8787"},
};

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

TEST_CASE("each config mistake is named with file, line, key and what is wrong", "[unit][config]") {
  for (const Mistake& mistake : kMistakes) {
    INFO("changing '" << mistake.from << "' to '" << mistake.to << "'");
    const std::string config = replace(kValid, mistake.from, mistake.to);
    if (mistake.then_librdkafka) {
      CHECK_THROWS_WITH(parse(config), Catch::StartsWith(mistake.message));
    } else {
      CHECK_THROWS_WITH(parse(config), mistake.message);
    }
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
    const edgegw::test::TempDir dir;
    const std::string path = dir.write("password.txt", "from-file\n").string();
    const auto c =
        parse(replace(kValid, "qos: 1", "qos: 1\n  username: gw\n  password_file: " + path));
    CHECK(c.mqtt.password == "from-file");
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

TEST_CASE("a maintenance model file is loaded by the config check, as by the daemon",
          "[unit][config]") {
  const auto with_model = [](const std::string& file) {
    return replace(kValid, "when_full: drop_oldest",
                   "when_full: drop_oldest\nanalytics:\n  maintenance:\n    - device_class: pump\n"
                   "      model_file: " +
                       file);
  };
  CHECK_NOTHROW(parse(with_model(EDGEGW_SOURCE_DIR "/models/turbofan-fd001-ridge.json")));
  CHECK_THROWS_WITH(parse(with_model("/nonexistent/pump.json")),
                    "gw.yaml:43: analytics.maintenance[0].model_file: /nonexistent/pump.json: "
                    "cannot open model file");
}

TEST_CASE("the example configs shipped in config/ are valid", "[unit][config]") {
  for (const char* file : {EDGEGW_SOURCE_DIR "/config/gateway.example.yaml"}) {
    INFO(file);
    CHECK_NOTHROW(edgegw::config::load_gateway_config(file));
  }
}

TEST_CASE("exactly_once takes the gateway's id as its transactional id unless given one",
          "[unit][config][exactly_once]") {
  const std::string eos = replace(kValid, "bootstrap_servers: 127.0.0.1:9092",
                                  "bootstrap_servers: 127.0.0.1:9092\n  delivery: exactly_once");
  const edgegw::GatewayConfig c = parse(eos);
  CHECK(c.kafka.delivery == edgegw::KafkaDelivery::exactly_once);
  CHECK(c.kafka.transactional_id == "edgegw-" + c.gateway_id);
  CHECK(c.kafka.offsets_topic == "edgegw.offsets");
  const edgegw::GatewayConfig named = parse(
      replace(eos, "delivery: exactly_once", "delivery: exactly_once\n  transactional_id: line-3"));
  CHECK(named.kafka.transactional_id == "line-3");
  CHECK(parse(kValid).kafka.delivery == edgegw::KafkaDelivery::at_least_once);
}
