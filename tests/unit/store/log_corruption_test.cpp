// Damage in the middle of the log: detected by framing and CRC, skipped by
// resynchronising on the next intact record, reported once, and reading goes on.

#include <catch2/catch.hpp>

#include <cstring>

#include "edgegw/log.hpp"
#include "support/child_process.hpp"
#include "unit/store/corruption_support.hpp"
#include "unit/store/store_test_support.hpp"

namespace edgegw::store {

using edgegw::test::read_file;
using edgegw::test::TempDir;
using edgegw::test::write_file;
using testing::append_numbered;
using testing::drain;
using testing::numbered_payload;
using testing::record_places;
using testing::small_config;

namespace {

// A closed log of 300 records with 100-byte payloads (136-byte frames, 30 per segment).
std::map<std::uint64_t, testing::RecordPlace> make_log(const TempDir& dir) {
  auto log = DurableLog::open(small_config(dir.path()));
  append_numbered(*log, 0, 300, 100);
  return record_places(dir.path());
}

}  // namespace

TEST_CASE("a damaged record in the middle is skipped and reported once", "[unit]") {
  TempDir dir;
  const auto places = make_log(dir);
  const auto& victim = places.at(100);  // in the middle of a sealed segment
  const auto path = dir.path() / victim.segment;
  std::string bytes = read_file(path);

  edgegw::store::DamageReason expected_reason{};
  SECTION("a flipped payload bit") {
    bytes[victim.begin + 60] ^= 0x04;
    expected_reason = edgegw::store::DamageReason::bad_crc;
  }
  SECTION("an absurd length") {
    const std::uint32_t huge = 0xFFFFFFF0U;
    std::memcpy(bytes.data() + victim.begin + 4, &huge, sizeof(huge));
    expected_reason = edgegw::store::DamageReason::bad_frame;
  }
  SECTION("a length that runs into the next record") {
    const std::uint32_t longer = 200;
    std::memcpy(bytes.data() + victim.begin + 4, &longer, sizeof(longer));
    expected_reason = edgegw::store::DamageReason::bad_crc;
  }
  SECTION("zeros") {
    std::memset(bytes.data() + victim.begin + 10, 0, 50);  // offset, version, stream...
    expected_reason = edgegw::store::DamageReason::bad_frame;
  }
  SECTION("garbage over the header") {
    for (std::uint64_t i = victim.begin; i < victim.begin + 20; ++i) {
      bytes[i] = static_cast<char>(i * 131 + 7);
    }
    expected_reason = edgegw::store::DamageReason::bad_frame;
  }
  write_file(path, bytes);

  auto log = DurableLog::open(small_config(dir.path()));
  auto got = drain(*log, 0);
  CHECK(got.records.size() == 299);
  REQUIRE(got.damage.size() == 1);
  const auto& damage = got.damage[0];
  CHECK(damage.segment == victim.segment);
  CHECK(damage.byte_begin == victim.begin);
  CHECK(damage.byte_end == victim.end);
  CHECK(damage.first_offset == 100);
  CHECK(damage.last_offset == 100);
  CHECK(damage.lost_records == 1);
  CHECK(damage.reason == expected_reason);
  CHECK(log->stats().corrupt_ranges == 1);
  CHECK(log->stats().corrupt_bytes == victim.end - victim.begin);
  for (const auto& record : got.records) {
    CHECK(record.payload == numbered_payload(record.offset, 100));
  }

  // Reading the same range again does not report it again.
  auto again = drain(*log, 90);
  CHECK(again.damage.empty());
  CHECK(again.records.size() == 209);
  CHECK(log->stats().corrupt_ranges == 1);
}

TEST_CASE("a record cut out of the middle of a segment is reported as missing", "[unit]") {
  TempDir dir;
  const auto places = make_log(dir);
  const auto& victim = places.at(40);
  const auto path = dir.path() / victim.segment;
  std::string bytes = read_file(path);
  bytes.erase(victim.begin, victim.end - victim.begin);
  write_file(path, bytes);

  auto log = DurableLog::open(small_config(dir.path()));
  auto got = drain(*log, 0);
  CHECK(got.records.size() == 299);
  REQUIRE(got.damage.size() == 1);
  CHECK(got.damage[0].reason == edgegw::store::DamageReason::missing_records);
  CHECK(got.damage[0].first_offset == 40);
  CHECK(got.damage[0].lost_records == 1);
}

TEST_CASE("a segment truncated in the middle of the log loses only its tail", "[unit]") {
  TempDir dir;
  const auto places = make_log(dir);
  const auto& victim = places.at(70);  // segment 60..89
  const auto path = dir.path() / victim.segment;
  std::filesystem::resize_file(path, victim.begin + 50);

  auto log = DurableLog::open(small_config(dir.path()));
  auto got = drain(*log, 0);
  CHECK(got.records.size() == 280);
  REQUIRE(got.damage.size() == 1);
  CHECK(got.damage[0].reason == edgegw::store::DamageReason::torn_record);
  CHECK(got.damage[0].first_offset == 70);
  CHECK(got.damage[0].last_offset == 89);
  CHECK(got.damage[0].lost_records == 20);
}

TEST_CASE("damage in the active segment is found while the writer goes on", "[unit]") {
  TempDir dir;
  const auto places = make_log(dir);
  const auto& victim = places.at(295);  // last segment, not its last record
  const auto path = dir.path() / victim.segment;
  std::string bytes = read_file(path);
  bytes[victim.begin + 40] ^= 0x01;
  write_file(path, bytes);

  auto log = DurableLog::open(small_config(dir.path()));
  CHECK(log->stats().truncated_tail_bytes == 0);
  CHECK(log->end_offset() == 300);
  append_numbered(*log, 300, 5, 100);
  auto got = drain(*log, 280);
  CHECK(got.records.size() == 24);
  REQUIRE(got.damage.size() == 1);
  CHECK(got.damage[0].first_offset == 295);
}

}  // namespace edgegw::store
