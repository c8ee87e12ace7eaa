// Bounds on what a crafted buffer directory can make recovery do: resynchronising past
// damage stops at the scan budget (the rest of the segment counts as damaged, records
// before it are kept), and a cursor that points beyond the records on disk or beyond any
// plausible offset falls back like a corrupt one.

#include <catch2/catch.hpp>

#include <fstream>

#include "edgegw/log.hpp"
#include "store/cursor_file.hpp"
#include "store/record_frame.hpp"
#include "store/segmented_log.hpp"
#include "unit/store/corruption_support.hpp"
#include "unit/store/store_test_support.hpp"

namespace edgegw::store {

using edgegw::test::TempDir;
using testing::append_bytes;
using testing::append_numbered;
using testing::crafted_frames;
using testing::drain;
using testing::segment_files;
using testing::small_config;

namespace {

// A config whose segments hold the crafted bytes whole.
LogConfig roomy_config(const std::filesystem::path& directory) {
  LogConfig config = small_config(directory);
  config.segment_bytes = 4U << 20;
  config.max_bytes = 64U << 20;
  return config;
}

}  // namespace

TEST_CASE("crafted frames after the last record cost recovery no more than the scan budget",
          "[unit]") {
  TempDir dir;
  LogConfig config = roomy_config(dir.path());
  {
    auto log = DurableLog::open(config);
    append_numbered(*log, 0, 20, 40);
  }
  const auto segment = dir.path() / segment_files(dir.path()).back();
  const auto good_size = std::filesystem::file_size(segment);
  constexpr std::size_t kCrafted = 256U << 10;
  append_bytes(segment, crafted_frames(20, kCrafted));
  // Unbounded, these 256 KiB cost about 1.2 GB of reads and CRCs; the budget stops at
  // 256 KiB + the allowance.
  config.recovery_resync_allowance = 64U << 10;

  auto log = SegmentedLog::open(config, posix_file_system());
  const LogStats stats = log->stats();
  CHECK(stats.scan_budget_cutoffs == 1);
  CHECK(stats.truncated_tail_bytes == kCrafted);
  CHECK(std::filesystem::file_size(segment) == good_size);
  // Not a torn tail: offsets skip what the damaged bytes might have held.
  CHECK(log->end_offset() >= 20 + kCrafted / kMinFrameBytes);
  auto got = drain(*log, 0);
  REQUIRE(got.records.size() == 20);  // every record before the damage
  CHECK(got.records.back().offset == 19);
}

TEST_CASE("honest damage never reaches the scan budget", "[unit]") {
  TempDir dir;
  {
    auto log = DurableLog::open(roomy_config(dir.path()));
    append_numbered(*log, 0, 2000, 400);
  }
  const auto segment = dir.path() / segment_files(dir.path()).back();
  {
    std::fstream file(segment, std::ios::binary | std::ios::in | std::ios::out);
    file.seekp(5000);
    file.write("garbage!garbage!", 16);  // a damaged record in the middle
  }
  LogConfig config = roomy_config(dir.path());
  // Damage costs about its own bytes twice (the failed frame, then the search past it).
  config.recovery_resync_allowance = 64U << 10;
  auto log = SegmentedLog::open(config, posix_file_system());
  CHECK(log->stats().scan_budget_cutoffs == 0);
  CHECK(log->end_offset() == 2000);
  auto got = drain(*log, 0);
  CHECK(got.records.size() == 1999);
  CHECK(got.records.back().offset == 1999);
}

TEST_CASE("the reader gives up on a crafted older segment at the scan budget", "[unit]") {
  TempDir dir;
  const LogConfig config = roomy_config(dir.path());
  {
    auto log = DurableLog::open(config);
    append_numbered(*log, 0, 10, 40);
  }
  // An older segment (only the reader scans it) of 10 records followed by 1 MiB of
  // crafted frames, then a newer segment the log goes on with.
  const auto older = dir.path() / segment_files(dir.path()).back();
  append_bytes(older, crafted_frames(10, 1U << 20));
  {
    std::ofstream newer(dir.path() / segment_file_name(100000), std::ios::binary);
    std::string frame;
    encode_frame(frame, 100000, 1, Stream::telemetry, "k", "after");
    newer.write(frame.data(), static_cast<std::streamsize>(frame.size()));
  }
  auto log = DurableLog::open(config);
  auto got = drain(*log, 0);
  CHECK(log->stats().scan_budget_cutoffs == 1);
  REQUIRE(got.records.size() == 11);
  CHECK(got.records[9].offset == 9);
  CHECK(got.records[10].offset == 100000);
  REQUIRE_FALSE(got.damage.empty());
  CHECK(got.damage.front().byte_end == std::filesystem::file_size(older));
}

TEST_CASE("an implausible cursor falls back to the oldest record on disk", "[unit]") {
  TempDir dir;
  {
    auto log = DurableLog::open(small_config(dir.path()));
    append_numbered(*log, 0, 200, 40);
    REQUIRE(log->commit(150).ok());
  }
  const auto first_on_disk = [&] {
    auto log = DurableLog::open(small_config(dir.path()));
    return log->stats().first_offset;
  }();
  CursorState planted;
  std::uint64_t expected_end = 200;
  SECTION("beyond any plausible offset") {
    planted = {1ULL << 63, 1ULL << 63};
  }
  SECTION("beyond the records on disk") {
    planted = {5000, 5000};
    expected_end = 5000;  // offsets that may have reached Kafka are never handed out again
  }
  for (int slot = 0; slot < 2; ++slot) {
    REQUIRE(write_cursor_slot(*posix_file_system(), dir.path(), slot, planted, false).ok());
  }
  auto log = DurableLog::open(small_config(dir.path()));
  CHECK(log->cursor() == first_on_disk);
  CHECK(log->stats().cursor_fallbacks == 1);
  CHECK(log->end_offset() == expected_end);
  auto got = drain(*log, log->cursor());
  CHECK(got.records.size() == 200 - first_on_disk);
  auto offset = log->append(Stream::telemetry, "k", "v");
  REQUIRE(offset.ok());
  CHECK(offset.value() == expected_end);
}

}  // namespace edgegw::store
