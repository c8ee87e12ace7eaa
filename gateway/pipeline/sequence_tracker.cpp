#include "pipeline/sequence_tracker.hpp"

namespace edgegw::pipeline {

SequenceTracker::Change SequenceTracker::observe(const std::string& device, std::int64_t sequence) {
  Change change;
  const auto it = last_.find(device);
  if (it == last_.end()) {
    if (last_.size() < max_devices_) {
      last_.emplace(device, sequence);
    }
    return change;
  }
  if (sequence <= it->second) {
    // A device restart resets its counter to 0 or 1; anything else is a repeat.
    change.repeated = sequence > 1;
  } else {
    change.missing = static_cast<std::uint64_t>(sequence - it->second - 1);
  }
  it->second = sequence;
  return change;
}

}  // namespace edgegw::pipeline
