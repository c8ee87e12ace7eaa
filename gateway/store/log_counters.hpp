#pragma once
// The log's counters: written by whichever thread does the counted thing, read by
// stats() from any thread. Relaxed atomics: each is a number on its own, never used to
// order other memory.

#include <array>
#include <atomic>
#include <cstdint>

#include "edgegw/stream.hpp"

namespace edgegw::store {

struct LogCounters {
  std::array<std::atomic<std::uint64_t>, kStreamCount> appended_records{};  // by stream
  std::atomic<std::uint64_t> dropped_records{0};
  std::atomic<std::uint64_t> dropped_segments{0};
  std::atomic<std::uint64_t> kept_records{0};
  std::atomic<std::uint64_t> full_rejections{0};
  std::atomic<std::uint64_t> corrupt_ranges{0};
  std::atomic<std::uint64_t> corrupt_bytes{0};
  std::atomic<std::uint64_t> truncated_tail_bytes{0};
  std::atomic<std::uint64_t> fsyncs{0};
  std::atomic<std::uint64_t> io_errors{0};
  std::atomic<std::uint64_t> cursor_fallbacks{0};
  std::atomic<std::uint64_t> scan_budget_cutoffs{0};

  static void add(std::atomic<std::uint64_t>& counter, std::uint64_t n = 1) {
    counter.fetch_add(n, std::memory_order_relaxed);
  }
};

}  // namespace edgegw::store
