#include "store/segment_list.hpp"

#include <algorithm>

namespace edgegw::store {

void SegmentList::push_back(std::shared_ptr<Segment> segment) {
  const std::lock_guard lock(mutex_);
  segments_.push_back(std::move(segment));
}

std::shared_ptr<Segment> SegmentList::active() const {
  const std::lock_guard lock(mutex_);
  return segments_.empty() ? nullptr : segments_.back();
}

std::shared_ptr<Segment> SegmentList::find(std::uint64_t offset) const {
  const std::lock_guard lock(mutex_);
  if (segments_.empty()) {
    return nullptr;
  }
  auto it = std::upper_bound(
      segments_.begin(), segments_.end(), offset,
      [](std::uint64_t value, const auto& segment) { return value < segment->base_offset(); });
  return it == segments_.begin() ? segments_.front() : *std::prev(it);
}

std::shared_ptr<Segment> SegmentList::next_after(std::uint64_t base_offset) const {
  const std::lock_guard lock(mutex_);
  auto it = std::upper_bound(
      segments_.begin(), segments_.end(), base_offset,
      [](std::uint64_t value, const auto& segment) { return value < segment->base_offset(); });
  return it == segments_.end() ? nullptr : *it;
}

std::vector<std::shared_ptr<Segment>> SegmentList::snapshot() const {
  const std::lock_guard lock(mutex_);
  return {segments_.begin(), segments_.end()};
}

std::size_t SegmentList::size() const {
  const std::lock_guard lock(mutex_);
  return segments_.size();
}

std::uint64_t SegmentList::first_offset() const {
  const std::lock_guard lock(mutex_);
  return segments_.empty() ? 0 : segments_.front()->base_offset();
}

std::shared_ptr<Segment> SegmentList::pop_front_below(std::uint64_t offset) {
  const std::lock_guard lock(mutex_);
  if (segments_.size() < 2 || segments_[1]->base_offset() > offset) {
    return nullptr;
  }
  auto front = std::move(segments_.front());
  segments_.pop_front();
  return front;
}

std::shared_ptr<Segment> SegmentList::oldest_sealed() const {
  const std::lock_guard lock(mutex_);
  return segments_.size() < 2 ? nullptr : segments_.front();
}

std::shared_ptr<Segment> SegmentList::drop_oldest(std::uint64_t cursor, std::uint64_t expected_base,
                                                  std::uint64_t kept_records,
                                                  std::uint64_t& lost_records) {
  const std::lock_guard lock(mutex_);
  lost_records = 0;
  if (segments_.size() < 2 || segments_.front()->base_offset() != expected_base) {
    return nullptr;
  }
  auto front = std::move(segments_.front());
  segments_.pop_front();
  const std::uint64_t next_base = segments_.front()->base_offset();
  const std::uint64_t first_unacked = std::max(front->base_offset(), cursor);
  if (next_base > first_unacked) {
    lost_records = next_base - first_unacked - std::min(kept_records, next_base - first_unacked);
    DamageReport report{front->name(),
                        0,
                        front->extent().bytes,
                        first_unacked,
                        next_base - 1,
                        lost_records,
                        DamageReason::dropped_oldest};
    report.kept_records = kept_records;
    drops_.push_back(std::move(report));
  }
  return front;
}

std::uint64_t SegmentList::first_offset_and_drops(std::size_t seen,
                                                  std::vector<DamageReport>& drops) const {
  const std::lock_guard lock(mutex_);
  if (seen < drops_.size()) {
    drops.assign(drops_.begin() + static_cast<std::ptrdiff_t>(seen), drops_.end());
  }
  return segments_.empty() ? 0 : segments_.front()->base_offset();
}

}  // namespace edgegw::store
