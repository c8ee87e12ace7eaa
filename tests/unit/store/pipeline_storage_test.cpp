// The pipeline under a disk that fills up: the MQTT callback is held (nothing is
// acknowledged unstored) until the record is in the log, then intake resumes.

#include <catch2/catch.hpp>

#include <future>
#include <thread>

#include "pipeline/pipeline.hpp"
#include "store/segmented_log.hpp"
#include "unit/gateway/pipeline/pipeline_test_config.hpp"
#include "unit/store/store_test_support.hpp"

namespace edgegw::store {
namespace {

using edgegw::test::TempDir;
using testing::drain;
using testing::FaultPlan;
using testing::faulty_file_system;
using testing::small_config;

GatewayConfig pipeline_config() {
  return pipeline::testing::pipeline_test_config({.sections = R"(mappings:
  - name: pumps
    topic: "plant/{device}/telemetry"
    format: json
    sensors:
      - { name: flow, field: flow }
)"});
}

}  // namespace

TEST_CASE("a full disk holds the message until it can be stored, then intake resumes", "[unit]") {
  TempDir dir;
  auto plan = std::make_shared<FaultPlan>();
  auto log = SegmentedLog::open(small_config(dir.path()), faulty_file_system(plan));
  const GatewayConfig config = pipeline_config();
  pipeline::Pipeline pipeline(config, *log);
  REQUIRE(pipeline.on_message("plant/p1/telemetry", R"({"flow": 1})", 1000).ok());

  plan->space_left = 0;
  auto held = std::async(std::launch::async, [&] {
    return pipeline.on_message("plant/p1/telemetry", R"({"flow": 2})", 2000);
  });
  // The handler keeps retrying while the disk is full: it has not returned.
  REQUIRE(held.wait_for(std::chrono::milliseconds(700)) == std::future_status::timeout);
  CHECK(pipeline.probe().storage_stalled);
  CHECK(pipeline.probe().append_errors >= 2);
  CHECK(log->end_offset() == 1);

  plan->space_left = -1;  // space is back
  REQUIRE(held.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
  CHECK(held.get().ok());
  CHECK_FALSE(pipeline.probe().storage_stalled);
  const auto got = drain(*log, 0);
  REQUIRE(got.records.size() == 2);
  CHECK(got.records[1].payload.find(R"("received":2000)") != std::string::npos);
}

TEST_CASE("stop() releases a handler held by a full disk, with an error", "[unit]") {
  TempDir dir;
  auto plan = std::make_shared<FaultPlan>();
  auto log = SegmentedLog::open(small_config(dir.path()), faulty_file_system(plan));
  const GatewayConfig config = pipeline_config();
  pipeline::Pipeline pipeline(config, *log);
  plan->space_left = 0;
  auto held = std::async(std::launch::async, [&] {
    return pipeline.on_message("plant/p1/telemetry", R"({"flow": 2})", 2000);
  });
  REQUIRE(held.wait_for(std::chrono::milliseconds(300)) == std::future_status::timeout);
  pipeline.stop();
  REQUIRE(held.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
  const Status status = held.get();
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().code == edgegw::store::StoreErrc::no_space);
}

}  // namespace edgegw::store
