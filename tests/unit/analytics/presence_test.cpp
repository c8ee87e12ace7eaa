// The offline alert: a device's death certificate raises it, its birth or its data
// clears it, and the silence detector does not raise a second alert for the same gap.

#include <catch2/catch.hpp>

#include <string>

#include "analytics_test_support.hpp"
#include "edgegw/analytics/engine.hpp"

using namespace edgegw::analytics;
using edgegw::Presence;
using edgegw::PresenceChange;
using edgegw::analytics::testing::config_with;
using edgegw::analytics::testing::make_sample;
using edgegw::analytics::testing::quiet_profile;

namespace {

PresenceChange change(const std::string& device, Presence presence) {
  const bool online = presence == Presence::online;
  return {device,
          presence,
          online ? "birth_certificate" : "death_certificate",
          {{"group", "plant"},
           {"edge_node", "node1"},
           {"device", device},
           {"message", online ? "DBIRTH" : "DDEATH"}}};
}

ProfileConfig with_silence() {
  ProfileConfig p = quiet_profile();
  p.silence.enabled = true;
  p.silence.warmup = 3;
  p.silence.intervals = 5;
  p.silence.min_silence_ms = 0;
  return p;
}

// Ten samples a second apart, 0 to 9 s.
void feed(Engine& e, const std::string& device, Output& out) {
  for (int i = 0; i < 10; ++i) {
    e.on_sample(make_sample(device, i * 1000, {{"x", 1.0}}), "", i * 1000, out);
  }
}

}  // namespace

TEST_CASE("a death certificate raises the offline alert and a birth clears it", "[unit]") {
  Engine e(config_with(with_silence()));
  Output out;
  feed(e, "d", out);
  e.on_presence(change("d", Presence::offline), "", 10'000, out);
  REQUIRE(out.alerts.size() == 1);
  const Alert raised = out.alerts[0];  // a copy: out.alerts grows below
  CHECK(raised.source == "offline");
  CHECK(raised.state == AlertState::raised);
  CHECK(raised.origin == AlertOrigin::detector);
  CHECK(raised.id == "d/offline/10000");
  CHECK(raised.severity == Severity::critical);  // the profile's silence severity
  CHECK(raised.reason == "death_certificate");
  REQUIRE(raised.context.size() == 4);
  CHECK(raised.context[1] == std::pair<std::string, std::string>{"edge_node", "node1"});
  CHECK(raised.message.find("DDEATH") != std::string::npos);

  e.on_presence(change("d", Presence::offline), "", 11'000, out);  // a repeated death
  CHECK(out.alerts.size() == 1);

  e.on_presence(change("d", Presence::online), "", 30'000, out);
  REQUIRE(out.alerts.size() == 2);
  const Alert& cleared = out.alerts[1];
  CHECK(cleared.state == AlertState::cleared);
  CHECK(cleared.id == raised.id);
  CHECK(cleared.reason == "birth_certificate");
  CHECK(cleared.statistic == Approx(20.0));  // seconds offline
  CHECK(e.stats().alerts_raised == 1);
  CHECK(e.stats().alerts_cleared == 1);
}

TEST_CASE("data of a device clears its offline alert", "[unit]") {
  Engine e(config_with(with_silence()));
  Output out;
  feed(e, "d", out);
  e.on_presence(change("d", Presence::offline), "", 10'000, out);
  e.on_sample(make_sample("d", 12'000, {{"x", 1.0}}), "", 12'000, out);
  REQUIRE(out.alerts.size() == 2);
  CHECK(out.alerts[1].state == AlertState::cleared);
  CHECK(out.alerts[1].source == "offline");
  CHECK(out.alerts[1].reason.empty());
  CHECK(out.alerts[1].message.find("data arrived") != std::string::npos);
}

TEST_CASE("a device has one alert for being gone: offline or silence, whichever is first",
          "[unit]") {
  Engine e(config_with(with_silence()));
  Output out;
  feed(e, "dead", out);
  feed(e, "silent", out);
  SECTION("silence does not raise while the offline alert is open") {
    e.on_presence(change("dead", Presence::offline), "", 10'000, out);
    e.on_tick(60'000, out);  // 51 s silent, five intervals are 5 s
    REQUIRE(out.alerts.size() == 2);
    CHECK(out.alerts[0].device == "dead");
    CHECK(out.alerts[0].source == "offline");
    CHECK(out.alerts[1].device == "silent");
    CHECK(out.alerts[1].source == "silence");
    // Back: the offline alert clears; silence starts afresh from the birth's data.
    e.on_presence(change("dead", Presence::online), "", 61'000, out);
    e.on_sample(make_sample("dead", 61'000, {{"x", 1.0}}), "", 61'000, out);
    REQUIRE(out.alerts.size() == 3);
    CHECK(out.alerts[2].source == "offline");
    CHECK(out.alerts[2].state == AlertState::cleared);
  }
  SECTION("a death after the silence alert raises nothing more") {
    e.on_tick(20'000, out);
    REQUIRE(out.alerts.size() == 2);  // both silent
    e.on_presence(change("silent", Presence::offline), "", 21'000, out);
    CHECK(out.alerts.size() == 2);
    e.on_sample(make_sample("silent", 22'000, {{"x", 1.0}}), "", 22'000, out);
    REQUIRE(out.alerts.size() == 3);
    CHECK(out.alerts[2].source == "silence");
    CHECK(out.alerts[2].state == AlertState::cleared);
  }
}

TEST_CASE("a death takes up a device never seen, a birth of one is nothing", "[unit]") {
  AnalyticsConfig c = config_with(quiet_profile());
  c.idle_eviction_ms = 60'000;
  Engine e(c);
  Output out;
  e.on_presence(change("new", Presence::online), "", 1'000, out);
  CHECK(out.alerts.empty());
  CHECK(e.stats().devices_created == 0);
  e.on_presence(change("node1", Presence::offline), "", 2'000, out);
  REQUIRE(out.alerts.size() == 1);
  CHECK(out.alerts[0].device == "node1");
  CHECK(e.stats().devices_created == 1);
  e.on_tick(61'000, out);  // idle since its death, not since the epoch: not evicted
  CHECK(out.alerts.size() == 1);
  e.on_presence(change("node1", Presence::online), "", 61'000, out);
  REQUIRE(out.alerts.size() == 2);
  CHECK(out.alerts[1].state == AlertState::cleared);
}

TEST_CASE("an open offline alert survives a checkpoint and clears after the restore", "[unit]") {
  const AnalyticsConfig c = config_with(with_silence());
  Engine e(c);
  Output out;
  feed(e, "d", out);
  e.on_presence(change("d", Presence::offline), "", 10'000, out);
  Engine restored(c);
  REQUIRE(restored.restore(e.checkpoint(), 10'000).restored);
  out.clear();
  restored.on_presence(change("d", Presence::online), "", 12'000, out);
  REQUIRE(out.alerts.size() == 1);
  CHECK(out.alerts[0].id == "d/offline/10000");
  CHECK(out.alerts[0].state == AlertState::cleared);
}

TEST_CASE("idle eviction closes an open offline alert", "[unit]") {
  AnalyticsConfig c = config_with(quiet_profile());
  c.idle_eviction_ms = 60'000;
  Engine e(c);
  Output out;
  e.on_sample(make_sample("d", 0, {{"x", 1.0}}), "", 0, out);
  e.on_presence(change("d", Presence::offline), "", 1'000, out);
  e.on_tick(61'000, out);
  REQUIRE(out.alerts.size() == 2);
  CHECK(out.alerts[1].source == "offline");
  CHECK(out.alerts[1].state == AlertState::cleared);
}
