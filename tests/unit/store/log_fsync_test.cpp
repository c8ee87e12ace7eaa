// The three fsync policies, observed through the file system's sync calls.

#include <catch2/catch.hpp>

#include <functional>
#include <thread>

#include "store/segmented_log.hpp"
#include "unit/store/store_test_support.hpp"

namespace edgegw::store {

using edgegw::test::TempDir;
using testing::append_numbered;
using testing::FaultPlan;
using testing::faulty_file_system;
using testing::small_config;

namespace {

bool eventually(const std::function<bool()>& condition) {
  // Waits for something a background thread does; generous, so never flaky, and not a
  // timing assertion: the test only fails if it never happens.
  for (int i = 0; i < 3000; ++i) {
    if (condition()) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace

TEST_CASE("fsync always syncs before append returns", "[unit]") {
  TempDir dir;
  auto plan = std::make_shared<FaultPlan>();
  auto config = small_config(dir.path());
  config.fsync = FsyncPolicy::always;
  auto log = SegmentedLog::open(config, faulty_file_system(plan));
  const auto before = plan->file_syncs.load();
  append_numbered(*log, 0, 20, 100);
  CHECK(plan->file_syncs.load() - before >= 20);
  CHECK(log->stats().fsyncs >= 20);
}

TEST_CASE("fsync interval syncs in the background, not per append", "[unit]") {
  TempDir dir;
  auto plan = std::make_shared<FaultPlan>();
  auto config = small_config(dir.path());
  config.fsync = FsyncPolicy::interval;
  config.fsync_interval = std::chrono::milliseconds(5);
  auto log = SegmentedLog::open(config, faulty_file_system(plan));
  const auto before = plan->file_syncs.load();
  append_numbered(*log, 0, 200, 100);
  CHECK(eventually([&] { return plan->file_syncs.load() > before; }));
  // The sync thread counts a sync after the file's fsync returns: wait for the count too.
  CHECK(eventually([&] { return log->stats().fsyncs > 0; }));
  // Idle: the sync thread does nothing when nothing was appended.
  REQUIRE(log->sync().ok());
  const auto idle = plan->file_syncs.load();
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  CHECK(plan->file_syncs.load() == idle);
}

TEST_CASE("fsync never leaves it to the OS unless sync() is called", "[unit]") {
  TempDir dir;
  auto plan = std::make_shared<FaultPlan>();
  auto config = small_config(dir.path());
  config.fsync = FsyncPolicy::never;
  {
    auto log = SegmentedLog::open(config, faulty_file_system(plan));
    append_numbered(*log, 0, 200, 100);
    CHECK(plan->file_syncs.load() == 0);
    CHECK(log->stats().fsyncs == 0);
    REQUIRE(log->sync().ok());
    CHECK(plan->file_syncs.load() > 0);
  }
}

TEST_CASE("closing the log makes everything durable under interval", "[unit]") {
  TempDir dir;
  auto plan = std::make_shared<FaultPlan>();
  auto config = small_config(dir.path());
  config.fsync = FsyncPolicy::interval;
  config.fsync_interval = std::chrono::hours(1);
  std::uint64_t at_open = 0;
  {
    auto log = SegmentedLog::open(config, faulty_file_system(plan));
    at_open = plan->file_syncs.load();  // the cursor files created at open
    append_numbered(*log, 0, 10, 100);
    CHECK(plan->file_syncs.load() == at_open);
  }
  CHECK(plan->file_syncs.load() > at_open);
}

}  // namespace edgegw::store
