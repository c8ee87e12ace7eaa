// Where the first life starts decides when a fleet's first failures come: by default
// part-way through a life, or (first_failure_minutes) within a given number of minutes.

#include <catch2/catch.hpp>

#include <algorithm>

#include "sim_test_support.hpp"
#include "wear_process.hpp"

using namespace edgegw::sim;
using namespace edgegw::sim::test;

TEST_CASE("first_failure_minutes puts the first failure in its range, later lives as usual",
          "[unit]") {
  WearConfig w;
  w.min_life_hours = 0.5;
  w.max_life_hours = 2.0;
  w.repair_minutes = 0.5;
  w.first_failure_minutes = std::pair{0.25, 4.0};
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    INFO("seed " << seed);
    WearProcess p(w, 1000, Rng(seed, 2));
    const std::int64_t rul = p.rul_ticks();
    CHECK(rul >= 15);  // 0.25 min of 1 s ticks
    CHECK(rul <= 240);
    CHECK(p.wear() < 1.0);
    std::int64_t ticks = 1;
    for (; p.step() != WearEvent::failed; ++ticks) {
    }
    CHECK(ticks == rul);  // RUL is exact from the first tick
    std::int64_t repair = 1;
    for (; p.step() != WearEvent::repaired; ++repair) {
    }
    CHECK(repair == 30);
    CHECK(p.life() == 2);
    CHECK(p.rul_ticks() >= 1800);  // a whole life of 0.5 to 2 hours
    CHECK(p.rul_ticks() <= 7200);
  }
}

TEST_CASE("first_failure_minutes of one class leaves the other classes' data unchanged", "[unit]") {
  FleetConfig plain = small_fleet({DeviceClass::pump, DeviceClass::motor}, 3);
  quiet(plain);  // no dropouts: both devices publish every tick
  FleetConfig early = plain;
  early.classes[0].wear.first_failure_minutes = std::pair{1.0, 2.0};
  const auto a = generate(plain, 2000);
  const auto b = generate(early, 2000);
  REQUIRE(a.messages.size() == b.messages.size());
  std::size_t motor_messages = 0;
  std::size_t pump_differences = 0;
  for (std::size_t i = 0; i < a.messages.size(); ++i) {
    if (device_of(a.messages[i].topic).starts_with("motor")) {
      ++motor_messages;
      REQUIRE(a.messages[i].payload == b.messages[i].payload);
    } else if (a.messages[i].payload != b.messages[i].payload) {
      ++pump_differences;
    }
  }
  CHECK(motor_messages == 1000);
  CHECK(pump_differences > 0);
  // The pump failed within its range: a failure label in the first 2 minutes.
  const auto failure = std::find_if(b.labels.begin(), b.labels.end(),
                                    [](const Label& l) { return l.type == LabelType::failure; });
  REQUIRE(failure != b.labels.end());
  CHECK(failure->start_ms - early.start_ms <= 120000);
  CHECK(failure->start_ms - early.start_ms >= 59000);
}
