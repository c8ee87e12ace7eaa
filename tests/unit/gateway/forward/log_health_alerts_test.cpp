#include <catch2/catch.hpp>

#include "forward/log_health_alerts.hpp"

namespace edgegw::forward {
namespace {

using analytics::AlertState;
using std::chrono::milliseconds;

store::LogStats dropped(std::uint64_t records) {
  store::LogStats stats;
  stats.dropped_records = records;
  return stats;
}

}  // namespace

TEST_CASE("a log drop raises one health alert, updated while drops go on, then cleared", "[unit]") {
  LogHealthAlerts health("gw-1", milliseconds(60000), milliseconds(10000));
  CHECK(health.observe(dropped(0), 1000).empty());

  auto out = health.observe(dropped(40), 2000);
  REQUIRE(out.size() == 1);
  CHECK(out[0].state == AlertState::raised);
  CHECK(out[0].device == "gw-1");
  CHECK(out[0].source == "health:log_dropped");
  CHECK(out[0].severity == analytics::Severity::critical);
  CHECK(out[0].statistic == 40);
  CHECK(out[0].id == "gw-1/health:log_dropped/2000");
  CHECK(out[0].origin == analytics::AlertOrigin::health);

  CHECK(health.observe(dropped(50), 5000).empty());  // within update_every: quiet
  out = health.observe(dropped(70), 12000);
  REQUIRE(out.size() == 1);
  CHECK(out[0].state == AlertState::updated);
  CHECK(out[0].statistic == 70);  // all lost since raised
  CHECK(out[0].id == "gw-1/health:log_dropped/2000");
  CHECK(out[0].origin == analytics::AlertOrigin::health);

  CHECK(health.observe(dropped(70), 60000).empty());  // 48 s since the last drop
  out = health.observe(dropped(70), 72000);
  REQUIRE(out.size() == 1);
  CHECK(out[0].state == AlertState::cleared);
  CHECK(out[0].id == "gw-1/health:log_dropped/2000");
  CHECK(out[0].origin == analytics::AlertOrigin::health);
  CHECK(health.observe(dropped(70), 200000).empty());

  out = health.observe(dropped(71), 300000);  // a new episode, a new alert
  REQUIRE(out.size() == 1);
  CHECK(out[0].state == AlertState::raised);
  CHECK(out[0].statistic == 1);
  CHECK(out[0].id == "gw-1/health:log_dropped/300000");
}

TEST_CASE("damage found by recovery raises a health alert at the first look", "[unit]") {
  LogHealthAlerts health("gw-1", milliseconds(60000), milliseconds(10000));
  store::LogStats stats;
  stats.corrupt_bytes = 512;
  stats.truncated_tail_bytes = 100;  // not a loss: the broker delivers that message again
  const auto out = health.observe(stats, 1000);
  REQUIRE(out.size() == 1);
  CHECK(out[0].source == "health:log_damaged");
  CHECK(out[0].severity == analytics::Severity::warning);
  CHECK(out[0].statistic == 512);
}

}  // namespace edgegw::forward
