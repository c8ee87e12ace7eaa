#include "store/log_recovery.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "store/buffer_directory.hpp"
#include "store/cursor_file.hpp"
#include "store/record_frame.hpp"
#include "store/segment_scanner.hpp"
#include "store/store_logger.hpp"

namespace edgegw::store {

namespace {

// Offsets beyond this are implausible: a log appending a million records a second
// reaches it in 146,000 years, and offsets near 2^64 would overflow the arithmetic of
// recovery and reading.
constexpr std::uint64_t kMaxPlausibleOffset = 1ULL << 62;

[[noreturn]] void fail(const LogConfig& config, const Error& error) {
  throw LogOpenError(error.code,
                     "durable log in " + config.directory.string() + ": " + error.message);
}

template <typename T>
T must(Result<T> result, const LogConfig& config) {
  if (!result) {
    fail(config, result.error());
  }
  return std::move(result).value();
}

struct LastSegmentScan {
  std::uint64_t good_bytes = 0;  // end of the last intact frame
  std::uint64_t end_offset = 0;  // offset after the last intact frame
};

LastSegmentScan scan_segment(File& file, std::uint64_t base, std::uint64_t size,
                             const LogConfig& config, LogCounters& counters) {
  SegmentScanner scanner;
  scanner.reset(&file, 0, base);
  // No frame is smaller than kMinFrameBytes, which bounds the offsets the file can hold.
  const ScanLimits limits{size, base + size / kMinFrameBytes + 1, config.recovery_resync_allowance};
  LastSegmentScan scan{0, base};
  for (;;) {
    auto step = must(scanner.next(limits), config);
    if (step.kind == ScanStepKind::end) {
      return scan;
    }
    if (step.kind == ScanStepKind::record) {
      scan.good_bytes = step.byte_end;
      scan.end_offset = step.header.offset + 1;
    } else if (step.budget_exhausted) {
      // The tail from the last intact frame on is cut as damage (not torn: offsets skip
      // past it), so intact frames after this point are lost; those before it are kept.
      LogCounters::add(counters.scan_budget_cutoffs);
      store_logger().warn(
          "Gave up resynchronising the last segment at open: searching it for intact frames "
          "cost more than the scan budget, so the rest of it counts as damaged segment={} "
          "byte_begin={} bytes={}",
          segment_file_name(base), step.byte_begin, size);
    }
  }
}

// A torn tail is what an interrupted append leaves: fewer bytes than a header, a header
// whose frame runs past the end of the file, or zeros (file systems may extend a file
// before its data reaches the disk). Anything else after the last intact frame is
// damage that may have held records append already confirmed.
bool looks_torn(File& file, std::uint64_t begin, std::uint64_t size, const LogConfig& config) {
  if (size - begin < kFrameHeaderBytes) {
    return true;
  }
  std::vector<unsigned char> chunk(64U << 10);
  auto got = must(file.read_at(chunk.data(), kFrameHeaderBytes, begin), config);
  const FrameHeader header = decode_header(chunk.data());
  if (got == kFrameHeaderBytes && header_plausible(header) && begin + header.frame_bytes() > size) {
    return true;
  }
  for (std::uint64_t pos = begin; pos < size;) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), size - pos));
    const std::size_t n = must(file.read_at(chunk.data(), want, pos), config);
    if (n == 0 || std::any_of(chunk.begin(), chunk.begin() + static_cast<std::ptrdiff_t>(n),
                              [](unsigned char b) { return b != 0; })) {
      return n == 0;
    }
    pos += n;
  }
  return true;
}

std::shared_ptr<Segment> create_segment(FileSystem& fs, const LogConfig& config, std::uint64_t base,
                                        std::shared_ptr<File>& file) {
  auto segment = std::make_shared<Segment>(base, config.directory);
  file = must(fs.open(segment->path(), OpenMode::read_write_create), config);
  if (auto st = file->truncate(0); !st) {
    fail(config, st.error());
  }
  if (config.fsync != FsyncPolicy::never) {
    if (auto st = fs.sync_directory(config.directory); !st) {
      fail(config, st.error());
    }
  }
  return segment;
}

