// Log recovery and segment scanning over a directory of arbitrary bytes, through the
// store's injectable FileSystem (an in-memory one). Then the reader reads the recovered
// log from the cursor to its end, as the forwarder would after a restart.
//
// Input: parts separated by "EGW|", at most kMaxParts. A part's first byte says what it
// is (even: a segment, odd: a cursor slot), its second the segment's base offset; the
// rest are the file's bytes.

#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

#include "fuzz_target.hpp"
#include "memory_file_system.hpp"
#include "store/cursor_file.hpp"
#include "store/log_config.hpp"
#include "store/log_reader.hpp"
#include "store/log_recovery.hpp"
#include "store/segment.hpp"
#include "store/segment_list.hpp"
#include "store/store_logger.hpp"

using namespace edgegw::store;

namespace {

constexpr std::string_view kSeparator = "EGW|";
constexpr std::size_t kMaxParts = 6;
const std::filesystem::path kDirectory = "/fuzz/buffer";

void add_file(edgegw::fuzz::MemoryFileSystem& fs, std::string_view part) {
  if (part.size() < 2) {
    return;
  }
  const auto kind = static_cast<unsigned char>(part[0]);
  const auto base = static_cast<unsigned char>(part[1]);
  std::string bytes(part.substr(2));
  if (kind % 2 == 0) {
    fs.put(kDirectory / segment_file_name(base), std::move(bytes));
  } else {
    fs.put(kDirectory / kCursorSlotNames[(kind / 2) % 2], std::move(bytes));
  }
}

// Reads everything from the cursor to the end, in small batches. A read that makes no
// progress before the end would stall the forwarder for good.
void read_to_end(FileSystem& fs, RecoveredLog& log, LogCounters& counters) {
  SegmentList segments;
  for (auto& segment : log.segments) {
    segments.push_back(segment);
  }
  const std::atomic<std::uint64_t> end{log.end_offset};
  const std::atomic<std::uint64_t> cursor{log.cursor};
  LogReader reader(fs, segments, counters, end, cursor);
  reader.add_pending(std::move(log.damage));
  std::uint64_t from = log.cursor;
  ReadBatch b;  // one batch for every read, as the forwarder reads: its memory is reused
  while (from < log.end_offset) {
    if (!reader.read(from, 16, 64U << 10, b)) {
      std::abort();  // memory never fails: an error here is the reader's own
    }
    if (b.next_offset <= from && b.records.empty() && b.damage.empty()) {
      std::abort();
    }
    from = b.next_offset;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool quiet = [] {
    store_logger().set_level(spdlog::level::off);
    return true;
  }();
  (void)quiet;

  edgegw::fuzz::MemoryFileSystem fs;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  for (std::size_t parts = 0; parts < kMaxParts && !input.empty(); ++parts) {
    const std::size_t cut = input.find(kSeparator);
    add_file(fs, input.substr(0, cut));
    input =
        cut == std::string_view::npos ? std::string_view() : input.substr(cut + kSeparator.size());
  }

  LogConfig config;
  config.directory = kDirectory;
  config.segment_bytes = kMinSegmentBytes;
  config.fsync = FsyncPolicy::never;
  LogCounters counters;
  RecoveredLog log;
  try {
    log = recover_log(fs, config, counters);
  } catch (const std::runtime_error&) {
    return 0;  // a log that cannot be used at all: the daemon refuses to start
  }
  (void)prepare_cursor_slots(fs, kDirectory, CursorState{log.cursor, log.end_offset}, false);
  read_to_end(fs, log, counters);
  return 0;
}
