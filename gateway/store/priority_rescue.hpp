#pragma once
// Stream priorities when drop_oldest must drop data: alerts outlive aggregates and
// predictions, which outlive raw telemetry and dead letters. Before the oldest segment
// is deleted, its unacknowledged records of the higher-priority streams are picked, to
// be appended again at the log's tail (under new offsets) once the segment is gone.
//
// The pick is bounded by a byte budget (half a segment), so that every drop still frees
// at least half a segment and the cap is always reached: when alerts alone exceed the
// budget, the oldest alerts go too. Called by the log's writer only.

#include <cstdint>
#include <string>
#include <vector>

#include "edgegw/result.hpp"
#include "edgegw/stream.hpp"
#include "store/file_system.hpp"
#include "store/segment.hpp"

namespace edgegw::store {

// Higher outlives lower when the log must drop data.
constexpr int drop_priority(Stream stream) {
  switch (stream) {
    case Stream::alerts:
      return 2;
    case Stream::aggregates:
    case Stream::predictions:
      return 1;
    case Stream::telemetry:
    case Stream::dead_letter:
      return 0;
  }
  return 0;
}

struct KeptRecord {
  Stream stream = Stream::telemetry;
  std::string key;
  std::string payload;
  std::size_t frame_bytes = 0;
};

// The records of `segment` at or above `cursor` with a priority above 0, highest
// priority first and oldest first within one, whose frames fit in `budget_bytes`.
// Damaged ranges are skipped (they are reported by the reader as usual).
Result<std::vector<KeptRecord>> pick_records_to_keep(FileSystem& fs, const Segment& segment,
                                                     std::uint64_t cursor,
                                                     std::size_t budget_bytes);

}  // namespace edgegw::store
