#pragma once
// Rate limit for a log line that bad input can repeat (one per message of a storm): at
// most one line per interval gets through, and it says how many were held back since
// the last one, so that the journal stays readable and its disk bounded while nothing
// goes unmentioned. Counters on /metrics carry the exact numbers.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>

namespace edgegw {

class LogThrottle {
 public:
  using Clock = std::chrono::steady_clock;

  explicit LogThrottle(Clock::duration interval = std::chrono::seconds(10)) : interval_(interval) {}

  // Whether to write the line now: the number of lines held back since the last one
  // written (0 for the first), or nothing when this one is held back too. Thread-safe.
  std::optional<std::uint64_t> admit(Clock::time_point now = Clock::now()) {
    const std::lock_guard lock(mutex_);
    if (written_once_ && now - last_written_ < interval_) {
      ++held_back_;
      return std::nullopt;
    }
    written_once_ = true;
    last_written_ = now;
    const std::uint64_t held_back = held_back_;
    held_back_ = 0;
    return held_back;
  }

 private:
  std::mutex mutex_;
  Clock::duration interval_;
  bool written_once_ = false;
  Clock::time_point last_written_{};
  std::uint64_t held_back_ = 0;
};

}  // namespace edgegw
