#pragma once
// Tracks which produced log offsets Kafka has acknowledged, and so the contiguous
// acknowledged prefix: the cursor may only move past a record once it and every record
// before it are acknowledged, whatever order the delivery reports arrive in (they come
// per partition). Owned by the forwarder and used on its thread only (and by start()
// before the thread runs, and stop() after it joined).

#include <cstdint>
#include <deque>

namespace edgegw::forward {

class AckTracker {
 public:
  // Starts with nothing in flight; `next` is the first offset not yet produced.
  explicit AckTracker(std::uint64_t next = 0) : next_unproduced_(next) {}

  // Records are produced in increasing offset order (gaps allowed where the log skipped
  // damaged or dropped records).
  void produced(std::uint64_t offset);
  // Everything up to `next` was read but nothing needs acknowledging (a damaged range).
  void skipped_to(std::uint64_t next);
  // Returns false for an offset that is not in flight (a duplicate report).
  bool acknowledged(std::uint64_t offset);

  // First offset not known to be acknowledged: the value to commit as the cursor.
  [[nodiscard]] std::uint64_t committable() const;
  [[nodiscard]] std::size_t in_flight() const { return in_flight_; }

 private:
  struct Entry {
    std::uint64_t offset;
    bool acked;
  };
  void drop_acknowledged_prefix();

  std::deque<Entry> window_;  // produced, oldest first
  std::uint64_t next_unproduced_;
  std::size_t in_flight_ = 0;
};

}  // namespace edgegw::forward
