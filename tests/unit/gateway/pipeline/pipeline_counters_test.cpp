// The pipeline's counters of bad input: each problem counted once, under what it is.

#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <vector>

#include "pipeline/pipeline.hpp"
#include "unit/gateway/pipeline/memory_log.hpp"
#include "unit/gateway/pipeline/pipeline_test_config.hpp"

namespace edgegw::pipeline {
namespace {

// Payloads carry "ts": 1700000000000, the arrival time, unless a test wants it wrong.
constexpr std::int64_t kArrival = 1'700'000'000'000;

GatewayConfig config_with_bounds() {
  return testing::pipeline_test_config(
      {.mqtt_keys = "  max_payload: 200B\n", .sections = R"(mappings:
  - name: pumps
    topic: "plant/{device}/telemetry"
    format: json
    sequence: seq
    timestamp: { field: ts, format: milliseconds }
    max_clock_skew: 1m
    sensors:
      - { name: flow, field: flow, min: 0, max: 100 }
      - { name: temp, field: temp }
)"});
}

struct Fixture {
  GatewayConfig config = config_with_bounds();
  testing::MemoryLog log;
  Pipeline pipeline{config, log};

  void send(const std::string& payload) {
    REQUIRE(pipeline.on_message("plant/p1/telemetry", payload, kArrival).ok());
  }
  std::uint64_t rejected() const {
    std::uint64_t total = 0;
    for (const auto& count : pipeline.probe().rejected_readings) {
      total += count.load();
    }
    return total;
  }
};

}  // namespace

TEST_CASE("rejected readings count the readings rejected, not the message's other problems",
          "[unit][pipeline]") {
  Fixture f;
  SECTION("a bad sequence number beside one bad reading") {
    f.send(R"({"ts": 1700000000000, "seq": "x", "flow": 500, "temp": 20})");
    CHECK(f.rejected() == 1);
  }
  SECTION("an unreadable timestamp beside good readings") {
    f.send(R"({"ts": "noon", "flow": 5, "temp": 20})");
    CHECK(f.rejected() == 0);
  }
  SECTION("a message with none of the mapping's sensors") {
    f.send(R"({"ts": 1700000000000, "pressure": 3})");
    CHECK(f.rejected() == 0);
  }
  SECTION("a timestamp beyond max_clock_skew, which rejects the whole message") {
    f.send(fmt::format(R"({{"ts": {}, "flow": 5, "temp": 20}})", kArrival + 3'600'000));
    CHECK(f.pipeline.probe().timestamps_rejected == 1);
    CHECK(f.rejected() == 0);
  }
  SECTION("an oversized payload") {
    f.send(R"({"ts": 1700000000000, "flow": 5, "note": ")" + std::string(300, 'x') + R"("})");
    CHECK(f.rejected() == 0);
  }
  SECTION("two readings out of their range or of the wrong type") {
    f.send(R"({"ts": 1700000000000, "flow": -1, "temp": "warm"})");
    CHECK(f.rejected() == 2);
  }
  CHECK(f.pipeline.probe().dead_letters_total() == 1);
}

}  // namespace edgegw::pipeline
