// A storm of bad messages: each source's dead letters are rate-limited, every message
// is still counted, and the other sources' dead letters and telemetry go on.

#include <catch2/catch.hpp>

#include <map>

#include "pipeline/pipeline.hpp"
#include "unit/gateway/pipeline/memory_log.hpp"
#include "unit/gateway/pipeline/pipeline_test_config.hpp"

namespace edgegw::pipeline {
namespace {

constexpr std::int64_t kT0 = 1'700'000'000'000;

GatewayConfig config_with_rate(const std::string& rate) {
  const std::string mqtt_keys = "  dead_letter_burst: 5\n  dead_letter_rate: " + rate + "\n";
  return testing::pipeline_test_config({.mqtt_keys = mqtt_keys, .sections = R"(mappings:
  - name: pumps
    topic: "plant/{device}/telemetry"
    format: json
    sensors:
      - { name: temp, field: temp }
)"});
}

std::map<std::string, int> dead_letters_by_key(const testing::MemoryLog& log) {
  std::map<std::string, int> by_key;
  for (const auto& record : log.records) {
    if (record.stream == Stream::dead_letter) {
      ++by_key[record.key];
    }
  }
  return by_key;
}

}  // namespace

TEST_CASE("a storm of dead letters from one source is rate-limited and counted",
          "[unit][pipeline]") {
  const GatewayConfig config = config_with_rate("1");
  testing::MemoryLog log;
  Pipeline pipeline(config, log);
  for (int i = 0; i < 100; ++i) {
    REQUIRE(pipeline.on_message("plant/p1/telemetry", "garbage", kT0 + i).ok());
  }
  for (int i = 0; i < 3; ++i) {
    REQUIRE(pipeline.on_message("plant/p2/telemetry", "garbage", kT0 + 100 + i).ok());
    REQUIRE(pipeline.on_message("unmapped/topic", "garbage", kT0 + 100 + i).ok());
  }
  REQUIRE(pipeline.on_message("plant/p1/telemetry", R"({"temp": 20})", kT0 + 200).ok());
  CHECK(dead_letters_by_key(log) ==
        std::map<std::string, int>{{"p1", 5}, {"p2", 3}, {"unmapped/topic", 3}});
  CHECK(log.records.back().stream == Stream::telemetry);  // p1's good data still flows
  CHECK(pipeline.probe().dead_letters_suppressed == 95);
  const auto decode_errors =
      pipeline.probe().dead_letters[reason_index(mapping::DeadLetterReason::decode_error)].load();
  CHECK(decode_errors == 103);  // every bad message counted, stored or not

  // Two seconds later p1 has earned two more.
  for (int i = 0; i < 10; ++i) {
    REQUIRE(pipeline.on_message("plant/p1/telemetry", "garbage", kT0 + 2099).ok());
  }
  CHECK(dead_letters_by_key(log)["p1"] == 7);
}

TEST_CASE("dead_letter_rate 0 keeps every dead letter", "[unit][pipeline]") {
  const GatewayConfig config = config_with_rate("0");
  testing::MemoryLog log;
  Pipeline pipeline(config, log);
  for (int i = 0; i < 100; ++i) {
    REQUIRE(pipeline.on_message("plant/p1/telemetry", "garbage", kT0).ok());
  }
  CHECK(dead_letters_by_key(log)["p1"] == 100);
  CHECK(pipeline.probe().dead_letters_suppressed == 0);
}

}  // namespace edgegw::pipeline
