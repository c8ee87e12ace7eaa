#pragma once
// The reader's side of the log: read() for the forwarder thread. It keeps its position
// (segment, byte, next offset) between calls, so that tailing costs one pread per call
// and no lookup; a read from anywhere else seeks by scanning the segment that holds the
// offset from its start.
//
// Thread: the single reader thread only (read() and the commit() bookkeeping). It shares
// the segment list (locked briefly, never during I/O) and reads frames only up to the
// extent the writer has published, so a record is visible as soon as append() returns.

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "edgegw/log.hpp"
#include "store/file_system.hpp"
#include "store/log_counters.hpp"
#include "store/segment_list.hpp"
#include "store/segment_scanner.hpp"

namespace edgegw::store {

class LogReader {
 public:
  // References are to members of the owning log, which outlives the reader.
  LogReader(FileSystem& fs, SegmentList& segments, LogCounters& counters,
            const std::atomic<std::uint64_t>& end_offset, const std::atomic<std::uint64_t>& cursor)
      : fs_(fs),
        segments_(segments),
        counters_(counters),
        end_offset_(end_offset),
        cursor_(cursor) {}

  Status read(std::uint64_t from, std::size_t max_records, std::size_t max_bytes, ReadBatch& batch);

  // Damage found before the reader ran (a torn tail at recovery); reported by the next read.
  void add_pending(std::vector<DamageReport> reports);

  // Append time of the record at `offset` if read() returned it since the last commit.
  // forget_below() drops what was acknowledged.
  [[nodiscard]] std::optional<std::int64_t> append_time_of(std::uint64_t offset) const;
  void forget_below(std::uint64_t offset);

 private:
  // Appends to `batch` from `from`; batch.next_offset always says how far it got.
  Status read_some(std::uint64_t from, std::size_t max_records, std::size_t max_bytes,
                   ReadBatch& batch, std::size_t& bytes);
  // Reports drops (and missing segments) not reported yet; returns `from` moved up to
  // the first offset on disk.
  std::uint64_t skip_missing_front(std::uint64_t from, ReadBatch& batch);
  Status enter(std::shared_ptr<Segment> segment);
  void report(ReadBatch& batch, const Segment& segment, const ScanStep& step, std::uint64_t from);

  FileSystem& fs_;
  SegmentList& segments_;
  LogCounters& counters_;
  const std::atomic<std::uint64_t>& end_offset_;
  const std::atomic<std::uint64_t>& cursor_;

  std::shared_ptr<Segment> segment_;  // the one the scanner is in
  std::unique_ptr<File> file_;        // the reader's own handle on it
  SegmentScanner scanner_;
  bool positioned_ = false;
  std::set<std::pair<std::uint64_t, std::uint64_t>> reported_;  // (segment base, byte)
  std::size_t drops_seen_ = 0;
  std::uint64_t dropped_end_ = 0;  // offsets below it that drop_oldest removed
  std::uint64_t missing_reported_below_ = 0;
  std::vector<DamageReport> pending_;
  std::deque<std::pair<std::uint64_t, std::int64_t>> recent_;  // (offset, append ms)
};

}  // namespace edgegw::store
