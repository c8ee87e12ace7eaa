#pragma once
// The exactly-once forwarder's cursor as Kafka keeps it: one record per transaction on
// the offsets topic, keyed by the transactional id, committed together with the range of
// the log it ends (as Kafka Connect's exactly-once sources keep their offsets). Its value
// is versioned JSON:
//
//   {"version":1,"next_offset":12345,"transaction":"1796641460220-17"}
//
// next_offset: the first log offset not in any committed transaction. transaction: the
// transaction that wrote it, also in the `edgegw-transaction` header of every record it
// carried (so that a reader can tell which records a committed cursor covers).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace edgegw::forward {

inline constexpr int kCursorRecordVersion = 1;

struct CursorRecord {
  std::uint64_t next_offset = 0;
  std::string transaction;
};

[[nodiscard]] std::string encode_cursor_record(const CursorRecord& cursor);
// Nothing when `value` is not a cursor record of a version this gateway reads; `why`
// then says what is wrong.
[[nodiscard]] std::optional<CursorRecord> decode_cursor_record(std::string_view value,
                                                               std::string& why);

// Where the exactly-once forwarder starts reading the log, from the cursor Kafka holds
// and the log's own (the local cursor file is advisory in this mode: it trails Kafka's
// by at most the commit that a crash interrupted).
struct StartPoint {
  std::uint64_t offset = 0;
  enum class Source {
    kafka,        // Kafka's cursor
    local,        // no cursor in Kafka yet: the first start in this mode
    local_ahead,  // the log's cursor is ahead (records sent in at_least_once since)
    log_replaced  // Kafka's cursor lies beyond the log's end: the buffer is not the one
                  // Kafka's cursor was written from
  } source = Source::local;
};

[[nodiscard]] StartPoint choose_start(std::optional<std::uint64_t> kafka_cursor,
                                      std::uint64_t log_cursor, std::uint64_t log_end);

}  // namespace edgegw::forward
