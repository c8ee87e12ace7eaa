// One writer thread and one reader thread, as in the daemon: the reader tails the log
// live, commits as it goes (deleting segments under the writer), and must see every
// record exactly once, in order.

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <thread>

#include "edgegw/log.hpp"
#include "unit/store/store_test_support.hpp"

namespace edgegw::store {

using edgegw::test::TempDir;
using testing::numbered_payload;
using testing::small_config;

TEST_CASE("a live reader sees every record of a concurrent writer once", "[unit]") {
  TempDir dir;
  auto config = small_config(dir.path());
  config.segment_bytes = 64U << 10;
  config.max_bytes = 64U << 20;  // the writer never waits for the reader here
  config.fsync = GENERATE(FsyncPolicy::never, FsyncPolicy::interval);
  config.fsync_interval = std::chrono::milliseconds(2);
  auto log = DurableLog::open(config);
  constexpr std::uint64_t kRecords = 60000;

  std::atomic<bool> reader_failed{false};
  std::uint64_t received = 0;
  std::thread reader([&] {
    std::uint64_t next = 0;
    while (next < kRecords) {
      if (!log->wait_for_records(next, std::chrono::seconds(30))) {
        reader_failed = true;
        return;
      }
      auto batch = log->read(next, 500, 1 << 20);
      if (!batch.ok() || !batch.value().damage.empty()) {
        reader_failed = true;
        return;
      }
      for (const auto& record : batch.value().records) {
        if (record.offset != next || record.payload != numbered_payload(next, next % 200)) {
          reader_failed = true;
          return;
        }
        ++next;
        ++received;
      }
      // Commit at uneven points, and at the end: where the batches end depends on how
      // far the reader lags, so the last commit would otherwise lag by chance.
      if ((next % 7 == 0 || next == kRecords) && !log->commit(next).ok()) {
        reader_failed = true;
        return;
      }
    }
  });
  for (std::uint64_t i = 0; i < kRecords; ++i) {
    auto offset = log->append(Stream::telemetry, "d", numbered_payload(i, i % 200));
    REQUIRE(offset.ok());
    if (i % 5000 == 0) {
      (void)log->stats();  // stats from the writer thread while the reader runs
    }
  }
  reader.join();
  CHECK_FALSE(reader_failed);
  CHECK(received == kRecords);
  CHECK(log->stats().corrupt_ranges == 0);
  CHECK(log->stats().segments <= 2);  // every committed segment but the active one is gone
}

TEST_CASE("wait_for_records wakes on append and times out without one", "[unit]") {
  TempDir dir;
  auto log = DurableLog::open(small_config(dir.path()));
  CHECK_FALSE(log->wait_for_records(0, std::chrono::milliseconds(5)));
  std::atomic<bool> appended{false};
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    appended = log->append(Stream::alerts, "k", "v").ok();
  });
  CHECK(log->wait_for_records(0, std::chrono::seconds(30)));
  writer.join();
  REQUIRE(appended);
  CHECK(log->wait_for_records(0, std::chrono::milliseconds(0)));
  CHECK_FALSE(log->wait_for_records(1, std::chrono::milliseconds(1)));
}

TEST_CASE("oldest_unacked_append_ms follows the cursor", "[unit]") {
  TempDir dir;
  auto log = DurableLog::open(small_config(dir.path()));
  CHECK(log->stats().oldest_unacked_append_ms == 0);
  REQUIRE(log->append(Stream::telemetry, "k", "a").ok());
  REQUIRE(log->append(Stream::telemetry, "k", "b").ok());
  auto batch = log->read(0, 10, 1 << 20);
  REQUIRE(batch.ok());
  REQUIRE(batch.value().records.size() == 2);
  CHECK(log->stats().oldest_unacked_append_ms == batch.value().records[0].append_time_ms);
  REQUIRE(log->commit(1).ok());
  CHECK(log->stats().oldest_unacked_append_ms == batch.value().records[1].append_time_ms);
  REQUIRE(log->commit(2).ok());
  CHECK(log->stats().oldest_unacked_append_ms == 0);
}

TEST_CASE("drop_oldest under a live reader: every offset read once or reported", "[unit]") {
  TempDir dir;
  auto config = small_config(dir.path());
  config.segment_bytes = 8U << 10;
  config.max_bytes = 32U << 10;
  config.when_full = FullPolicy::drop_oldest;
  auto log = DurableLog::open(config);
  constexpr std::uint64_t kRecords = 30000;

  std::vector<std::uint64_t> read_offsets;
  std::vector<DamageReport> damage;
  std::atomic<bool> done{false};
  std::atomic<bool> reader_failed{false};  // Catch2 assertions stay on the main thread
  std::string reader_error;
  std::thread reader([&] {
    std::uint64_t next = 0;
    for (;;) {
      const bool finished = done.load();
      auto batch = log->read(next, 100, 1 << 20);
      if (!batch.ok()) {
        reader_error = batch.error().code.message() + ": " + batch.error().message;
        reader_failed = true;
        return;
      }
      for (const auto& record : batch.value().records) {
        read_offsets.push_back(record.offset);
      }
      for (auto& report : batch.value().damage) {
        damage.push_back(std::move(report));
      }
      next = batch.value().next_offset;
      if (finished && next >= kRecords) {
        return;
      }
      // Commits only now and then, so that drop_oldest has unacknowledged data to drop.
      if (read_offsets.size() % 4096 < 100) {
        if (auto committed = log->commit(next); !committed.ok()) {
          reader_error = committed.error().code.message() + ": " + committed.error().message;
          reader_failed = true;
          return;
        }
      }
      (void)log->wait_for_records(next, std::chrono::milliseconds(1));
    }
  });
  for (std::uint64_t i = 0; i < kRecords; ++i) {
    REQUIRE(log->append(Stream::telemetry, "d", numbered_payload(i, 60)).ok());
  }
  done = true;
  reader.join();

  INFO(reader_error);
  REQUIRE_FALSE(reader_failed);
  REQUIRE(std::is_sorted(read_offsets.begin(), read_offsets.end()));
  REQUIRE(std::adjacent_find(read_offsets.begin(), read_offsets.end()) == read_offsets.end());
  std::vector<bool> covered(kRecords, false);
  for (auto offset : read_offsets) {
    covered[offset] = true;
  }
  for (const auto& report : damage) {
    CHECK(report.reason == edgegw::store::DamageReason::dropped_oldest);
    for (auto o = report.first_offset; o <= report.last_offset && o < kRecords; ++o) {
      covered[o] = true;
    }
  }
  CHECK(std::count(covered.begin(), covered.end(), false) == 0);
  CHECK(log->stats().dropped_segments > 0);
}

}  // namespace edgegw::store