std::int64_t first_append_ms(FileSystem& fs, const Segment& segment) {
  auto file = fs.open(segment.path(), OpenMode::read_only);
  unsigned char bytes[kFrameHeaderBytes];
  if (!file) {
    return 0;
  }
  auto got = file.value()->read_at(bytes, sizeof(bytes), 0);
  if (!got || got.value() != sizeof(bytes)) {
    return 0;
  }
  const FrameHeader header = decode_header(bytes);
  return header_plausible(header) ? header.append_time_ms : 0;
}

// A cursor copy planted as a symbolic link or a FIFO would otherwise only count as
// "corrupt" (re-send everything) and make every commit fail: refuse to start instead.
void refuse_unsafe_cursor(FileSystem& fs, const LogConfig& config, const std::string& name) {
  auto file = fs.open(config.directory / name, OpenMode::read_only);
  if (!file && file.error().code == StoreErrc::unsafe_file) {
    fail(config, file.error());
  }
}

// Why a valid cursor copy cannot be believed, or empty. `data_end` is the offset after the
// records on disk (when there are segments).
std::string implausible_cursor(const CursorState& state, bool segments_present,
                               std::uint64_t data_end) {
  if (state.cursor > kMaxPlausibleOffset || state.end_offset > kMaxPlausibleOffset) {
    return fmt::format("offsets beyond 2^62 (cursor {}, end offset {})", state.cursor,
                       state.end_offset);
  }
  if (segments_present && state.cursor > data_end) {
    return fmt::format("cursor {} is beyond the records on disk (they end at {})", state.cursor,
                       data_end);
  }
  return "";
}

}  // namespace

std::unique_ptr<File> claim_log_directory(FileSystem& fs, const LogConfig& config) {
  if (auto secured = secure_buffer_directory(fs, config.directory); !secured) {
    throw LogOpenError(secured.error().code, secured.error().message);
  }
  auto lock = lock_buffer_directory(fs, config.directory);
  if (!lock) {
    throw LogOpenError(lock.error().code, lock.error().message);
  }
  return std::move(lock).value();
}

