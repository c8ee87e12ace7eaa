#include "forward/ack_tracker.hpp"

#include <algorithm>

namespace edgegw::forward {

void AckTracker::produced(std::uint64_t offset) {
  window_.push_back({offset, false});
  next_unproduced_ = offset + 1;
  ++in_flight_;
}

void AckTracker::skipped_to(std::uint64_t next) {
  next_unproduced_ = std::max(next_unproduced_, next);
}

bool AckTracker::acknowledged(std::uint64_t offset) {
  const auto it = std::lower_bound(window_.begin(), window_.end(), offset,
                                   [](const Entry& e, std::uint64_t o) { return e.offset < o; });
  if (it == window_.end() || it->offset != offset || it->acked) {
    return false;
  }
  it->acked = true;
  --in_flight_;
  drop_acknowledged_prefix();
  return true;
}

void AckTracker::drop_acknowledged_prefix() {
  while (!window_.empty() && window_.front().acked) {
    window_.pop_front();
  }
}

std::uint64_t AckTracker::committable() const {
  return window_.empty() ? next_unproduced_ : window_.front().offset;
}

}  // namespace edgegw::forward
