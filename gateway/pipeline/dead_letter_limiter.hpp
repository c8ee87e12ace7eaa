#pragma once
// Rate limit of the dead-letter stream per source (the dead letter's key: its device's
// key, or its topic when it names no device), so that a storm of bad messages from one
// source cannot fill the durable log (under `when_full: block` that would stop intake
// for every device). A token bucket per source: `rate` dead letters a second on average,
// bursts up to `burst`. A dead letter beyond it is not stored; the pipeline counts it
// (edgegw_dead_letters_suppressed_total) and its message in dead_letters_total all the
// same.
//
// Sources live in a bounded table, evicted when idle; sources beyond the table's cap
// share one bucket, so that a storm from ever-new sources is bounded too. Threads: the
// pipeline's, under its lock.

#include <cstdint>
#include <string_view>

#include "edgegw/device_table.hpp"

namespace edgegw::pipeline {

struct DeadLetterRate {
  double per_second = 10;  // 0: no limit
  std::uint32_t burst = 100;
};

class DeadLetterLimiter {
 public:
  explicit DeadLetterLimiter(DeadLetterRate rate);

  // Whether a dead letter of `source` may be stored now (spends a token when it may).
  bool admit(std::string_view source, std::int64_t now_ms);
  // Forgets sources idle long enough that their bucket is full again.
  void evict_idle(std::int64_t now_ms) { sources_.evict_idle(now_ms); }

  [[nodiscard]] std::size_t sources() const { return sources_.size(); }

 private:
  struct Bucket {
    double tokens = 0;
    std::int64_t refilled_ms = 0;
  };
  bool spend(Bucket& bucket, std::int64_t now_ms) const;

  DeadLetterRate rate_;
  DeviceTable<Bucket> sources_;
  Bucket shared_;  // of the sources the table has no room for
};

}  // namespace edgegw::pipeline
