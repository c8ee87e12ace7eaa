// /metrics as a scraper reads it: every series well formed whatever the gateway id, and
// every counter the parts keep exported.

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "app/metrics_report.hpp"
#include "support/docs_block.hpp"

namespace edgegw::app {
namespace {

// The probes of a gateway that has done nothing yet, with every optional part on.
struct IdleGateway {
  ingest::IngestProbe ingest;
  pipeline::PipelineProbe pipeline;
  forward::ForwarderProbe forwarder;
  CheckpointProbe checkpoint;
  store::LogStats log;
  analytics::EngineStats analytics;
  local_alerts::AlertTopicStats alert_topic;
  http::HttpProbe http;

  std::string render(const std::string& gateway_id) const {
    return render_metrics({gateway_id, log, ingest, pipeline, forwarder, true, analytics,
                           alert_topic, &checkpoint, &http});
  }
};

// A sample line of the text exposition format: name{label="value",...} number, where a
// label value escapes backslash, double quote and newline.
bool well_formed_sample(const std::string& line) {
  static const std::regex sample(
      R"re(^[a-zA-Z_:][a-zA-Z0-9_:]*\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")re"
      R"re((?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")*\} \S+$)re");
  return std::regex_match(line, sample);
}

// The value of the first series of `name` in `text`, or -1 when there is none.
double value_of(const std::string& text, const std::string& name) {
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("edgegw_" + name + "{", 0) == 0) {
      return std::stod(line.substr(line.rfind(' ') + 1));
    }
  }
  return -1;
}

}  // namespace

