#pragma once
// The log's segments in offset order, shared by the writer (roll, drop_oldest), the
// reader (lookup, commit) and the sync thread (the active segment). One mutex, held only
// to change or look up the list, never during I/O; the per-record paths do not take it
// (the writer keeps its own pointer to the active segment, the reader to its current one).
//
// Also keeps the ranges drop_oldest removed before they were acknowledged, so that the
// reader can report them.

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "edgegw/log.hpp"
#include "store/segment.hpp"

namespace edgegw::store {

class SegmentList {
 public:
  void push_back(std::shared_ptr<Segment> segment);
  [[nodiscard]] std::shared_ptr<Segment> active() const;
  // The segment whose offsets may include `offset` (the last with base <= offset), or the
  // first segment when `offset` is below all of them.
  [[nodiscard]] std::shared_ptr<Segment> find(std::uint64_t offset) const;
  [[nodiscard]] std::shared_ptr<Segment> next_after(std::uint64_t base_offset) const;
  [[nodiscard]] std::vector<std::shared_ptr<Segment>> snapshot() const;
  [[nodiscard]] std::size_t size() const;
  [[nodiscard]] std::uint64_t first_offset() const;

  // Removes and returns the oldest segment if it is not the active one and every offset
  // in it is below `offset` (the next segment starts at or below it); else nullptr.
  std::shared_ptr<Segment> pop_front_below(std::uint64_t offset);
  // The oldest segment if it is not the active one (a candidate for drop_oldest).
  [[nodiscard]] std::shared_ptr<Segment> oldest_sealed() const;
  // drop_oldest: removes and returns the oldest segment if it is not the active one and
  // its base is `expected_base`. When it held offsets at or above `cursor`, records them
  // as a dropped range in the same critical section, so that no reader sees the new
  // first offset without the drop. `kept_records` of them are appended again elsewhere
  // (priority streams): `lost_records` excludes them.
  std::shared_ptr<Segment> drop_oldest(std::uint64_t cursor, std::uint64_t expected_base,
                                       std::uint64_t kept_records, std::uint64_t& lost_records);

  // The first offset and the drops recorded since index `seen`, read together.
  std::uint64_t first_offset_and_drops(std::size_t seen, std::vector<DamageReport>& drops) const;

 private:
  mutable std::mutex mutex_;
  std::deque<std::shared_ptr<Segment>> segments_;
  std::vector<DamageReport> drops_;
};

}  // namespace edgegw::store
