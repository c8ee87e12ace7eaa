#pragma once
// The durable log's implementation: segment files in one directory, a cursor file, a
// writer that appends frames to the active segment, a reader (LogReader), and for the
// "interval" fsync policy a sync thread (LogSyncer). README.md beside this file
// describes the format, recovery and the durability each policy gives.
//
// Ownership: created by open(), owned by the daemon's wiring; it owns its files, the
// sync thread and the reader state. Threads: see edgegw/log.hpp (one writer, one
// reader, stats() from anywhere). Destruction joins the sync thread and, unless the
// policy is "never", makes everything appended durable.

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "edgegw/log.hpp"
#include "store/file_system.hpp"
#include "store/log_counters.hpp"
#include "store/log_reader.hpp"
#include "store/log_syncer.hpp"
#include "store/priority_rescue.hpp"
#include "store/segment_list.hpp"

namespace edgegw::store {

class SegmentedLog final : public DurableLog {
 public:
  // Tests pass a fault-injecting file system; DurableLog::open passes the POSIX one.
  static std::unique_ptr<SegmentedLog> open(const LogConfig& config,
                                            std::shared_ptr<FileSystem> fs);
  SegmentedLog(const SegmentedLog&) = delete;
  SegmentedLog& operator=(const SegmentedLog&) = delete;
  ~SegmentedLog() override;

  Result<std::uint64_t> append(Stream stream, std::string_view key,
                               std::string_view payload) override;
  bool wait_for_space(std::chrono::milliseconds timeout) override;
  Status sync() override;
  Status read_into(std::uint64_t from, std::size_t max_records, std::size_t max_bytes,
                   ReadBatch& batch) override;
  bool wait_for_records(std::uint64_t offset, std::chrono::milliseconds timeout) override;
  Status commit(std::uint64_t next_unacked) override;
  [[nodiscard]] std::uint64_t cursor() const override;
  [[nodiscard]] std::uint64_t end_offset() const override;
  [[nodiscard]] LogStats stats() const override;

 private:
  SegmentedLog(const LogConfig& config, std::shared_ptr<FileSystem> fs);

  // The writer (one at a time; see edgegw/log.hpp).
  Status roll();
  Result<std::uint64_t> write_record(Stream stream, std::string_view key, std::string_view payload);
  void drop_oldest(std::size_t frame_bytes);
  // Drops the oldest segment, keeping its priority records in kept_; false when only the
  // active one is left.
  bool drop_oldest_segment(std::string_view why);
  void append_kept();
  Status write_frame();
  Status undo_write(const Status& failure);
  // Any thread that removed `segment` from the list: deletes its file.
  void discard(const Segment& segment);

  const LogConfig config_;
  const std::shared_ptr<FileSystem> fs_;
  // The directory's lock (buffer_directory.hpp): taken first, released last.
  const std::unique_ptr<File> directory_lock_;
  LogCounters counters_;
  SegmentList segments_;

  std::atomic<std::uint64_t> end_offset_{0};
  std::atomic<std::uint64_t> cursor_{0};
  std::atomic<std::uint64_t> bytes_{0};
  std::atomic<std::int64_t> oldest_unacked_ms_{0};

  // The writer only.
  std::shared_ptr<Segment> active_;
  std::shared_ptr<File> active_file_;
  SegmentExtent active_extent_;
  std::string frame_;        // encode buffer, reused
  bool tail_dirty_ = false;  // a failed write may have left bytes past active_extent_
  std::size_t rejected_frame_bytes_ = 0;
  std::vector<KeptRecord> kept_;  // picked from dropped segments, to append again
  std::size_t kept_bytes_ = 0;

  // Reader thread only (and open).
  LogReader reader_;
  int next_cursor_slot_ = 0;  // the cursor slot holding the older cursor

  std::mutex records_mutex_;  // wait_for_records
  std::condition_variable records_cv_;
  std::atomic<bool> reader_waiting_{false};
  std::mutex space_mutex_;  // wait_for_space
  std::condition_variable space_cv_;

  LogSyncer syncer_;  // last member: its thread stops first
};

}  // namespace edgegw::store
