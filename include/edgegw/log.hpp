#pragma once
// The durable log: the store-and-forward buffer every record passes through on its way
// from the mapper/analytics to Kafka. Design notes live in gateway/store/README.md.
//
// Threads: one writer at a time calls append() and wait_for_space(): the pipeline, under
// its lock, on the MQTT callback thread (per message), the daemon's ticker (analytics
// windows) and the owner's thread at shutdown (the final flush); the lock orders them,
// so the "writer" below is a role, not one thread. Exactly one reader thread (the
// forwarder) calls read(), wait_for_records() and commit(). stats() may be called from
// any thread. Everything else is for the owner before/after those threads run.

#include <array>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "edgegw/result.hpp"
#include "edgegw/store_errc.hpp"
#include "edgegw/stream.hpp"

namespace edgegw::store {

enum class FsyncPolicy { always, interval, never };
enum class FullPolicy { drop_oldest, block };

// How much resynchronising past damage may cost beyond a segment's own size before the
// rest of the segment counts as damaged (gateway/store/segment_scanner.hpp).
inline constexpr std::uint64_t kResyncAllowanceBytes = 32ULL << 20;

struct LogConfig {
  std::filesystem::path directory;
  std::uint64_t segment_bytes = 16ULL << 20;
  FsyncPolicy fsync = FsyncPolicy::interval;
  std::chrono::milliseconds fsync_interval{200};
  std::uint64_t max_bytes = 1ULL << 30;
  FullPolicy when_full = FullPolicy::block;
  // Not a config key: the resync allowance of the scan at open, for tests and the
  // benchmark (UINT64_MAX: unbounded, as before the bound existed).
  std::uint64_t recovery_resync_allowance = kResyncAllowanceBytes;

  bool operator==(const LogConfig&) const = default;  // a reload compares them
};

// One record as the reader sees it. Offsets are assigned by append(), start at 0 for a
// new log, and grow by one per record, forever (they survive restarts and deletions).
struct LogRecord {
  std::uint64_t offset = 0;
  Stream stream = Stream::telemetry;
  std::int64_t append_time_ms = 0;  // wall clock at append, for lag metrics
  std::string key;
  std::string payload;
};

// Why records were lost from the log (gateway/store/README.md explains each).
enum class DamageReason : std::uint8_t {
  bad_crc,           // a record whose checksum does not match
  bad_frame,         // garbage where a record header should be
  bad_offset,        // a record whose offset does not follow its predecessor's
  torn_record,       // a record cut short in the middle of a segment
  missing_records,   // offsets skipped between two intact records
  missing_segments,  // whole segments gone (deleted behind the log's back)
  dropped_oldest,    // dropped by buffer.when_full: drop_oldest
  torn_tail,         // the unconfirmed last append, cut by a crash
  kafka_rejected,    // not the log's: Kafka refused the record for good
};

constexpr std::string_view damage_reason_name(DamageReason reason) {
  constexpr std::array<std::string_view, 9> kNames = {
      "bad_crc",          "bad_frame",      "bad_offset", "torn_record",   "missing_records",
      "missing_segments", "dropped_oldest", "torn_tail",  "kafka_rejected"};
  return kNames.at(static_cast<std::size_t>(reason));
}

// A range of the log that could not be read back (bad CRC, garbage, a torn record in
// the middle of a segment, records dropped by drop_oldest). Reported once, so that the
// loss is visible downstream.
struct DamageReport {
  std::string segment;           // file name of the segment
  std::uint64_t byte_begin = 0;  // byte range within that file
  std::uint64_t byte_end = 0;
  std::uint64_t first_offset = 0;  // offsets that were lost, [first, last]; when the
  std::uint64_t last_offset = 0;   // damage hides them, the best known bounds
  // last_offset - first_offset + 1, or 0 when no record is known to be lost (garbage
  // between two intact records, a torn tail whose record append never confirmed); then
  // first_offset == last_offset only says where the damage sits.
  std::uint64_t lost_records = 0;
  DamageReason reason = DamageReason::bad_frame;
  std::string detail{};  // kafka_rejected: the client's words
  // dropped_oldest only: records of the range that were kept, appended again under new
  // offsets because their stream outranks telemetry (alerts, aggregates, predictions).
  std::uint64_t kept_records = 0;
};

struct ReadBatch {
  std::vector<LogRecord> records;
  std::vector<DamageReport> damage;
  std::uint64_t next_offset = 0;  // where the next read() should start
  // Records of earlier reads, kept for their strings' memory: read_into() fills a
  // record's key and payload in place, so a reader that keeps one batch allocates
  // nothing per record once its batches have reached their size.
  std::vector<LogRecord> spare;
};

struct LogStats {
  std::uint64_t bytes = 0;
  std::uint64_t segments = 0;
  std::uint64_t first_offset = 0;             // oldest record still on disk
  std::uint64_t end_offset = 0;               // offset the next append will get
  std::uint64_t cursor = 0;                   // first offset not yet acknowledged by Kafka
  std::int64_t oldest_unacked_append_ms = 0;  // 0 when nothing is pending
  std::uint64_t appended_records = 0;
  std::array<std::uint64_t, kStreamCount> appended_by_stream{};  // index: Stream
  std::uint64_t dropped_records = 0;                             // by drop_oldest
  std::uint64_t dropped_segments = 0;
  std::uint64_t kept_records = 0;     // of dropped segments, appended again (priority)
  std::uint64_t full_rejections = 0;  // appends refused under the block policy
  std::uint64_t corrupt_ranges = 0;
  std::uint64_t corrupt_bytes = 0;
  std::uint64_t truncated_tail_bytes = 0;  // torn tail removed at recovery
  std::uint64_t fsyncs = 0;
  std::uint64_t io_errors = 0;         // failed writes, fsyncs, removals, cursor writes
  std::uint64_t cursor_fallbacks = 0;  // missing, corrupt or implausible cursor at open
  // Segments whose damage cost more resync work than the scan budget: the rest of the
  // segment was treated as damaged (segment_scanner.hpp).
  std::uint64_t scan_budget_cutoffs = 0;
};

// What DurableLog::open throws when the log cannot be used at all. The message names the
// directory and the problem; code() tells the callers that act on it which one: `locked`
// (another gateway has the directory), `unsafe_directory` / `unsafe_file` (refused, see
// docs/security.md), `io_error` and the rest.
class LogOpenError : public std::runtime_error {
 public:
  LogOpenError(std::error_code code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  [[nodiscard]] std::error_code code() const { return code_; }

 private:
  std::error_code code_;
};

class DurableLog {
 public:
  // Opens (creating if needed) and recovers the log in config.directory: makes the
  // directory private and locks it, truncates a torn tail, reads the cursor (falling back
  // to the oldest record if it is missing, corrupt or implausible: re-send, never lose).
  // Throws LogOpenError when the log cannot be used at all.
  static std::unique_ptr<DurableLog> open(const LogConfig& config);

