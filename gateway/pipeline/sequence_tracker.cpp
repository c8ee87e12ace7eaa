#include "pipeline/sequence_tracker.hpp"

#include <algorithm>
#include <string>

namespace edgegw::pipeline {

SequenceTracker::Change SequenceTracker::observe(std::string_view device, std::int64_t sequence,
                                                 std::int64_t now_ms) {
  Change change;
  bool first = false;
  std::int64_t* last =
      last_.find_or_admit(device, now_ms, [&](const std::string&, std::int64_t& s) {
        s = sequence;
        first = true;
      });
  if (last == nullptr || first) {
    return change;  // refused (counted by the table), or nothing to compare with yet
  }
  if (sequence <= *last) {
    // A device restart resets its counter to 0 or 1; anything else is a repeat, which
    // leaves the last number as it is: a redelivered message is no step back.
    change.repeated = sequence > 1;
    if (change.repeated) {
      return change;
    }
  } else {
    change.missing = static_cast<std::uint64_t>(sequence - *last - 1);
  }
  *last = sequence;
  return change;
}

void SequenceTracker::remember(std::string_view device, std::int64_t sequence,
                               std::int64_t now_ms) {
  std::int64_t* last = last_.find_or_admit(
      device, now_ms, [&](const std::string&, std::int64_t& s) { s = sequence; });
  if (last != nullptr) {
    *last = std::max(*last, sequence);
  }
}

}  // namespace edgegw::pipeline
