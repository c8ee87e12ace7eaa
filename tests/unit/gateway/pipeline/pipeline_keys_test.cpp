// Every record about a device carries the Kafka key its template renders (kafka.key):
// telemetry, aggregates, alerts and dead letters alike, so that a consumer partitioned
// by key sees all of one device's streams on one partition and in order.

#include <catch2/catch.hpp>

#include <set>

#include "pipeline/pipeline.hpp"
#include "unit/gateway/pipeline/memory_log.hpp"
#include "unit/gateway/pipeline/pipeline_test_config.hpp"

namespace edgegw::pipeline {
namespace {

constexpr std::int64_t kT0 = 1'700'000'000'000;

GatewayConfig config_keyed_by_site() {
  return testing::pipeline_test_config({.sections = R"(mappings:
  - name: pumps
    topic: "plant/{site}/{device}/telemetry"
    format: json
    tags: [site]
    timestamp: { field: ts, format: milliseconds }
    forward: both
    sensors:
      - { name: temp, field: temp }
analytics:
  enabled: true
  window: 10s
  profiles:
    default:
      rules:
        - { name: hot, when: "temp > 90", severity: critical }
)",
                                        .kafka_keys = "  key: \"{site}/{device}\"\n"});
}

}  // namespace

TEST_CASE("every stream of a device is keyed by the kafka.key template", "[unit][pipeline]") {
  const GatewayConfig config = config_keyed_by_site();
  testing::MemoryLog log;
  Pipeline pipeline(config, log);
  for (int i = 0; i < 30; ++i) {
    const std::int64_t t = kT0 + i * 1000;
    const double temp = i < 15 ? 20.0 : 95.0;  // the rule raises an alert halfway
    REQUIRE(pipeline
                .on_message(
                    "plant/north/p1/telemetry",
                    R"({"ts": )" + std::to_string(t) + R"(, "temp": )" + std::to_string(temp) + "}",
                    t)
                .ok());
    REQUIRE(pipeline.on_tick(t).ok());
  }
  REQUIRE(pipeline.on_message("plant/north/p1/telemetry", "not json", kT0 + 31'000).ok());
  REQUIRE(pipeline.flush().ok());

  std::set<Stream> streams;
  for (const testing::MemoryLog::Appended& record : log.records) {
    INFO("stream " << stream_name(record.stream) << ": " << record.payload);
    CHECK(record.key == "north/p1");
    streams.insert(record.stream);
  }
  CHECK(streams == std::set<Stream>{Stream::telemetry, Stream::aggregates, Stream::alerts,
                                    Stream::dead_letter});
}

}  // namespace edgegw::pipeline
