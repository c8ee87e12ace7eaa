// Recalling each device's last sequence number from the log's tail, so that the broker's
// redeliveries after a crash are recognised (kafka.delivery: exactly_once).
#include <catch2/catch.hpp>

#include <string>

#include "edgegw/log.hpp"
#include "pipeline/sequence_recall.hpp"
#include "support/temp_dir.hpp"

using edgegw::Stream;
using edgegw::pipeline::recall_sequences;
using edgegw::pipeline::SequenceTracker;

namespace {

std::string telemetry(const std::string& device, int seq) {
  return R"({"schema":"edgegw.telemetry/v1","device":")" + device + R"(","seq":)" +
         std::to_string(seq) + R"(,"readings":{}})";
}

}  // namespace

TEST_CASE("the last stored sequence number of each device is recalled from the log",
          "[unit][pipeline][exactly_once]") {
  edgegw::test::TempDir dir;
  edgegw::store::LogConfig config;
  config.directory = dir.path() / "log";
  auto log = edgegw::store::DurableLog::open(config);
  REQUIRE(log->append(Stream::telemetry, "a", telemetry("a", 41)));
  REQUIRE(log->append(Stream::telemetry, "a", telemetry("a", 42)));
  REQUIRE(log->append(Stream::telemetry, "b", telemetry("b", 7)));
  REQUIRE(log->append(Stream::alerts, "a", R"({"device":"a","seq":99})"));  // not telemetry
  REQUIRE(log->append(Stream::telemetry, "c", "not json"));
  REQUIRE(log->commit(3));  // acknowledged records still count: they may be redelivered

  SequenceTracker tracker;
  const auto recalled = recall_sequences(*log, tracker, 0);
  CHECK(recalled.records == 3);
  CHECK(recalled.devices == 2);
  CHECK(tracker.observe("a", 42, 0).repeated);  // the redelivery of the last one
  CHECK_FALSE(tracker.observe("a", 43, 0).repeated);
  CHECK(tracker.observe("b", 7, 0).repeated);
}