RecoveredLog recover_log(FileSystem& fs, const LogConfig& config, LogCounters& counters) {
  auto& log = store_logger();
  std::vector<std::uint64_t> bases;
  for (const auto& name : must(fs.list(config.directory), config)) {
    auto base = parse_segment_file_name(name);
    if (base && *base <= kMaxPlausibleOffset) {
      bases.push_back(*base);
    } else if (base) {
      log.warn("Ignoring a segment file whose name is beyond any plausible offset file={}", name);
    } else if (name == kLegacyCursorTempFileName) {
      (void)fs.remove(config.directory / name);  // a cursor write that never completed
    } else if (name == kCursorSlotNames[0] || name == kCursorSlotNames[1] ||
               name == kLegacyCursorFileName) {
      refuse_unsafe_cursor(fs, config, name);
    } else if (name != kLockFileName) {
      log.debug("Ignoring a file that is not part of the log file={}", name);
    }
  }
  std::sort(bases.begin(), bases.end());

  RecoveredLog out;
  std::uint64_t end = 0;
  for (std::size_t i = 0; i < bases.size(); ++i) {
    auto segment = std::make_shared<Segment>(bases[i], config.directory);
    const bool last = i + 1 == bases.size();
    auto file = must(
        fs.open(segment->path(), last ? OpenMode::read_write_create : OpenMode::read_only), config);
    const std::uint64_t size = must(file->size(), config);
    if (!last) {
      // Not read at open: offsets are contiguous within a segment, so the next
      // segment's base says where this one ends (and no frame is smaller than
      // kMinFrameBytes); the reader verifies the frames and reports any shortfall.
      segment->publish({size, std::min(bases[i + 1] - bases[i], size / kMinFrameBytes + 1)});
      segment->seal();
      out.total_bytes += size;
      out.segments.push_back(std::move(segment));
      continue;
    }
    const LastSegmentScan scan = scan_segment(*file, bases[i], size, config, counters);
    end = scan.end_offset;
    if (scan.good_bytes < size) {
      const std::uint64_t tail = size - scan.good_bytes;
      const bool torn = looks_torn(*file, scan.good_bytes, size, config);
      if (auto st = file->truncate(scan.good_bytes); !st) {
        fail(config, st.error());
      }
      if (config.fsync != FsyncPolicy::never) {
        if (auto st = file->sync(); !st) {
          fail(config, st.error());
        }
      }
      LogCounters::add(counters.truncated_tail_bytes, tail);
      if (torn) {
        out.damage.push_back(DamageReport{segment->name(), scan.good_bytes, size, end, end, 0,
                                          DamageReason::torn_tail});
      } else {
        // Damaged whole frames may have been confirmed appends whose offsets already
        // reached Kafka: never hand those offsets out again. The gap this leaves before
        // the next segment is what the reader reports as missing_records.
        end += std::max<std::uint64_t>(1, tail / kMinFrameBytes);
      }
      log.warn(
          "Recovered the log by truncating a damaged tail segment={} bytes={} torn={} "
          "next_offset={}",
          segment->name(), tail, torn, end);
    }
    segment->publish({scan.good_bytes, scan.end_offset - bases[i]});
    out.active_file = std::move(file);
    out.total_bytes += scan.good_bytes;
    out.segments.push_back(std::move(segment));
  }

  CursorRead cursor = read_cursor_file(fs, config.directory);
  if (cursor.status == CursorRead::Status::ok) {
    std::string implausible = implausible_cursor(cursor.state, !bases.empty(), end);
    if (!implausible.empty()) {
      cursor.status = CursorRead::Status::corrupt;
      cursor.problem = std::move(implausible);
      if (cursor.state.cursor <= kMaxPlausibleOffset &&
          cursor.state.end_offset <= kMaxPlausibleOffset) {
        // Beyond the data, but plausible: a power cut under `interval` or `never` can lose
        // appends whose commit was already durable, and those offsets reached Kafka. Never
        // hand them out again; only the position to read from falls back.
        end = std::max({end, cursor.state.cursor, cursor.state.end_offset});
      }
    }
  }
  if (cursor.status == CursorRead::Status::ok) {
    out.cursor = cursor.state.cursor;
    end = std::max({end, cursor.state.cursor, cursor.state.end_offset});
    if (!cursor.problem.empty()) {
      LogCounters::add(counters.cursor_fallbacks);
      log.warn(
          "A copy of the cursor is unusable; using the other one (at worst one commit old: "
          "some records are sent again) directory={} problem=\"{}\" cursor={}",
          config.directory.string(), cursor.problem, out.cursor);
    }
  } else if (cursor.status == CursorRead::Status::missing && bases.empty()) {
    out.cursor = 0;  // a new log
  } else {
    out.cursor = bases.empty() ? 0 : bases.front();
    LogCounters::add(counters.cursor_fallbacks);
    log.warn(
        "Cursor file unusable, re-sending from the oldest record on disk directory={} "
        "problem=\"{}\" cursor={}",
        config.directory.string(),
        cursor.status == CursorRead::Status::missing ? "missing" : cursor.problem, out.cursor);
  }

  if (out.segments.empty() || out.segments.back()->end_offset() < end) {
    if (!out.segments.empty() && out.segments.back()->extent().bytes == 0) {
      // An empty last segment would only leave a gap to report: replace it.
      out.active_file.reset();
      (void)fs.remove(out.segments.back()->path());
      out.segments.pop_back();
    }
    if (!out.segments.empty()) {
      out.segments.back()->seal();
    }
    out.segments.push_back(create_segment(fs, config, end, out.active_file));
  }
  out.end_offset = end;

  if (out.cursor < end) {
    std::shared_ptr<Segment> holder = out.segments.front();
    for (const auto& segment : out.segments) {
      if (segment->base_offset() <= out.cursor) {
        holder = segment;
      }
    }
    out.oldest_unacked_ms = first_append_ms(fs, *holder);
    holder->first_append_ms.store(out.oldest_unacked_ms, std::memory_order_relaxed);
  }
  log.info("Opened the durable log directory={} segments={} bytes={} cursor={} end_offset={}",
           config.directory.string(), out.segments.size(), out.total_bytes, out.cursor, end);
  return out;
}

}  // namespace edgegw::store
