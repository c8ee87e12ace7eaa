#pragma once
// Walks the frames of one segment file in order, verifying each (framing, CRC, offset),
// and resynchronises past damage: it scans forward byte by byte for the next frame whose
// header is plausible, whose offset lies in the expected range and whose CRC verifies.
// Used by recovery at open and by the reader.
//
// Not thread-safe: one scanner per user (the reader thread owns one). Memory: a read
// window of 256 KiB that grows to the largest frame met (at most kMaxFrameBytes).

#include <cstdint>
#include <string>
#include <vector>

#include "edgegw/log.hpp"
#include "edgegw/result.hpp"
#include "store/file_system.hpp"
#include "store/record_frame.hpp"

namespace edgegw::store {

// The scan budget bounds resynchronising. Without it, bytes crafted so that many
// positions hold a plausible header claiming a long frame make every position cost a read
// and a CRC of that frame: quadratic in the segment's size (seconds per MiB at start-up).
// Intact data never costs more than its own size, so honest damage never reaches the
// bound (kResyncAllowanceBytes, log.hpp, beyond the segment's size).
struct ScanLimits {
  std::uint64_t byte_limit = 0;    // bytes [0, byte_limit) of the file may be read
  std::uint64_t offset_limit = 0;  // offsets in [expected, offset_limit) are plausible
  // The scan budget since reset(): byte_limit + this many bytes of attempted frames (each
  // candidate position costs 1, each frame whose CRC is computed its length). Beyond it
  // the rest of the file is reported as one damaged range (budget_exhausted).
  std::uint64_t resync_allowance = kResyncAllowanceBytes;
};

enum class ScanStepKind { record, damage, end };

struct ScanStep {
  ScanStepKind kind = ScanStepKind::end;
  std::uint64_t byte_begin = 0;  // record or damaged range within the file
  std::uint64_t byte_end = 0;
  // record: the verified header and the frame's bytes (valid until the next call)
  FrameHeader header;
  const unsigned char* frame = nullptr;
  // damage: offsets [first_lost, next_offset) were lost; next_offset is the offset of the
  // frame found after the damage, or offset_limit when none was.
  std::uint64_t first_lost = 0;
  std::uint64_t next_offset = 0;
  DamageReason reason = DamageReason::bad_frame;
  // damage: the scan budget ran out; the range runs to byte_limit, unsearched.
  bool budget_exhausted = false;
};

class SegmentScanner {
 public:
  // Starts at byte `position` of `file` (not owned; must outlive the use), expecting
  // the frame there to carry `expected_offset`.
  void reset(File* file, std::uint64_t position, std::uint64_t expected_offset);

  // The next record, damaged range, or end (position reached byte_limit). An I/O error
  // reading the file is returned as such; the scanner can be retried afterwards.
  Result<ScanStep> next(const ScanLimits& limits);

  [[nodiscard]] std::uint64_t position() const { return position_; }
  [[nodiscard]] std::uint64_t expected_offset() const { return expected_; }

 private:
  // Pointer to bytes [pos, pos+n) of the file, or nullptr when they are not all below
  // `limit` (or the file is shorter).
  Result<const unsigned char*> view(std::uint64_t pos, std::size_t n, std::uint64_t limit);
  // A verified frame at `pos` carrying an offset in [expected_, limits.offset_limit).
  Result<bool> valid_frame_at(std::uint64_t pos, const ScanLimits& limits, FrameHeader& header,
                              DamageReason* why);
  Result<ScanStep> resync(const ScanLimits& limits, DamageReason reason);

  File* file_ = nullptr;
  std::uint64_t position_ = 0;
  std::uint64_t expected_ = 0;
  std::vector<unsigned char> buffer_;
  std::uint64_t buffer_pos_ = 0;         // file position of buffer_[0]
  std::size_t buffer_len_ = 0;           // valid bytes in buffer_
  std::uint64_t file_end_ = UINT64_MAX;  // where a short read found the file to end
  std::uint64_t work_ = 0;               // verification work since reset(): see ScanLimits
};

}  // namespace edgegw::store
