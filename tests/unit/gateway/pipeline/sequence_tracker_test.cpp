#include <catch2/catch.hpp>

#include "pipeline/sequence_tracker.hpp"

using edgegw::DeviceTableLimits;
using edgegw::pipeline::SequenceTracker;

TEST_CASE("sequence gaps and repeats are counted per device", "[unit][pipeline]") {
  SequenceTracker tracker;
  CHECK(tracker.observe("a", 5, 0).missing == 0);  // first sight: nothing to compare
  CHECK(tracker.observe("a", 6, 0).missing == 0);
  CHECK(tracker.observe("a", 9, 0).missing == 2);
  CHECK(tracker.observe("a", 9, 0).repeated);
  CHECK_FALSE(tracker.observe("a", 1, 0).repeated);  // a restart
  CHECK(tracker.observe("b", 100, 0).missing == 0);
  CHECK(tracker.devices() == 2);
}

TEST_CASE("the sequence tracker is capped and forgets idle devices", "[unit][pipeline]") {
  SequenceTracker tracker(DeviceTableLimits{2, 60'000});
  tracker.observe("a", 1, 0);
  tracker.observe("b", 1, 0);
  CHECK(tracker.observe("c", 1, 0).missing == 0);
  CHECK(tracker.observe("c", 5, 0).missing == 0);  // refused: not tracked
  CHECK(tracker.counters().refused == 2);
  tracker.observe("b", 2, 30'000);
  tracker.evict_idle(60'000);  // a: idle for 60 s
  CHECK(tracker.counters().evicted == 1);
  CHECK(tracker.devices() == 1);
  // c takes a's place; a gap across the eviction is not counted.
  CHECK(tracker.observe("c", 6, 61'000).missing == 0);
  CHECK(tracker.observe("c", 8, 62'000).missing == 1);
  CHECK(tracker.observe("a", 50, 62'000).missing == 0);  // full again
  CHECK(tracker.counters().refused == 3);
}

TEST_CASE("a repeat does not move a device's last sequence number back",
          "[unit][pipeline][exactly_once]") {
  SequenceTracker tracker;
  tracker.observe("a", 10, 0);
  CHECK(tracker.observe("a", 9, 0).repeated);   // redelivered
  CHECK(tracker.observe("a", 10, 0).repeated);  // redelivered: still behind the last
  const SequenceTracker::Change next = tracker.observe("a", 11, 0);
  CHECK_FALSE(next.repeated);
  CHECK(next.missing == 0);
}

TEST_CASE("numbers recalled from the log make redeliveries recognisable",
          "[unit][pipeline][exactly_once]") {
  SequenceTracker tracker;
  tracker.remember("a", 7, 0);
  tracker.remember("a", 5, 0);  // older records of the tail do not lower it
  CHECK(tracker.observe("a", 7, 0).repeated);
  CHECK_FALSE(tracker.observe("a", 8, 0).repeated);
}
