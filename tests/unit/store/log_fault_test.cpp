// Disk faults injected through the file system interface: a full disk, short writes,
// failing fsyncs and renames. The log reports them and stays consistent.

#include <catch2/catch.hpp>

#include "store/segmented_log.hpp"
#include "unit/store/store_test_support.hpp"

namespace edgegw::store {

using edgegw::test::TempDir;
using testing::append_numbered;
using testing::drain;
using testing::FaultPlan;
using testing::faulty_file_system;
using testing::numbered_payload;
using testing::segment_files;
using testing::small_config;

TEST_CASE("a full disk fails the append and leaves no partial record", "[unit]") {
  TempDir dir;
  auto plan = std::make_shared<FaultPlan>();
  auto config = small_config(dir.path());
  std::uint64_t written = 0;
  {
    auto log = SegmentedLog::open(config, faulty_file_system(plan));
    append_numbered(*log, 0, 10, 100);
    plan->space_left = 500;  // room for three frames and a piece of the fourth
    Error failure;
    for (std::uint64_t i = 10;; ++i) {
      auto offset = log->append(Stream::telemetry, "device-" + std::to_string(i % 7),
                                numbered_payload(i, 100));
      if (!offset.ok()) {
        failure = offset.error();
        break;
      }
      REQUIRE(i < 100);
    }
    CHECK(failure.code ==
          edgegw::store::StoreErrc::no_space);  // under block: the caller waits and retries
    CHECK(failure.message.find("No space left") != std::string::npos);
    written = log->end_offset();
    CHECK(written == 13);
    CHECK(log->stats().io_errors == 1);

    // The reader sees exactly the records that were accepted.
    auto got = drain(*log, 0);
    CHECK(got.records.size() == written);
    CHECK(got.damage.empty());

    // Space comes back: appends continue with the next offset, no gap.
    plan->space_left = -1;
    auto offset = log->append(Stream::telemetry, "device-6", numbered_payload(13, 100));
    REQUIRE(offset.ok());
    CHECK(offset.value() == written);
    ++written;
  }
  auto log = SegmentedLog::open(config, faulty_file_system(plan));
  CHECK(log->stats().truncated_tail_bytes == 0);
  CHECK(log->end_offset() == written);
  auto got = drain(*log, 0);
  REQUIRE(got.records.size() == written);
  CHECK(got.damage.empty());
  for (std::uint64_t i = 0; i < written; ++i) {
    CHECK(got.records[i].payload == numbered_payload(i, 100));
  }
}

TEST_CASE("a full disk under drop_oldest drops the oldest segments and the append succeeds",
          "[unit]") {
  TempDir dir;
  auto plan = std::make_shared<FaultPlan>();
  auto config = small_config(dir.path());
  config.when_full = FullPolicy::drop_oldest;
  auto log = SegmentedLog::open(config, faulty_file_system(plan));
  append_numbered(*log, 0, 100, 100);  // about four segments, far below the cap
  REQUIRE(log->stats().segments >= 3);
  plan->space_left = 0;  // the disk fills up long before the cap

  auto offset = log->append(Stream::telemetry, "device-1", numbered_payload(100, 100));
  REQUIRE(offset.ok());
  CHECK(offset.value() == 100);
  const auto stats = log->stats();
  CHECK(stats.dropped_segments == 1);  // one segment freed enough room
  CHECK(stats.dropped_records == stats.first_offset);
  CHECK(stats.first_offset > 0);

  // What was dropped is reported as such; everything after it reads back intact.
  auto got = drain(*log, 0);
  REQUIRE(got.damage.size() == 1);
  CHECK(got.damage.front().reason == edgegw::store::DamageReason::dropped_oldest);
  CHECK(got.damage.front().first_offset == 0);
  CHECK(got.damage.front().last_offset + 1 == stats.first_offset);
  REQUIRE(got.records.size() == 101 - stats.first_offset);
  CHECK(got.records.back().payload == numbered_payload(100, 100));
}

TEST_CASE("a full disk with only the active segment left fails the append under drop_oldest",
          "[unit]") {
  TempDir dir;
  auto plan = std::make_shared<FaultPlan>();
  auto config = small_config(dir.path());
  config.when_full = FullPolicy::drop_oldest;
  auto log = SegmentedLog::open(config, faulty_file_system(plan));
  append_numbered(*log, 0, 5, 100);  // one segment
  plan->space_left = 0;
  auto offset = log->append(Stream::telemetry, "device-1", numbered_payload(5, 100));
  REQUIRE_FALSE(offset.ok());
  CHECK(offset.error().code == edgegw::store::StoreErrc::no_space);
  CHECK(log->stats().dropped_segments == 0);
  CHECK(log->end_offset() == 5);
}

TEST_CASE("a failed truncate after a failed write is repaired by the next append", "[unit]") {
  TempDir dir;
  auto plan = std::make_shared<FaultPlan>();
  auto log = SegmentedLog::open(small_config(dir.path()), faulty_file_system(plan));
  append_numbered(*log, 0, 3, 100);
  plan->space_left = 50;
  plan->failing_truncates = 1;
  CHECK_FALSE(log->append(Stream::telemetry, "k", std::string(100, 'x')).ok());
  plan->space_left = -1;
  auto offset = log->append(Stream::telemetry, "k", "short");
  REQUIRE(offset.ok());
  CHECK(offset.value() == 3);
  auto got = drain(*log, 0);
  CHECK(got.records.size() == 4);
  CHECK(got.damage.empty());
  CHECK(std::filesystem::file_size(dir.path() / segment_files(dir.path()).back()) ==
        3 * 136 + 28 + 1 + 5);
}

TEST_CASE("short writes are completed", "[unit]") {
  TempDir dir;
  auto plan = std::make_shared<FaultPlan>();
  auto log = SegmentedLog::open(small_config(dir.path()), faulty_file_system(plan));
  plan->short_writes = 25;
  append_numbered(*log, 0, 20, 300);
  CHECK(plan->short_writes.load() == 0);
  auto got = drain(*log, 0);
  REQUIRE(got.records.size() == 20);
  CHECK(got.records[19].payload == numbered_payload(19, 300));
}

TEST_CASE("a failed fsync under always takes the record back", "[unit]") {
  TempDir dir;
  auto plan = std::make_shared<FaultPlan>();
  auto config = small_config(dir.path());
  config.fsync = FsyncPolicy::always;
  auto log = SegmentedLog::open(config, faulty_file_system(plan));
  append_numbered(*log, 0, 5, 100);
  plan->failing_syncs = 1;
  auto failed = log->append(Stream::telemetry, "k", "not durable");
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.error().code == edgegw::store::StoreErrc::io_error);
  CHECK(log->end_offset() == 5);
  auto offset = log->append(Stream::telemetry, "k", "durable");
  REQUIRE(offset.ok());
  CHECK(offset.value() == 5);
  auto got = drain(*log, 0);
  REQUIRE(got.records.size() == 6);
  CHECK(got.records[5].payload == "durable");
}