  DurableLog(const DurableLog&) = delete;
  DurableLog& operator=(const DurableLog&) = delete;
  virtual ~DurableLog() = default;

  // Writer. Returns the record's offset, or an error: "log_full" when the size cap
  // is reached under the block policy (nothing was written; call wait_for_space() and
  // retry), "no_space" when the filesystem is full (under drop_oldest only once no
  // older segment is left to drop; retry once the forwarder has freed segments),
  // "io_error" when the disk failed (message says how), "record_too_large" (never fits).
  virtual Result<std::uint64_t> append(Stream stream, std::string_view key,
                                       std::string_view payload) = 0;
  // Writer: blocks until an append would fit or the timeout passes.
  virtual bool wait_for_space(std::chrono::milliseconds timeout) = 0;
  // Any thread: makes everything appended so far durable now (fsync), whatever the policy.
  virtual Status sync() = 0;

  // Reader thread: up to max_records records starting at `from` (skipping what was
  // dropped or damaged, which damage reports) into `batch`, replacing what it held and
  // reusing its memory. Never blocks on the writer.
  virtual Status read_into(std::uint64_t from, std::size_t max_records, std::size_t max_bytes,
                           ReadBatch& batch) = 0;
  // The same, into a fresh batch.
  Result<ReadBatch> read(std::uint64_t from, std::size_t max_records, std::size_t max_bytes) {
    ReadBatch batch;
    if (Status status = read_into(from, max_records, max_bytes, batch); !status) {
      return status.error();
    }
    return batch;
  }
  // Reader thread: waits until a record at `offset` exists or the timeout passes.
  virtual bool wait_for_records(std::uint64_t offset, std::chrono::milliseconds timeout) = 0;
  // Reader thread: every record below `next_unacked` was acknowledged by Kafka. Persists
  // the cursor atomically and deletes segments wholly below it.
  virtual Status commit(std::uint64_t next_unacked) = 0;

  [[nodiscard]] virtual std::uint64_t cursor() const = 0;
  [[nodiscard]] virtual std::uint64_t end_offset() const = 0;
  [[nodiscard]] virtual LogStats stats() const = 0;

 protected:
  DurableLog() = default;
};

}  // namespace edgegw::store
