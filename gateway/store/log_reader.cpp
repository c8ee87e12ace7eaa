#include "store/log_reader.hpp"

#include <algorithm>

#include "store/store_logger.hpp"

namespace edgegw::store {

namespace {
// Enough for the forwarder's in-flight window; beyond it the lag metric falls back to
// the segment's first append time (see SegmentedLog::commit).
constexpr std::size_t kRecentCapacity = 1U << 16;
constexpr int kSeekAttempts = 8;

// The batch's next record, in the memory of one read before when there is one.
LogRecord& next_record(ReadBatch& batch) {
  if (batch.spare.empty()) {
    return batch.records.emplace_back();
  }
  batch.records.push_back(std::move(batch.spare.back()));
  batch.spare.pop_back();
  return batch.records.back();
}

}  // namespace

void LogReader::add_pending(std::vector<DamageReport> reports) {
  for (auto& report : reports) {
    pending_.push_back(std::move(report));
  }
}

Status LogReader::read(std::uint64_t from, std::size_t max_records, std::size_t max_bytes,
                       ReadBatch& batch) {
  for (LogRecord& record : batch.records) {
    batch.spare.push_back(std::move(record));
  }
  batch.records.clear();
  batch.damage = std::move(pending_);
  pending_.clear();
  batch.next_offset = from;
  std::size_t bytes = 0;
  for (int attempt = 1;; ++attempt) {
    auto status = read_some(batch.next_offset, max_records, max_bytes, batch, bytes);
    if (status) {
      return Ok{};
    }
    positioned_ = false;
    // A segment can vanish between its lookup and its open when drop_oldest (writer
    // thread) deletes it: start again from where this read got to.
    if (status.error().code != StoreErrc::segment_gone || attempt == kSeekAttempts) {
      LogCounters::add(counters_.io_errors);
      return status.error();
    }
  }
}

Status LogReader::read_some(std::uint64_t from, std::size_t max_records, std::size_t max_bytes,
                            ReadBatch& batch, std::size_t& bytes) {
  from = skip_missing_front(from, batch);
  batch.next_offset = from;
  if (from >= end_offset_.load(std::memory_order_acquire) || batch.records.size() >= max_records) {
    return Ok{};
  }
  if (!positioned_ || scanner_.expected_offset() != from) {
    auto segment = segments_.find(from);
    if (!segment) {
      return make_error(StoreErrc::io_error, "the log has no segment");
    }
    recent_.clear();
    if (auto entered = enter(std::move(segment)); !entered) {
      return entered;
    }
    if (segment_->base_offset() > from) {
      // Everything from `from` up to this segment was dropped after the check above;
      // the drop is recorded by now, so report it before reading on.
      from = skip_missing_front(from, batch);
      batch.next_offset = from;
    }
  }

  for (;;) {
    // sealed before extent: once sealed, the extent read after it is final.
    const bool sealed = segment_->sealed();
    const SegmentExtent extent = segment_->extent();
    const ScanLimits limits{extent.bytes, segment_->base_offset() + extent.records};
    for (bool segment_done = false; !segment_done;) {
      auto step = scanner_.next(limits);
      if (!step) {
        return step.error();
      }
      const ScanStep& s = step.value();
      switch (s.kind) {
        case ScanStepKind::record:
          if (s.header.offset < from) {
            break;  // seeking
          }
          {
            LogRecord& record = next_record(batch);
            record.offset = s.header.offset;
            record.stream = static_cast<Stream>(s.header.stream);
            record.append_time_ms = s.header.append_time_ms;
            record.key.assign(frame_key(s.frame, s.header));
            record.payload.assign(frame_payload(s.frame, s.header));
          }
          recent_.emplace_back(s.header.offset, s.header.append_time_ms);
          if (recent_.size() > kRecentCapacity) {
            recent_.pop_front();
          }
          bytes += s.header.key_len + s.header.payload_len();
          batch.next_offset = scanner_.expected_offset();
          if (batch.records.size() >= max_records || bytes >= max_bytes) {
            return Ok{};
          }
          break;
        case ScanStepKind::damage:
          report(batch, *segment_, s, from);
          break;
        case ScanStepKind::end:
          segment_done = true;
          break;
      }
    }
    batch.next_offset = std::max(from, scanner_.expected_offset());
    auto next = sealed ? segments_.next_after(segment_->base_offset()) : nullptr;
    if (!next) {
      return Ok{};  // caught up with the writer
    }
    // Segments between this one and `next` may have been dropped meanwhile: report
    // those drops first, so that only a real shortfall is reported as a gap.
    const std::uint64_t expected = scanner_.expected_offset();
    if (expected < next->base_offset() &&
        skip_missing_front(expected, batch) < next->base_offset()) {
      // The segment ended cleanly but short of where the next one starts: records
      // were cut off the end of the file (or a damaged tail was removed at recovery).
      ScanStep gap;
      gap.kind = ScanStepKind::damage;
      gap.byte_begin = gap.byte_end = extent.bytes;
      gap.first_lost = expected;
      gap.next_offset = next->base_offset();
      gap.reason = DamageReason::missing_records;
      report(batch, *segment_, gap, from);
    }
    batch.next_offset = std::max(from, next->base_offset());
    if (auto entered = enter(std::move(next)); !entered) {
      return entered;
    }
  }
}

std::uint64_t LogReader::skip_missing_front(std::uint64_t from, ReadBatch& batch) {
  std::vector<DamageReport> drops;
  const std::uint64_t first = segments_.first_offset_and_drops(drops_seen_, drops);
  for (auto& drop : drops) {
    ++drops_seen_;
    dropped_end_ = std::max(dropped_end_, drop.last_offset + 1);
    if (drop.last_offset >= from) {
      drop.first_offset = std::max(drop.first_offset, from);
      // Kept records (priority streams) are in the range but not lost.
      drop.lost_records = std::min(drop.lost_records, drop.last_offset - drop.first_offset + 1);
      batch.damage.push_back(std::move(drop));
    }
  }
  if (from >= first) {
    return from;
  }
  // Below the oldest segment: acknowledged records deleted by commit (nothing to say),
  // ranges drop_oldest removed (reported above), or segments gone for another reason
  // (deleted by hand, or dropped before a restart).
  const std::uint64_t lo = std::max(
      {from, dropped_end_, cursor_.load(std::memory_order_acquire), missing_reported_below_});
  if (lo < first) {
    batch.damage.push_back(
        DamageReport{"", 0, 0, lo, first - 1, first - lo, DamageReason::missing_segments});
    LogCounters::add(counters_.corrupt_ranges);
    missing_reported_below_ = first;
    store_logger().warn("Records missing below the oldest segment first_offset={} last_offset={}",
                        lo, first - 1);
  }
  positioned_ = positioned_ && scanner_.expected_offset() >= first;
  return first;
}

Status LogReader::enter(std::shared_ptr<Segment> segment) {
  positioned_ = false;
  auto file = fs_.open(segment->path(), OpenMode::read_only);
  if (!file) {
    if (segment->base_offset() < segments_.first_offset()) {
      return make_error(StoreErrc::segment_gone, file.error().message);
    }
    return file.error();
  }
  file_ = std::move(file).value();
  segment_ = std::move(segment);
  scanner_.reset(file_.get(), 0, segment_->base_offset());
  positioned_ = true;
  return Ok{};
}

void LogReader::report(ReadBatch& batch, const Segment& segment, const ScanStep& step,
                       std::uint64_t from) {
  const bool lost = step.next_offset > step.first_lost;
  if (lost ? step.next_offset <= from : step.first_lost < from) {
    return;  // passed while seeking, all before what was asked for
  }
  if (!reported_.emplace(segment.base_offset(), step.byte_begin).second) {
    return;
  }
  DamageReport damage;
  damage.segment = segment.name();
  damage.byte_begin = step.byte_begin;
  damage.byte_end = step.byte_end;
  damage.first_offset = lost ? std::max(step.first_lost, from) : step.first_lost;
  damage.last_offset = lost ? step.next_offset - 1 : step.first_lost;
  damage.lost_records = lost ? damage.last_offset - damage.first_offset + 1 : 0;
  damage.reason = step.reason;
  LogCounters::add(counters_.corrupt_ranges);
  LogCounters::add(counters_.corrupt_bytes, step.byte_end - step.byte_begin);
  if (step.budget_exhausted) {
    LogCounters::add(counters_.scan_budget_cutoffs);
    store_logger().warn(
        "Gave up resynchronising a damaged segment: searching it for intact frames cost "
        "more than the scan budget, so the rest of it counts as damaged segment={} "
        "byte_begin={}",
        damage.segment, damage.byte_begin);
  }
  store_logger().warn(
      "Skipped a damaged range of the log segment={} byte_begin={} byte_end={} "
      "first_offset={} last_offset={} lost_records={} reason={}",
      damage.segment, damage.byte_begin, damage.byte_end, damage.first_offset, damage.last_offset,
      damage.lost_records, damage_reason_name(damage.reason));
  batch.damage.push_back(std::move(damage));
}

std::optional<std::int64_t> LogReader::append_time_of(std::uint64_t offset) const {
  auto it =
      std::lower_bound(recent_.begin(), recent_.end(), offset,
                       [](const auto& entry, std::uint64_t value) { return entry.first < value; });
  if (it == recent_.end() || it->first != offset) {
    return std::nullopt;
  }
  return it->second;
}

void LogReader::forget_below(std::uint64_t offset) {
  while (!recent_.empty() && recent_.front().first < offset) {
    recent_.pop_front();
  }
}

}  // namespace edgegw::store