TEST_CASE("a gateway id with quotes, backslashes or newlines keeps every series well formed",
          "[unit][metrics]") {
  const IdleGateway gateway;
  const std::string text = gateway.render("edge \"01\"\\west\nline");
  CHECK(text.find(R"(gateway="edge \"01\"\\west\nline")") != std::string::npos);
  std::istringstream lines(text);
  std::string line;
  int samples = 0;
  while (std::getline(lines, line)) {
    if (!line.starts_with("#")) {
      INFO(line);
      CHECK(well_formed_sample(line));
      ++samples;
    }
  }
  CHECK(samples > 50);
}

TEST_CASE("the log's io errors, cursor fallbacks and dropped segments reach /metrics",
          "[unit][metrics]") {
  IdleGateway gateway;
  gateway.log.io_errors = 7;
  gateway.log.cursor_fallbacks = 2;
  gateway.log.dropped_segments = 3;
  const std::string text = gateway.render("gw-1");
  CHECK(value_of(text, "log_io_errors_total") == 7);
  CHECK(value_of(text, "log_cursor_fallbacks_total") == 2);
  CHECK(value_of(text, "log_dropped_segments_total") == 3);
}

TEST_CASE("the analytics engine's refusals reach /metrics", "[unit][metrics]") {
  IdleGateway gateway;
  gateway.analytics.readings = 40;
  gateway.analytics.devices_created = 5;
  gateway.analytics.sensors_rejected = 6;
  gateway.analytics.unknown_profiles = 8;
  const std::string text = gateway.render("gw-1");
  CHECK(value_of(text, "analytics_readings_total") == 40);
  CHECK(value_of(text, "analytics_devices_created_total") == 5);
  CHECK(value_of(text, "analytics_sensors_rejected_total") == 6);
  CHECK(value_of(text, "analytics_unknown_profiles_total") == 8);
}

TEST_CASE("the alert publisher's resends and connection losses reach /metrics", "[unit][metrics]") {
  IdleGateway gateway;
  gateway.alert_topic.mqtt.accepted = 9;
  gateway.alert_topic.mqtt.resent = 4;
  gateway.alert_topic.mqtt.connection_losses = 1;
  const std::string text = gateway.render("gw-1");
  CHECK(value_of(text, "mqtt_alerts_accepted_total") == 9);
  CHECK(value_of(text, "mqtt_alerts_resent_total") == 4);
  CHECK(value_of(text, "mqtt_alerts_connection_losses_total") == 1);
}

TEST_CASE("the forwarder's committed offset reaches /metrics", "[unit][metrics]") {
  IdleGateway gateway;
  gateway.forwarder.committed_offset = 12;
  CHECK(value_of(gateway.render("gw-1"), "kafka_committed_offset") == 12);
}

namespace {

// Anything, for counting an aggregate's fields by how many initialisers it accepts.
struct AnyField {
  template <class T>
  operator T() const;  // NOLINT(google-explicit-constructor): declared, never called
};

template <class T, class... Fields>
constexpr std::size_t field_count() {
  if constexpr (requires { T{Fields{}..., AnyField{}}; }) {
    return field_count<T, Fields..., AnyField>();
  } else {
    return sizeof...(Fields);
  }
}

}  // namespace

TEST_CASE("the operations endpoint's requests, refusals and connections reach /metrics",
          "[unit][metrics]") {
  IdleGateway gateway;
  gateway.http.requests = 11;
  gateway.http.refused[static_cast<std::size_t>(http::Refusal::body)] = 2;
  gateway.http.connections = 3;
  const std::string text = gateway.render("gw-1");
  CHECK(value_of(text, "http_requests_total") == 11);
  CHECK(text.find("edgegw_http_requests_refused_total{gateway=\"gw-1\",reason=\"body\"} 2\n") !=
        std::string::npos);
  CHECK(text.find("edgegw_http_requests_refused_total{gateway=\"gw-1\",reason=\"timeout\"} 0\n") !=
        std::string::npos);
  CHECK(value_of(text, "http_connections") == 3);
}

TEST_CASE("every field of the forwarder's probe is reported", "[unit][metrics]") {
  // Thirteen fields, each a metric of forward::report_metrics(): one added to ForwarderProbe
  // must be added there too (and counted here), or it is kept but never exported.
  CHECK(field_count<forward::ForwarderProbe>() == 13);
}

TEST_CASE("build_info says which version runs", "[unit][metrics]") {
  const IdleGateway gateway;
  const std::string text = gateway.render("gw-1");
  CHECK(value_of(text, "build_info") == 1);
  CHECK(text.find("edgegw_build_info{gateway=\"gw-1\",version=\"") != std::string::npos);
  CHECK(text.find("version=\"\"") == std::string::npos);
}

TEST_CASE("dead letters and rejected readings are exported by reason", "[unit][metrics]") {
  IdleGateway gateway;
  gateway.pipeline.dead_letters[pipeline::reason_index(mapping::DeadLetterReason::bad_timestamp)] =
      3;
  gateway.pipeline.rejected_readings[pipeline::reading_rejection_index(
      mapping::DeadLetterReason::out_of_range)] = 5;
  const std::string text = gateway.render("gw-1");
  CHECK(text.find("edgegw_dead_letters_total{gateway=\"gw-1\",reason=\"bad_timestamp\"} 3\n") !=
        std::string::npos);
  CHECK(text.find("edgegw_rejected_readings_total{gateway=\"gw-1\",reason=\"out_of_range\"} 5\n") !=
        std::string::npos);
  CHECK(text.find("edgegw_dead_letters_total{gateway=\"gw-1\",reason=\"no_mapping\"} 0\n") !=
        std::string::npos);
}

TEST_CASE("every metric family is announced once, with its type and help", "[unit][metrics]") {
  const std::string text = IdleGateway{}.render("gw-1");
  std::istringstream lines(text);
  std::string line;
  std::set<std::string> announced;
  while (std::getline(lines, line)) {
    if (line.starts_with("# TYPE ")) {
      CHECK(announced.insert(line.substr(7, line.find(' ', 7) - 7)).second);
    }
  }
  CHECK(announced.size() > 80);
}

TEST_CASE("docs/operations.md holds the metrics table edgegw metrics-reference prints",
          "[unit][metrics]") {
  const std::optional<std::string> block =
      test::docs_block(EDGEGW_SOURCE_DIR "/docs/operations.md",
                       "<!-- metrics-reference: begin -->\n", "<!-- metrics-reference: end -->");
  REQUIRE(block);
  // On a mismatch: edgegw metrics-reference, pasted between the two markers.
  CHECK(*block == metrics_reference());
}

TEST_CASE("the broker's reason codes are exported by packet and code, success always",
          "[unit][metrics]") {
  IdleGateway gateway;
  const std::string idle = gateway.render("gw-1");
  for (const char* packet : {"connack", "suback", "disconnect"}) {
    INFO(packet);
    CHECK_THAT(idle,
               Catch::Contains(fmt::format(
                   R"(edgegw_mqtt_reason_codes_total{{gateway="gw-1",packet="{}",code="0x00"}} 0)",
                   packet)));
  }
  gateway.ingest.count_reason_code(ingest::BrokerPacket::disconnect, 0x8e);
  gateway.ingest.count_reason_code(ingest::BrokerPacket::disconnect, 0x8e);
  gateway.ingest.count_reason_code(ingest::BrokerPacket::suback, 0x87);
  gateway.ingest.count_reason_code(ingest::BrokerPacket::suback, 256);  // not a code: ignored
  const std::string text = gateway.render("gw-1");
  CHECK_THAT(
      text,
      Catch::Contains(
          R"(edgegw_mqtt_reason_codes_total{gateway="gw-1",packet="disconnect",code="0x8e"} 2)"));
  CHECK_THAT(
      text, Catch::Contains(
                R"(edgegw_mqtt_reason_codes_total{gateway="gw-1",packet="suback",code="0x87"} 1)"));
  CHECK_THAT(text, !Catch::Contains("0x100"));
}

}  // namespace edgegw::app
