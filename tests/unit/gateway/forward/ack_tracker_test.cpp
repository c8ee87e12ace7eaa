#include <catch2/catch.hpp>

#include "forward/ack_tracker.hpp"

using edgegw::forward::AckTracker;

TEST_CASE("the cursor moves only over the contiguous acknowledged prefix", "[unit][forward]") {
  AckTracker t(100);
  CHECK(t.committable() == 100);
  for (std::uint64_t o = 100; o < 105; ++o) {
    t.produced(o);
  }
  CHECK(t.in_flight() == 5);
  CHECK(t.acknowledged(102));
  CHECK(t.acknowledged(104));
  CHECK(t.committable() == 100);  // 100 is still out
  CHECK(t.acknowledged(100));
  CHECK(t.committable() == 101);
  CHECK(t.acknowledged(101));
  CHECK(t.committable() == 103);
  CHECK_FALSE(t.acknowledged(101));  // duplicate report
  CHECK_FALSE(t.acknowledged(999));  // never produced
  CHECK(t.acknowledged(103));
  CHECK(t.committable() == 105);
  CHECK(t.in_flight() == 0);
}

TEST_CASE("skipped ranges (damaged log) do not hold the cursor back", "[unit][forward]") {
  AckTracker t(0);
  t.produced(0);
  t.skipped_to(10);  // 1..9 were damaged
  t.produced(10);
  CHECK(t.acknowledged(0));
  CHECK(t.committable() == 10);
  CHECK(t.acknowledged(10));
  CHECK(t.committable() == 11);
  t.skipped_to(20);
  CHECK(t.committable() == 20);
}
