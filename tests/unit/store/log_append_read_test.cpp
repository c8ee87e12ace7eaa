// Appending and reading back, within one process and across restarts.

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "edgegw/log.hpp"
#include "unit/store/store_test_support.hpp"

namespace edgegw::store {

using edgegw::test::TempDir;
using testing::append_numbered;
using testing::drain;
using testing::numbered_payload;
using testing::small_config;

TEST_CASE("records read back exactly as appended", "[unit]") {
  TempDir dir;
  auto log = DurableLog::open(small_config(dir.path()));
  REQUIRE(log->end_offset() == 0);

  const std::vector<std::pair<Stream, std::string>> inputs = {
      {Stream::telemetry, ""}, {Stream::alerts, "k"}, {Stream::dead_letter, std::string(300, 'x')}};
  for (std::size_t i = 0; i < 30; ++i) {
    const auto& [stream, key] = inputs[i % inputs.size()];
    auto offset = log->append(stream, key, numbered_payload(i, i * 37 % 500));
    REQUIRE(offset.ok());
    CHECK(offset.value() == i);
  }
  auto got = drain(*log, 0);
  REQUIRE(got.records.size() == 30);
  CHECK(got.damage.empty());
  CHECK(got.next_offset == 30);
  for (std::size_t i = 0; i < 30; ++i) {
    const auto& [stream, key] = inputs[i % inputs.size()];
    CHECK(got.records[i].offset == i);
    CHECK(got.records[i].stream == stream);
    CHECK(got.records[i].key == key);
    CHECK(got.records[i].payload == numbered_payload(i, i * 37 % 500));
    CHECK(got.records[i].append_time_ms > 0);
  }
  const LogStats stats = log->stats();
  CHECK(stats.appended_records == 30);
  // Counted by stream, for edgegw_log_appended_records_total{stream}.
  CHECK(stats.appended_by_stream.at(static_cast<std::size_t>(Stream::telemetry)) == 10);
  CHECK(stats.appended_by_stream.at(static_cast<std::size_t>(Stream::alerts)) == 10);
  CHECK(stats.appended_by_stream.at(static_cast<std::size_t>(Stream::dead_letter)) == 10);
  CHECK(stats.appended_by_stream.at(static_cast<std::size_t>(Stream::aggregates)) == 0);
  CHECK(stats.segments > 1);  // 4 KiB segments rolled
}

TEST_CASE("read honours max_records and max_bytes and seeks to any offset", "[unit]") {
  TempDir dir;
  auto log = DurableLog::open(small_config(dir.path()));
  append_numbered(*log, 0, 200, 50);

  auto first = log->read(0, 10, 1 << 20);
  REQUIRE(first.ok());
  CHECK(first.value().records.size() == 10);
  CHECK(first.value().next_offset == 10);

  auto by_bytes = log->read(10, 1000, 120);  // 50-byte payloads, 8-byte keys
  REQUIRE(by_bytes.ok());
  CHECK(by_bytes.value().records.size() == 3);
  CHECK(by_bytes.value().next_offset == 13);

  auto one_oversized = log->read(13, 1000, 1);  // at least one record, always
  REQUIRE(one_oversized.ok());
  CHECK(one_oversized.value().records.size() == 1);

  for (std::uint64_t from : {157U, 3U, 199U, 64U}) {
    auto got = log->read(from, 5, 1 << 20);
    REQUIRE(got.ok());
    REQUIRE_FALSE(got.value().records.empty());
    CHECK(got.value().records.front().offset == from);
    CHECK(got.value().records.front().payload == numbered_payload(from, 50));
  }
  auto beyond = log->read(200, 5, 1 << 20);
  REQUIRE(beyond.ok());
  CHECK(beyond.value().records.empty());
  CHECK(beyond.value().next_offset == 200);
}

TEST_CASE("one batch read into again and again holds each read's records only", "[unit]") {
  TempDir dir;
  auto log = DurableLog::open(small_config(dir.path()));
  // Payloads of varying size, so that a reused string shrinks as well as grows.
  for (std::size_t i = 0; i < 100; ++i) {
    REQUIRE(log->append(Stream::telemetry, "key-" + std::to_string(i),
                        numbered_payload(i, i * 53 % 400)));
  }
  ReadBatch batch;
  std::uint64_t from = 0;
  for (const std::size_t max_records : {30, 7, 40, 1, 50}) {
    REQUIRE(log->read_into(from, max_records, 1 << 20, batch));
    const std::size_t expected = std::min<std::size_t>(max_records, 100 - from);
    REQUIRE(batch.records.size() == expected);
    for (std::size_t i = 0; i < expected; ++i) {
      const std::size_t offset = from + i;
      CHECK(batch.records[i].offset == offset);
      CHECK(batch.records[i].key == "key-" + std::to_string(offset));
      CHECK(batch.records[i].payload == numbered_payload(offset, offset * 53 % 400));
    }
    from = batch.next_offset;
  }
  CHECK(from == 100);
}

TEST_CASE("offsets continue across a restart", "[unit]") {
  TempDir dir;
  {
    auto log = DurableLog::open(small_config(dir.path()));
    append_numbered(*log, 0, 120, 64);
  }
  auto log = DurableLog::open(small_config(dir.path()));
  CHECK(log->end_offset() == 120);
  CHECK(log->stats().truncated_tail_bytes == 0);
  CHECK(log->stats().cursor_fallbacks == 0);  // the cursor files exist from the first open
  CHECK(log->cursor() == 0);
  auto offset = log->append(Stream::telemetry, "k", "after restart");
  REQUIRE(offset.ok());
  CHECK(offset.value() == 120);
  auto got = drain(*log, 0);
  REQUIRE(got.records.size() == 121);
  CHECK(got.records[57].payload == numbered_payload(57, 64));
  CHECK(got.records[120].payload == "after restart");
}

TEST_CASE("a new log counts no cursor fallback", "[unit]") {
  TempDir dir;
  auto log = DurableLog::open(small_config(dir.path() / "nested" / "log"));
  CHECK(log->stats().cursor_fallbacks == 0);
  CHECK(log->stats().segments == 1);
}

TEST_CASE("invalid config is refused with the key named", "[unit]") {
  TempDir dir;
  auto config = small_config(dir.path());
  config.segment_bytes = 100;
  CHECK_THROWS_WITH(DurableLog::open(config), Catch::Contains("store.segment_bytes"));
  config = small_config(dir.path());
  config.max_bytes = config.segment_bytes;
  CHECK_THROWS_WITH(DurableLog::open(config), Catch::Contains("store.max_bytes"));
}

TEST_CASE("oversized records are refused without writing", "[unit]") {
  TempDir dir;
  auto log = DurableLog::open(small_config(dir.path()));
  auto too_big = log->append(Stream::telemetry, "k", std::string(600U << 10, 'x'));
  REQUIRE_FALSE(too_big.ok());
  CHECK(too_big.error().code == edgegw::store::StoreErrc::record_too_large);
  auto long_key = log->append(Stream::telemetry, std::string(70000, 'k'), "x");
  REQUIRE_FALSE(long_key.ok());
  CHECK(log->end_offset() == 0);
  // A record larger than a segment gets a segment of its own.
  auto large = log->append(Stream::telemetry, "k", std::string(10000, 'y'));
  REQUIRE(large.ok());
  auto got = drain(*log, 0);
  REQUIRE(got.records.size() == 1);
  CHECK(got.records[0].payload.size() == 10000);
}

}  // namespace edgegw::store