TEST_CASE("a failed fsync is reported by sync() and counted", "[unit]") {
  TempDir dir;
  auto plan = std::make_shared<FaultPlan>();
  auto config = small_config(dir.path());
  config.fsync = FsyncPolicy::interval;
  config.fsync_interval = std::chrono::hours(1);
  auto log = SegmentedLog::open(config, faulty_file_system(plan));
  append_numbered(*log, 0, 5, 100);
  plan->failing_syncs = 1;
  auto synced = log->sync();
  REQUIRE_FALSE(synced.ok());
  CHECK(synced.error().code == edgegw::store::StoreErrc::io_error);
  CHECK(log->stats().io_errors == 1);
  CHECK(log->sync().ok());
}

TEST_CASE("a failed cursor write leaves the cursor where it was", "[unit]") {
  TempDir dir;
  auto plan = std::make_shared<FaultPlan>();
  auto config = small_config(dir.path());
  {
    auto log = SegmentedLog::open(config, faulty_file_system(plan));
    append_numbered(*log, 0, 100, 100);
    REQUIRE(log->commit(10).ok());
    plan->space_left = 0;  // the slot write fails
    auto failed = log->commit(80);
    REQUIRE_FALSE(failed.ok());
    CHECK(log->cursor() == 10);
    CHECK(log->stats().first_offset == 0);  // nothing deleted
    plan->space_left = -1;
  }
  auto log = SegmentedLog::open(config, faulty_file_system(plan));
  CHECK(log->cursor() == 10);
}

}  // namespace edgegw::store
