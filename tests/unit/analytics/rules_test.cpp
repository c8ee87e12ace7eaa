#include <catch2/catch.hpp>

#include "analytics_test_support.hpp"
#include "edgegw/analytics/engine.hpp"

using namespace edgegw::analytics;
using edgegw::analytics::testing::config_with;
using edgegw::analytics::testing::make_sample;
using edgegw::analytics::testing::quiet_profile;

namespace {

Engine overheat_engine() {
  ProfileConfig p = quiet_profile();
  RuleConfig r;
  r.name = "overheat";
  r.sensor = "temperature";
  r.op = RuleOp::above;
  r.threshold = 90.0;
  r.clear = 85.0;
  r.for_ms = 30'000;
  r.severity = Severity::critical;
  p.rules.push_back(r);
  AnalyticsConfig c = config_with(p);
  c.alert_update_interval_ms = 20'000;
  return Engine(c);
}

void feed(Engine& e, std::int64_t t, double temperature, Output& out) {
  e.on_sample(make_sample("m1", t, {{"temperature", temperature}}), "", t, out);
}

}  // namespace

TEST_CASE("a rule raises only after its duration", "[unit]") {
  Engine e = overheat_engine();
  Output out;
  feed(e, 0, 95.0, out);
  feed(e, 20'000, 96.0, out);
  feed(e, 25'000, 89.0, out);  // dips below: the duration starts again
  feed(e, 30'000, 95.0, out);
  feed(e, 50'000, 95.0, out);
  CHECK(out.alerts.empty());
  feed(e, 60'000, 95.0, out);
  REQUIRE(out.alerts.size() == 1);
  const Alert& a = out.alerts[0];
  CHECK(a.state == AlertState::raised);
  CHECK(a.source == "rule:overheat");
  CHECK(a.origin == AlertOrigin::rule);
  CHECK(a.severity == Severity::critical);
  CHECK(a.raised_ms == 60'000);
  CHECK(a.statistic == 95.0);
  CHECK(a.threshold == 90.0);
  CHECK(a.id == "m1/rule:overheat/60000");
  REQUIRE(a.sensors.size() == 1);
  CHECK(a.sensors[0].sensor == "temperature");
}

TEST_CASE("a rule clears with hysteresis and updates at a bounded rate", "[unit]") {
  Engine e = overheat_engine();
  Output out;
  for (std::int64_t t = 0; t <= 30'000; t += 10'000) {
    feed(e, t, 95.0, out);
  }
  REQUIRE(out.alerts.size() == 1);
  out.clear();
  // Between clear (85) and threshold (90): stays open, no new alert.
  feed(e, 40'000, 88.0, out);
  feed(e, 45'000, 91.0, out);
  feed(e, 46'000, 87.0, out);
  CHECK(out.alerts.empty());
  // Hotter: one update, then none until the interval has passed.
  feed(e, 50'000, 99.0, out);
  feed(e, 55'000, 100.0, out);
  feed(e, 60'000, 101.0, out);
  REQUIRE(out.alerts.size() == 1);
  CHECK(out.alerts[0].state == AlertState::updated);
  CHECK(out.alerts[0].id == "m1/rule:overheat/30000");
  feed(e, 70'000, 102.0, out);
  REQUIRE(out.alerts.size() == 2);
  CHECK(out.alerts[1].state == AlertState::updated);
  out.clear();
  feed(e, 80'000, 85.0, out);
  REQUIRE(out.alerts.size() == 1);
  CHECK(out.alerts[0].state == AlertState::cleared);
  CHECK(out.alerts[0].id == "m1/rule:overheat/30000");
  CHECK(e.stats().alerts_raised == 1);
  CHECK(e.stats().alerts_updated == 2);
  CHECK(e.stats().alerts_cleared == 1);
}

TEST_CASE("a below rule and a rule without duration", "[unit]") {
  ProfileConfig p = quiet_profile();
  RuleConfig r;
  r.name = "low_pressure";
  r.sensor = "pressure";
  r.op = RuleOp::below;
  r.threshold = 1.0;
  r.clear = 1.2;
  p.rules.push_back(r);
  Engine e(config_with(p));
  Output out;
  e.on_sample(make_sample("p", 0, {{"pressure", 1.5}}), "", 0, out);
  e.on_sample(make_sample("p", 1, {{"pressure", 0.9}}), "", 0, out);
  REQUIRE(out.alerts.size() == 1);
  e.on_sample(make_sample("p", 2, {{"pressure", 1.1}}), "", 0, out);
  CHECK(out.alerts.size() == 1);
  e.on_sample(make_sample("p", 3, {{"pressure", 1.2}}), "", 0, out);
  REQUIRE(out.alerts.size() == 2);
  CHECK(out.alerts[1].state == AlertState::cleared);
}

TEST_CASE("invalid rules are rejected with the key", "[unit]") {
  ProfileConfig p = quiet_profile();
  RuleConfig r;
  r.name = "bad";
  r.sensor = "t";
  r.threshold = 90.0;
  r.clear = 95.0;  // above an `above` threshold: no hysteresis
  p.rules.push_back(r);
  AnalyticsConfig c = config_with(p);
  const std::vector<std::string> errors = validate(c);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].find("analytics.profiles.default.rules[0].clear") == 0);
  CHECK_THROWS_AS(Engine(c), std::invalid_argument);
}
