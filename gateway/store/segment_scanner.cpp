#include "store/segment_scanner.hpp"

#include <algorithm>

namespace edgegw::store {

namespace {
constexpr std::size_t kReadChunk = 256U << 10;

std::uint64_t scan_budget(const ScanLimits& limits) {
  return limits.byte_limit > UINT64_MAX - limits.resync_allowance
             ? UINT64_MAX
             : limits.byte_limit + limits.resync_allowance;
}
}  // namespace

void SegmentScanner::reset(File* file, std::uint64_t position, std::uint64_t expected_offset) {
  file_ = file;
  position_ = position;
  expected_ = expected_offset;
  buffer_pos_ = 0;
  buffer_len_ = 0;
  file_end_ = UINT64_MAX;
  work_ = 0;
}

Result<const unsigned char*> SegmentScanner::view(std::uint64_t pos, std::size_t n,
                                                  std::uint64_t limit) {
  if (pos + n > limit || pos + n > file_end_) {
    return static_cast<const unsigned char*>(nullptr);
  }
  if (pos >= buffer_pos_ && pos + n <= buffer_pos_ + buffer_len_) {
    return buffer_.data() + (pos - buffer_pos_);
  }
  // Refill from pos: read ahead a chunk, but never past the limit (beyond it the writer
  // may be mid-write, or the bytes may be a failed write's leftovers).
  const std::size_t want =
      static_cast<std::size_t>(std::min<std::uint64_t>(std::max(n, kReadChunk), limit - pos));
  if (buffer_.size() < want) {
    buffer_.resize(want);
  }
  auto got = file_->read_at(buffer_.data(), want, pos);
  if (!got) {
    buffer_len_ = 0;
    return got.error();
  }
  buffer_pos_ = pos;
  buffer_len_ = got.value();
  if (buffer_len_ < want) {
    file_end_ = buffer_pos_ + buffer_len_;  // shorter than believed: never re-read past it
  }
  if (buffer_len_ < n) {
    return static_cast<const unsigned char*>(nullptr);
  }
  return buffer_.data();
}

Result<bool> SegmentScanner::valid_frame_at(std::uint64_t pos, const ScanLimits& limits,
                                            FrameHeader& header, DamageReason* why) {
  auto head = view(pos, kFrameHeaderBytes, limits.byte_limit);
  if (!head) {
    return head.error();
  }
  if (head.value() == nullptr) {
    *why = DamageReason::torn_record;
    return false;
  }
  header = decode_header(head.value());
  if (!header_plausible(header)) {
    *why = DamageReason::bad_frame;
    return false;
  }
  if (header.offset < expected_ || header.offset >= limits.offset_limit) {
    *why = DamageReason::bad_offset;
    return false;
  }
  auto frame = view(pos, header.frame_bytes(), limits.byte_limit);
  if (!frame) {
    return frame.error();
  }
  if (frame.value() == nullptr) {
    *why = DamageReason::torn_record;
    return false;
  }
  work_ += header.frame_bytes();  // read (perhaps again) and checksummed
  if (!frame_crc_ok(frame.value(), header)) {
    *why = DamageReason::bad_crc;
    return false;
  }
  return true;
}

Result<ScanStep> SegmentScanner::next(const ScanLimits& limits) {
  ScanStep step;
  if (position_ >= limits.byte_limit) {
    step.kind = ScanStepKind::end;
    step.byte_begin = step.byte_end = position_;
    return step;
  }
  FrameHeader header;
  DamageReason why = DamageReason::bad_frame;
  auto ok = valid_frame_at(position_, limits, header, &why);
  if (!ok) {
    return ok.error();
  }
  if (!ok.value()) {
    return resync(limits, why);
  }
  if (header.offset > expected_) {
    // An intact frame, but offsets before it are missing (a whole record cut out of the
    // file): report the gap without consuming any bytes; the frame comes next call.
    step.kind = ScanStepKind::damage;
    step.byte_begin = step.byte_end = position_;
    step.first_lost = expected_;
    step.next_offset = header.offset;
    step.reason = DamageReason::missing_records;
    expected_ = header.offset;
    return step;
  }
  step.kind = ScanStepKind::record;
  step.header = header;
  step.byte_begin = position_;
  step.byte_end = position_ + header.frame_bytes();
  auto frame = view(position_, header.frame_bytes(), limits.byte_limit);  // already buffered
  if (!frame) {
    return frame.error();
  }
  step.frame = frame.value();
  position_ = step.byte_end;
  expected_ = header.offset + 1;
  return step;
}

Result<ScanStep> SegmentScanner::resync(const ScanLimits& limits, DamageReason reason) {
  ScanStep step;
  step.kind = ScanStepKind::damage;
  step.byte_begin = position_;
  step.first_lost = expected_;
  step.reason = reason;
  // Every candidate position is tried; cheap header checks reject almost all of them
  // before any CRC is computed, and the loop ends at the byte limit.
  std::uint64_t candidate = position_ + 1;
  const std::uint64_t budget = scan_budget(limits);
  for (; candidate + kFrameHeaderBytes <= limits.byte_limit; ++candidate) {
    if (++work_ > budget) {
      step.budget_exhausted = true;
      break;
    }
    FrameHeader header;
    DamageReason ignored = DamageReason::bad_frame;
    auto ok = valid_frame_at(candidate, limits, header, &ignored);
    if (!ok) {
      return ok.error();
    }
    if (ok.value()) {
      step.byte_end = candidate;
      step.next_offset = header.offset;
      position_ = candidate;
      expected_ = header.offset;
      return step;
    }
  }
  step.byte_end = limits.byte_limit;
  step.next_offset = std::max(limits.offset_limit, expected_);
  position_ = limits.byte_limit;
  expected_ = step.next_offset;
  return step;
}

}  // namespace edgegw::store
