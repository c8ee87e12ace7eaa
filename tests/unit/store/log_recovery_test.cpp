// Recovery at open: torn tails, the cursor file and its fallbacks, offsets that survive
// the deletion of every segment.

#include <catch2/catch.hpp>

#include <fstream>

#include "edgegw/log.hpp"
#include "store/record_frame.hpp"
#include "unit/store/store_test_support.hpp"

namespace edgegw::store {

using edgegw::test::TempDir;
using testing::append_bytes;
using testing::append_numbered;
using testing::drain;
using testing::segment_files;
using testing::small_config;

namespace {

std::filesystem::path last_segment(const std::filesystem::path& dir) {
  return dir / segment_files(dir).back();
}

}  // namespace

TEST_CASE("recovery truncates a torn tail and resumes at the last good offset", "[unit]") {
  TempDir dir;
  {
    auto log = DurableLog::open(small_config(dir.path()));
    append_numbered(*log, 0, 10, 40);
  }
  const auto path = last_segment(dir.path());
  const auto good_size = std::filesystem::file_size(path);

  std::string partial;
  SECTION("a record cut off inside its header") {
    encode_frame(partial, 10, 1, Stream::telemetry, "k", "lost");
    partial.resize(kFrameHeaderBytes - 5);
  }
  SECTION("a record cut off inside its payload") {
    encode_frame(partial, 10, 1, Stream::telemetry, "k", std::string(100, 'p'));
    partial.resize(partial.size() - 30);
  }
  SECTION("zeros the file system left after a power cut") {
    partial.assign(4096, '\0');
  }
  append_bytes(path, partial);

  auto log = DurableLog::open(small_config(dir.path()));
  CHECK(log->end_offset() == 10);
  CHECK(log->stats().truncated_tail_bytes == partial.size());
  CHECK(std::filesystem::file_size(path) == good_size);
  auto got = drain(*log, 0);
  CHECK(got.records.size() == 10);
  REQUIRE(got.damage.size() == 1);
  CHECK(got.damage[0].reason == edgegw::store::DamageReason::torn_tail);
  CHECK(got.damage[0].lost_records == 0);
  auto offset = log->append(Stream::telemetry, "k", "v");
  REQUIRE(offset.ok());
  CHECK(offset.value() == 10);
}

TEST_CASE("a damaged tail of whole frames never gives its offsets out again", "[unit]") {
  TempDir dir;
  {
    auto log = DurableLog::open(small_config(dir.path()));
    append_numbered(*log, 0, 10, 40);
  }
  const auto path = last_segment(dir.path());
  {
    // Flip a payload byte of the last record: a complete frame with a bad CRC.
    std::fstream file(path, std::ios::binary | std::ios::in | std::ios::out);
    file.seekp(-3, std::ios::end);
    file.put('#');
  }
  auto log = DurableLog::open(small_config(dir.path()));
  CHECK(log->end_offset() > 10);
  CHECK(log->stats().truncated_tail_bytes > 0);
  auto got = drain(*log, 0);
  CHECK(got.records.size() == 9);
  REQUIRE(got.damage.size() == 1);
  CHECK(got.damage[0].reason == edgegw::store::DamageReason::missing_records);
  CHECK(got.damage[0].first_offset == 9);
  CHECK(got.damage[0].last_offset == log->end_offset() - 1);
}

TEST_CASE("the cursor survives a restart", "[unit]") {
  TempDir dir;
  {
    auto log = DurableLog::open(small_config(dir.path()));
    append_numbered(*log, 0, 50, 40);
    REQUIRE(log->commit(37).ok());
    CHECK(log->cursor() == 37);
    CHECK(log->commit(20).ok());  // never moves back
    CHECK(log->cursor() == 37);
    CHECK(log->commit(51).error().code == edgegw::store::StoreErrc::bad_offset);
  }
  auto log = DurableLog::open(small_config(dir.path()));
  CHECK(log->cursor() == 37);
  CHECK(log->stats().cursor_fallbacks == 0);
  auto got = log->read(log->cursor(), 1, 1 << 20);
  REQUIRE(got.ok());
  REQUIRE(got.value().records.size() == 1);
  CHECK(got.value().records[0].offset == 37);
}

TEST_CASE("a missing or corrupt cursor falls back to the oldest record", "[unit]") {
  TempDir dir;
  {
    auto log = DurableLog::open(small_config(dir.path()));
    append_numbered(*log, 0, 200, 40);
    REQUIRE(log->commit(150).ok());  // deletes the segments wholly below 150
  }
  const auto first_on_disk = [&] {
    auto log = DurableLog::open(small_config(dir.path()));
    return log->stats().first_offset;
  }();
  REQUIRE(first_on_disk > 0);
  REQUIRE(first_on_disk <= 150);

  const std::filesystem::path slots[] = {dir.path() / "cursor.0", dir.path() / "cursor.1"};
  SECTION("missing") {
    for (const auto& slot : slots) {
      std::filesystem::remove(slot);
    }
  }
  SECTION("garbage") {
    for (const auto& slot : slots) {
      std::fstream file(slot, std::ios::binary | std::ios::in | std::ios::out);
      file.seekp(10);
      file.put('\x7f');
    }
  }
  SECTION("empty") {
    for (const auto& slot : slots) {
      std::ofstream(slot, std::ios::trunc).flush();
    }
  }
  SECTION("a leftover temporary file of an older version is ignored") {
    for (const auto& slot : slots) {
      std::filesystem::remove(slot);
    }
    std::ofstream(dir.path() / "cursor.tmp") << "half written";
  }

  auto log = DurableLog::open(small_config(dir.path()));
  CHECK(log->cursor() == first_on_disk);
  CHECK(log->stats().cursor_fallbacks == 1);
  CHECK(log->end_offset() == 200);
  CHECK_FALSE(std::filesystem::exists(dir.path() / "cursor.tmp"));
  auto got = drain(*log, log->cursor());
  CHECK(got.records.size() == 200 - first_on_disk);
  CHECK(got.damage.empty());
}

TEST_CASE("a torn write of the newer cursor slot falls back to the older one", "[unit]") {
  TempDir dir;
  {
    auto log = DurableLog::open(small_config(dir.path()));
    append_numbered(*log, 0, 200, 40);
    REQUIRE(log->commit(100).ok());  // cursor.0 (both slots start at 0)
    REQUIRE(log->commit(150).ok());  // cursor.1
    REQUIRE(log->commit(160).ok());  // cursor.0 again: the older slot is overwritten
  }
  {
    std::fstream file(dir.path() / "cursor.0", std::ios::binary | std::ios::in | std::ios::out);
    file.seekp(12);
    file.put('\x01');  // as if the write of 160 had been torn
  }
  auto log = DurableLog::open(small_config(dir.path()));
  CHECK(log->cursor() == 150);  // one commit old: re-send, never lose
  CHECK(log->stats().cursor_fallbacks == 1);
  CHECK(log->end_offset() == 200);
}

TEST_CASE("a cursor file of an older version is read, then replaced by the slots", "[unit]") {
  TempDir dir;
  {
    auto log = DurableLog::open(small_config(dir.path()));
    append_numbered(*log, 0, 200, 40);
    REQUIRE(log->commit(120).ok());
  }
  // The older versions' single file had the same 28-byte layout under this name.
  std::filesystem::rename(dir.path() / "cursor.0", dir.path() / "cursor");
  std::filesystem::remove(dir.path() / "cursor.1");
  {
    auto log = DurableLog::open(small_config(dir.path()));
    CHECK(log->cursor() == 120);
    CHECK(log->stats().cursor_fallbacks == 0);
    REQUIRE(log->commit(130).ok());
  }
  CHECK_FALSE(std::filesystem::exists(dir.path() / "cursor"));
  auto log = DurableLog::open(small_config(dir.path()));
  CHECK(log->cursor() == 130);
}

TEST_CASE("offsets survive the deletion of every segment", "[unit]") {
  TempDir dir;
  {
    auto log = DurableLog::open(small_config(dir.path()));
    append_numbered(*log, 0, 300, 40);
    REQUIRE(log->commit(300).ok());
  }
  for (const auto& name : segment_files(dir.path())) {
    std::filesystem::remove(dir.path() / name);
  }
  auto log = DurableLog::open(small_config(dir.path()));
  CHECK(log->end_offset() == 300);
  CHECK(log->cursor() == 300);
  auto offset = log->append(Stream::telemetry, "k", "v");
  REQUIRE(offset.ok());
  CHECK(offset.value() == 300);
  auto got = drain(*log, 300);
  REQUIRE(got.records.size() == 1);
  CHECK(got.damage.empty());
}

TEST_CASE("segments deleted behind the cursor's back are reported as missing", "[unit]") {
  TempDir dir;
  {
    auto log = DurableLog::open(small_config(dir.path()));
    append_numbered(*log, 0, 300, 40);
    REQUIRE(log->commit(10).ok());
  }
  const auto names = segment_files(dir.path());
  REQUIRE(names.size() > 3);
  std::filesystem::remove(dir.path() / names[0]);
  std::filesystem::remove(dir.path() / names[1]);
  auto log = DurableLog::open(small_config(dir.path()));
  const auto first = log->stats().first_offset;
  auto got = drain(*log, log->cursor());
  REQUIRE(got.damage.size() == 1);
  CHECK(got.damage[0].reason == edgegw::store::DamageReason::missing_segments);
  CHECK(got.damage[0].first_offset == 10);
  CHECK(got.damage[0].last_offset == first - 1);
  CHECK(got.records.size() == 300 - first);
}

}  // namespace edgegw::store
