// What is deleted when: segments below the cursor, and the size cap's two policies.

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "edgegw/log.hpp"
#include "store/segmented_log.hpp"
#include "unit/store/store_test_support.hpp"

namespace edgegw::store {

using edgegw::test::TempDir;
using testing::append_numbered;
using testing::drain;
using testing::segment_files;
using testing::small_config;

TEST_CASE("segments roll at segment_bytes and are deleted once wholly acknowledged", "[unit]") {
  TempDir dir;
  auto log = DurableLog::open(small_config(dir.path()));
  append_numbered(*log, 0, 400, 100);  // 136-byte frames: 30 per 4 KiB segment
  const auto before = segment_files(dir.path());
  REQUIRE(before.size() == 14);
  CHECK(before[0] == "00000000000000000000.seg");
  CHECK(before[1] == "00000000000000000030.seg");
  for (const auto& name : before) {
    CHECK(std::filesystem::file_size(dir.path() / name) <= 4096);
  }

  REQUIRE(log->commit(95).ok());  // segments 0, 30 and 60 hold only offsets below 90
  auto after = segment_files(dir.path());
  CHECK(after.size() == 11);
  CHECK(after[0] == "00000000000000000090.seg");
  CHECK(log->stats().first_offset == 90);
  CHECK(log->stats().segments == 11);
  auto got = drain(*log, 95);
  CHECK(got.records.size() == 305);
  CHECK(got.damage.empty());

  REQUIRE(log->commit(400).ok());  // everything: only the active segment stays
  CHECK(segment_files(dir.path()).size() == 1);
  CHECK(log->stats().oldest_unacked_append_ms == 0);
}

TEST_CASE("drop_oldest keeps the log under its cap and reports what it dropped", "[unit]") {
  TempDir dir;
  auto config = small_config(dir.path());
  config.max_bytes = 16384;
  config.when_full = FullPolicy::drop_oldest;
  auto log = DurableLog::open(config);
  append_numbered(*log, 0, 1000, 100);
  const auto stats = log->stats();
  CHECK(stats.bytes <= config.max_bytes);
  CHECK(stats.dropped_segments > 0);
  CHECK(stats.dropped_records == stats.first_offset);  // nothing was acknowledged
  CHECK(stats.end_offset == 1000);

  auto got = drain(*log, 0);
  REQUIRE(got.damage.size() == stats.dropped_segments);
  std::uint64_t expected = 0;
  for (const auto& damage : got.damage) {
    CHECK(damage.reason == edgegw::store::DamageReason::dropped_oldest);
    CHECK(damage.first_offset == expected);
    CHECK(damage.lost_records == damage.last_offset - damage.first_offset + 1);
    expected = damage.last_offset + 1;
  }
  CHECK(expected == stats.first_offset);
  REQUIRE(got.records.size() == 1000 - stats.first_offset);
  CHECK(got.records.front().offset == stats.first_offset);
}

TEST_CASE("drop_oldest counts only unacknowledged records as dropped", "[unit]") {
  TempDir dir;
  auto config = small_config(dir.path());
  config.max_bytes = 16384;
  config.when_full = FullPolicy::drop_oldest;
  auto log = DurableLog::open(config);
  append_numbered(*log, 0, 100, 100);
  REQUIRE(log->commit(45).ok());  // deletes segment 0..29; 30..59 stays (half acked)
  append_numbered(*log, 100, 60, 100);
  const auto stats = log->stats();
  REQUIRE(stats.first_offset >= 60);
  CHECK(stats.dropped_records == stats.first_offset - 45);
  auto got = drain(*log, 45);
  REQUIRE_FALSE(got.damage.empty());
  CHECK(got.damage.front().first_offset == 45);
}

TEST_CASE("block refuses appends at the cap until commit frees space", "[unit]") {
  TempDir dir;
  auto config = small_config(dir.path());
  config.max_bytes = 16384;
  config.when_full = FullPolicy::block;
  auto log = DurableLog::open(config);

  std::uint64_t accepted = 0;
  for (;; ++accepted) {
    auto offset = log->append(Stream::telemetry, "k", std::string(100, 'x'));
    if (!offset.ok()) {
      CHECK(offset.error().code == edgegw::store::StoreErrc::log_full);
      break;
    }
    REQUIRE(accepted < 1000);
  }
  CHECK(log->end_offset() == accepted);
  CHECK(log->stats().full_rejections == 1);
  CHECK(log->stats().bytes <= config.max_bytes);
  CHECK_FALSE(log->wait_for_space(std::chrono::milliseconds(1)));

  std::atomic<bool> committed{false};
  std::thread reader([&] {
    auto batch = log->read(0, 10000, 1 << 30);
    committed = batch.ok() && log->commit(batch.value().next_offset).ok();
  });
  CHECK(log->wait_for_space(std::chrono::seconds(30)));
  reader.join();
  REQUIRE(committed);
  auto offset = log->append(Stream::telemetry, "k", std::string(100, 'x'));
  REQUIRE(offset.ok());
  CHECK(offset.value() == accepted);
}

}  // namespace edgegw::store

