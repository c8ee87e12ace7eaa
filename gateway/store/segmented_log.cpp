#include "store/segmented_log.hpp"

#include <fmt/format.h>

#include "edgegw/clock.hpp"
#include "store/cursor_file.hpp"
#include "store/log_config.hpp"
#include "store/log_recovery.hpp"
#include "store/priority_rescue.hpp"
#include "store/record_frame.hpp"
#include "store/store_logger.hpp"

namespace edgegw::store {

std::unique_ptr<DurableLog> DurableLog::open(const LogConfig& config) {
  return SegmentedLog::open(config, posix_file_system());
}

std::unique_ptr<SegmentedLog> SegmentedLog::open(const LogConfig& config,
                                                 std::shared_ptr<FileSystem> fs) {
  validate_log_config(config);
  return std::unique_ptr<SegmentedLog>(new SegmentedLog(config, std::move(fs)));
}

SegmentedLog::SegmentedLog(const LogConfig& config, std::shared_ptr<FileSystem> fs)
    : config_(config),
      fs_(std::move(fs)),
      directory_lock_(claim_log_directory(*fs_, config_)),
      reader_(*fs_, segments_, counters_, end_offset_, cursor_),
      syncer_(*fs_, counters_, config.directory) {
  RecoveredLog recovered = recover_log(*fs_, config_, counters_);
  for (auto& segment : recovered.segments) {
    segments_.push_back(segment);
  }
  active_ = recovered.segments.back();
  active_file_ = recovered.active_file;
  active_extent_ = active_->extent();
  end_offset_.store(recovered.end_offset);
  cursor_.store(recovered.cursor);
  bytes_.store(recovered.total_bytes);
  oldest_unacked_ms_.store(recovered.oldest_unacked_ms);
  reader_.add_pending(std::move(recovered.damage));
  // Both cursor slots exist from now on, and commits overwrite them in place: moving the
  // cursor (and so deleting acknowledged segments) needs no new blocks on a full disk.
  const PreparedCursorSlots slots =
      prepare_cursor_slots(*fs_, config_.directory, {recovered.cursor, recovered.end_offset},
                           config_.fsync != FsyncPolicy::never);
  next_cursor_slot_ = slots.next_slot;
  if (!slots.status) {
    LogCounters::add(counters_.io_errors);
    store_logger().warn(
        "Could not create the cursor files yet; retrying at each commit error=\"{}\"",
        slots.status.error().message);
  }
  syncer_.rolled(nullptr, active_file_);
  if (config_.fsync == FsyncPolicy::interval) {
    syncer_.start(config_.fsync_interval);
  }
}

SegmentedLog::~SegmentedLog() {
  syncer_.stop();
  if (config_.fsync != FsyncPolicy::never) {
    (void)syncer_.sync_now();  // a clean shutdown loses nothing, whatever the interval
  }
}

Result<std::uint64_t> SegmentedLog::append(Stream stream, std::string_view key,
                                           std::string_view payload) {
  const std::size_t frame_bytes = frame_size(key, payload);
  if (key.size() > kMaxKeyBytes || frame_bytes > kMaxFrameBytes ||
      frame_bytes > config_.max_bytes / 2) {
    return make_error(
        StoreErrc::record_too_large,
        fmt::format("record of {} bytes with a key of {} bytes exceeds the log's "
                    "limits ({} bytes, key {} bytes)",
                    frame_bytes, key.size(),
                    std::min<std::uint64_t>(kMaxFrameBytes, config_.max_bytes / 2), kMaxKeyBytes));
  }
  if (bytes_.load(std::memory_order_relaxed) + frame_bytes > config_.max_bytes) {
    if (config_.when_full == FullPolicy::block) {
      rejected_frame_bytes_ = frame_bytes;
      LogCounters::add(counters_.full_rejections);
      return make_error(StoreErrc::log_full, fmt::format("the log holds {} of max {} bytes",
                                                         bytes_.load(), config_.max_bytes));
    }
    drop_oldest(frame_bytes);
    append_kept();
  }
  for (;;) {
    Result<std::uint64_t> offset = write_record(stream, key, payload);
    if (offset) {
      return offset;
    }
    // A full filesystem under drop_oldest is the cap reached early: make room the same
    // way, one segment at a time, for as long as there is an older segment to drop.
    if (offset.error().code != StoreErrc::no_space ||
        config_.when_full != FullPolicy::drop_oldest ||
        !drop_oldest_segment("The filesystem is full")) {
      return offset.error();
    }
    append_kept();
  }
}

// Writes one record at the end of the log, rolling to a new segment first if it would
// not fit the active one. No cap check: append() did it.
Result<std::uint64_t> SegmentedLog::write_record(Stream stream, std::string_view key,
                                                 std::string_view payload) {
  const std::size_t frame_bytes = frame_size(key, payload);
  if (active_extent_.bytes > 0 && active_extent_.bytes + frame_bytes > config_.segment_bytes) {
    if (auto rolled = roll(); !rolled) {
      return rolled.error();
    }
  }
  const std::uint64_t offset = end_offset_.load(std::memory_order_relaxed);
  const std::int64_t time_ms = wall_clock_ms();
  frame_.clear();
  encode_frame(frame_, offset, time_ms, stream, key, payload);
  if (Status written = write_frame(); !written) {
    return written.error();
  }

  if (active_extent_.records == 0) {
    active_->first_append_ms.store(time_ms, std::memory_order_relaxed);
  }
  active_extent_.bytes += frame_bytes;
  active_extent_.records += 1;
  // The end offset first, then the extent: a reader never holds a record at or beyond
  // end_offset() (so commit() can check against it). seq_cst store, then seq_cst load of
  // reader_waiting_ below: pairs with wait_for_records so that a reader about to sleep
  // either sees this offset or gets notified (after the extent is published).
  end_offset_.store(offset + 1);
  active_->publish(active_extent_);
  bytes_.fetch_add(frame_bytes, std::memory_order_relaxed);
  LogCounters::add(counters_.appended_records.at(static_cast<std::size_t>(stream)));
  if (cursor_.load(std::memory_order_relaxed) == offset) {
    std::int64_t none = 0;  // the log was fully acknowledged: this is the oldest unacked
    oldest_unacked_ms_.compare_exchange_strong(none, time_ms);
  }
  if (config_.fsync == FsyncPolicy::interval) {
    syncer_.mark_dirty();
  }
  if (reader_waiting_.load()) {
    { const std::lock_guard lock(records_mutex_); }
    records_cv_.notify_one();
  }
  return offset;
}

// The priority records picked from dropped segments go back at the tail, before the
// record whose append made room. Each drop kept at most half of what it freed, so they
// fit; one that does not (the disk filled up meanwhile) is lost and counted as dropped.
void SegmentedLog::append_kept() {
  for (KeptRecord& record : kept_) {
    if (auto offset = write_record(record.stream, record.key, record.payload); !offset) {
      LogCounters::add(counters_.dropped_records);
      counters_.kept_records.fetch_sub(1, std::memory_order_relaxed);
      store_logger().error("A kept {} record could not be appended again; it is lost error=\"{}\"",
                           stream_name(record.stream), offset.error().message);
    }
  }
  kept_.clear();
  kept_bytes_ = 0;
}

Status SegmentedLog::write_frame() {
  if (tail_dirty_) {
    // An earlier failed write could not be cut back; do it now so that no stale bytes
    // ever follow a good frame (a crash would otherwise leave them as a torn tail).
    if (auto cut = active_file_->truncate(active_extent_.bytes); !cut) {
      LogCounters::add(counters_.io_errors);
      return cut.error();
    }
    tail_dirty_ = false;
  }
  if (auto written = write_all_at(*active_file_, frame_.data(), frame_.size(), active_extent_.bytes,
                                  active_->name());
      !written) {
    return undo_write(written.error());
  }
  if (config_.fsync == FsyncPolicy::always) {
    LogCounters::add(counters_.fsyncs);
    if (auto synced = active_file_->sync(); !synced) {
      // After a failed fsync the kernel may have dropped the dirty pages: the record's
      // durability is unknown, so it is taken back and the caller sees the failure.
      return undo_write(synced.error());
    }
  }
  return Ok{};
}

Status SegmentedLog::undo_write(const Status& failure) {
  LogCounters::add(counters_.io_errors);
  tail_dirty_ = !active_file_->truncate(active_extent_.bytes);
  store_logger().error("Append to the log failed, record not written segment={} error=\"{}\"",
                       active_->name(), failure.error().message);
  return failure.error();
}

Status SegmentedLog::roll() {
  const std::uint64_t base = end_offset_.load(std::memory_order_relaxed);
  auto segment = std::make_shared<Segment>(base, config_.directory);
  auto opened = fs_->open(segment->path(), OpenMode::read_write_create);
  if (!opened) {
    LogCounters::add(counters_.io_errors);
    return opened.error();
  }
  std::shared_ptr<File> file = std::move(opened).value();
  if (auto cleared = file->truncate(0); !cleared) {
    LogCounters::add(counters_.io_errors);
    return cleared.error();
  }
  if (config_.fsync == FsyncPolicy::always) {
    // The tail of the old file is synced already (per append); the new directory entry
    // must be durable before any record in the new file counts as durable.
    LogCounters::add(counters_.fsyncs);
    if (auto synced = fs_->sync_directory(config_.directory); !synced) {
      LogCounters::add(counters_.io_errors);
      (void)fs_->remove(segment->path());
      return synced.error();
    }
  }
  syncer_.rolled(config_.fsync == FsyncPolicy::interval ? active_file_ : nullptr, file);
  segments_.push_back(segment);
  active_->seal();  // after the successor is listed: see Segment::seal
  active_ = std::move(segment);
  active_file_ = std::move(file);
  active_extent_ = {};
  store_logger().debug("Rolled to a new segment segment={}", active_->name());
  return Ok{};
}

void SegmentedLog::drop_oldest(std::size_t frame_bytes) {
  kept_bytes_ = 0;
  while (bytes_.load(std::memory_order_relaxed) + kept_bytes_ + frame_bytes > config_.max_bytes) {
    if (!drop_oldest_segment("Log full")) {
      return;  // only the active segment is left: the cap is exceeded by at most it
    }
  }
}

bool SegmentedLog::drop_oldest_segment(std::string_view why) {
  const std::shared_ptr<Segment> candidate = segments_.oldest_sealed();
  if (!candidate) {
    return false;
  }
  const std::uint64_t cursor = cursor_.load(std::memory_order_acquire);
  auto picked = pick_records_to_keep(*fs_, *candidate, cursor, config_.segment_bytes / 2);
  if (!picked) {
    store_logger().error(
        "Could not read the oldest segment for records to keep segment={} "
        "error=\"{}\"",
        candidate->name(), picked.error().message);
    picked = std::vector<KeptRecord>{};
  }
  std::uint64_t lost = 0;
  auto oldest =
      segments_.drop_oldest(cursor, candidate->base_offset(), picked.value().size(), lost);
  if (!oldest) {
    return true;  // a commit deleted it meanwhile: that made room too
  }
  discard(*oldest);
  LogCounters::add(counters_.dropped_segments);
  LogCounters::add(counters_.dropped_records, lost);
  LogCounters::add(counters_.kept_records, picked.value().size());
  if (lost > 0 || !picked.value().empty()) {
    store_logger().warn(
        "{}, dropped the oldest segment before it was forwarded segment={} records={} "
        "kept={} (alerts, aggregates and predictions outlive telemetry)",
        why, oldest->name(), lost, picked.value().size());
  }
  for (KeptRecord& record : picked.value()) {
    kept_bytes_ += record.frame_bytes;
    kept_.push_back(std::move(record));
  }
  return true;
}

void SegmentedLog::discard(const Segment& segment) {
  const std::uint64_t size = segment.extent().bytes;
  if (auto removed = fs_->remove(segment.path()); !removed) {
    LogCounters::add(counters_.io_errors);
    store_logger().error("Could not delete a log segment segment={} error=\"{}\"", segment.name(),
                         removed.error().message);
  }
  bytes_.fetch_sub(size, std::memory_order_relaxed);
}

bool SegmentedLog::wait_for_space(std::chrono::milliseconds timeout) {
  std::unique_lock lock(space_mutex_);
  return space_cv_.wait_for(lock, timeout, [this] {
    return bytes_.load(std::memory_order_relaxed) + rejected_frame_bytes_ <= config_.max_bytes;
  });
}

Status SegmentedLog::sync() {
  return syncer_.sync_now();
}

Status SegmentedLog::read_into(std::uint64_t from, std::size_t max_records, std::size_t max_bytes,
                               ReadBatch& batch) {
  Status status = reader_.read(from, max_records, max_bytes, batch);
  if (status && !batch.records.empty() &&
      batch.records.front().offset == cursor_.load(std::memory_order_relaxed)) {
    oldest_unacked_ms_.store(batch.records.front().append_time_ms, std::memory_order_relaxed);
  }
  return status;
}

bool SegmentedLog::wait_for_records(std::uint64_t offset, std::chrono::milliseconds timeout) {
  if (end_offset_.load() > offset) {
    return true;
  }
  std::unique_lock lock(records_mutex_);
  reader_waiting_.store(true);
  const bool ready =
      records_cv_.wait_for(lock, timeout, [&] { return end_offset_.load() > offset; });
  reader_waiting_.store(false);
  return ready;
}

Status SegmentedLog::commit(std::uint64_t next_unacked) {
  const std::uint64_t end = end_offset_.load();
  if (next_unacked > end) {
    return make_error(
        StoreErrc::bad_offset,
        fmt::format("commit({}) is beyond the log's end offset {}", next_unacked, end));
  }
  if (next_unacked <= cursor_.load(std::memory_order_relaxed)) {
    return Ok{};  // the cursor never moves back
  }
  if (auto written =
          write_cursor_slot(*fs_, config_.directory, next_cursor_slot_,
                            CursorState{next_unacked, end}, config_.fsync != FsyncPolicy::never);
      !written) {
    LogCounters::add(counters_.io_errors);
    store_logger().error("Could not persist the log cursor cursor={} error=\"{}\"", next_unacked,
                         written.error().message);
    return written.error();
  }
  next_cursor_slot_ = 1 - next_cursor_slot_;  // the one just written is the newer now
  cursor_.store(next_unacked, std::memory_order_release);
  while (auto segment = segments_.pop_front_below(next_unacked)) {
    discard(*segment);
  }
  { const std::lock_guard lock(space_mutex_); }
  space_cv_.notify_all();

  reader_.forget_below(next_unacked);
  if (next_unacked >= end_offset_.load()) {
    oldest_unacked_ms_.store(0, std::memory_order_relaxed);
  } else if (auto known = reader_.append_time_of(next_unacked)) {
    oldest_unacked_ms_.store(*known, std::memory_order_relaxed);
  } else if (auto holder = segments_.find(next_unacked)) {
    // Not read yet: the first append of its segment, an upper bound on the lag's age.
    oldest_unacked_ms_.store(holder->first_append_ms.load(std::memory_order_relaxed),
                             std::memory_order_relaxed);
  }
  return Ok{};
}

std::uint64_t SegmentedLog::cursor() const {
  return cursor_.load(std::memory_order_relaxed);
}

std::uint64_t SegmentedLog::end_offset() const {
  return end_offset_.load();
}

LogStats SegmentedLog::stats() const {
  LogStats s;
  auto get = [](const std::atomic<std::uint64_t>& counter) {
    return counter.load(std::memory_order_relaxed);
  };
  s.bytes = get(bytes_);
  s.segments = segments_.size();
  s.first_offset = segments_.first_offset();
  s.end_offset = get(end_offset_);
  s.cursor = get(cursor_);
  s.oldest_unacked_append_ms = s.cursor < s.end_offset ? oldest_unacked_ms_.load() : 0;
  for (std::size_t i = 0; i < kStreamCount; ++i) {
    s.appended_by_stream.at(i) = get(counters_.appended_records.at(i));
    s.appended_records += s.appended_by_stream.at(i);
  }
  s.dropped_records = get(counters_.dropped_records);
  s.dropped_segments = get(counters_.dropped_segments);
  s.kept_records = get(counters_.kept_records);
  s.full_rejections = get(counters_.full_rejections);
  s.corrupt_ranges = get(counters_.corrupt_ranges);
  s.corrupt_bytes = get(counters_.corrupt_bytes);
  s.truncated_tail_bytes = get(counters_.truncated_tail_bytes);
  s.fsyncs = get(counters_.fsyncs);
  s.io_errors = get(counters_.io_errors);
  s.cursor_fallbacks = get(counters_.cursor_fallbacks);
  s.scan_budget_cutoffs = get(counters_.scan_budget_cutoffs);
  return s;
}

}  // namespace edgegw::store
