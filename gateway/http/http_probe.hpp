#pragma once
// The operations endpoint's counters, written by its thread and read by /metrics (the
// same thread, but also tests): relaxed atomics, each an independent count.

#include <array>
#include <atomic>
#include <cstdint>

#include "http/refusal.hpp"

namespace edgegw::http {

struct HttpProbe {
  std::atomic<std::uint64_t> requests{0};                           // answered, whatever the status
  std::array<std::atomic<std::uint64_t>, kRefusalCount> refused{};  // by Refusal
  std::atomic<std::uint64_t> connections{0};                        // open now
};

}  // namespace edgegw::http