namespace edgegw::store {
namespace {

// Every 20th record an alert, every 5th (otherwise) an aggregate, the rest telemetry;
// each payload names its index.
Stream stream_of(std::uint64_t i) {
  if (i % 20 == 0) {
    return Stream::alerts;
  }
  return i % 5 == 0 ? Stream::aggregates : Stream::telemetry;
}

void append_mixed(DurableLog& log, std::uint64_t count) {
  for (std::uint64_t i = 0; i < count; ++i) {
    REQUIRE(log.append(stream_of(i), "device-" + std::to_string(i % 7),
                       testing::numbered_payload(i, 100))
                .ok());
  }
}

std::size_t count_stream(const std::vector<LogRecord>& records, Stream stream) {
  return static_cast<std::size_t>(std::count_if(
      records.begin(), records.end(), [&](const LogRecord& r) { return r.stream == stream; }));
}

}  // namespace

TEST_CASE("drop_oldest keeps alerts, then aggregates, and drops telemetry", "[unit]") {
  TempDir dir;
  auto config = small_config(dir.path());
  config.max_bytes = 65536;  // about 480 of the 1000 records
  config.when_full = FullPolicy::drop_oldest;
  auto log = DurableLog::open(config);
  append_mixed(*log, 1000);  // 50 alerts, 150 aggregates, 800 telemetry
  const auto stats = log->stats();
  CHECK(stats.bytes <= config.max_bytes + config.segment_bytes);  // the cap holds
  CHECK(stats.kept_records > 0);

  const auto got = drain(*log, 0);
  std::set<std::string> distinct;
  for (const auto& r : got.records) {
    distinct.insert(r.payload);  // kept records carry their original payload
  }
  CHECK(distinct.size() == got.records.size());  // kept, not copied
  // Each record that was appended is either still there or counted as dropped.
  CHECK(distinct.size() + stats.dropped_records == 1000);
  const double alerts = static_cast<double>(count_stream(got.records, Stream::alerts)) / 50;
  const double aggregates =
      static_cast<double>(count_stream(got.records, Stream::aggregates)) / 150;
  const double telemetry = static_cast<double>(count_stream(got.records, Stream::telemetry)) / 800;
  INFO("survival: alerts " << alerts << " aggregates " << aggregates << " telemetry " << telemetry);
  CHECK(alerts == 1.0);
  CHECK(aggregates > telemetry);
  CHECK(telemetry < 0.6);
  // The loss reports count only what is really gone.
  std::uint64_t reported_lost = 0;
  std::uint64_t reported_kept = 0;
  for (const auto& d : got.damage) {
    CHECK(d.reason == edgegw::store::DamageReason::dropped_oldest);
    reported_lost += d.lost_records;
    reported_kept += d.kept_records;
  }
  CHECK(reported_lost == stats.dropped_records);
  CHECK(reported_kept == stats.kept_records);
}

TEST_CASE("over the budget, alerts outlive aggregates", "[unit]") {
  TempDir dir;
  auto config = small_config(dir.path());
  config.max_bytes = 16384;
  config.when_full = FullPolicy::drop_oldest;
  auto log = DurableLog::open(config);
  // Only alerts and aggregates: more than half of every dropped segment is worth keeping,
  // so the budget bites and alerts win.
  for (std::uint64_t i = 0; i < 600; ++i) {
    const Stream stream = i % 4 == 0 ? Stream::alerts : Stream::aggregates;
    REQUIRE(log->append(stream, "device-1", testing::numbered_payload(i, 100)).ok());
  }
  const auto stats = log->stats();
  CHECK(stats.bytes <= config.max_bytes + config.segment_bytes);  // the cap still holds
  CHECK(stats.dropped_records > 0);
  const auto got = drain(*log, 0);
  const double alerts = static_cast<double>(count_stream(got.records, Stream::alerts));
  const double aggregates = static_cast<double>(count_stream(got.records, Stream::aggregates));
  INFO("alerts " << alerts << " of 150, aggregates " << aggregates << " of 450");
  CHECK(aggregates / 450.0 < alerts / 150.0);
}

TEST_CASE("a full disk under drop_oldest also keeps the priority records", "[unit]") {
  TempDir dir;
  auto plan = std::make_shared<testing::FaultPlan>();
  auto config = small_config(dir.path());
  config.when_full = FullPolicy::drop_oldest;
  auto log = SegmentedLog::open(config, testing::faulty_file_system(plan));
  append_mixed(*log, 100);  // four segments
  plan->space_left = 0;
  REQUIRE(log->append(Stream::telemetry, "device-1", testing::numbered_payload(100, 100)).ok());
  const auto got = drain(*log, 0);
  CHECK(count_stream(got.records, Stream::alerts) == 5);
  CHECK(count_stream(got.records, Stream::aggregates) == 15);
  CHECK(log->stats().kept_records > 0);
}

}  // namespace edgegw::store
