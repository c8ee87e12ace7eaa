#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "analytics_test_support.hpp"
#include "edgegw/analytics/engine.hpp"

using namespace edgegw::analytics;
using edgegw::analytics::testing::config_with;
using edgegw::analytics::testing::make_sample;
using edgegw::analytics::testing::Noise;
using edgegw::analytics::testing::quiet_profile;

namespace {

std::size_t count_state(const Output& out, AlertState s, const std::string& source) {
  std::size_t n = 0;
  for (const Alert& a : out.alerts) {
    n += (a.state == s && a.source == source) ? 1 : 0;
  }
  return n;
}

ProfileConfig ewma_only() {
  ProfileConfig p = quiet_profile();
  p.ewma.enabled = true;
  return p;
}

}  // namespace

TEST_CASE("a detector alert is raised once, updated at a bounded rate, then cleared", "[unit]") {
  AnalyticsConfig c = config_with(ewma_only());
  c.alert_update_interval_ms = 10'000;
  c.clear_after_samples = 3;
  Engine e(c);
  Output out;
  Noise noise(2);
  std::int64_t t = 0;
  for (int i = 0; i < 300; ++i, t += 1000) {
    e.on_sample(make_sample("d", t, {{"x", noise.gaussian()}}), "", t, out);
  }
  REQUIRE(out.alerts.empty());
  // A sustained excursion that grows: 40 samples far outside.
  for (int i = 0; i < 40; ++i, t += 1000) {
    e.on_sample(make_sample("d", t, {{"x", 20.0 + i}}), "", t, out);
  }
  CHECK(count_state(out, AlertState::raised, "ewma") == 1);
  const std::size_t updates = count_state(out, AlertState::updated, "ewma");
  CHECK(updates >= 1);
  CHECK(updates <= 4);  // 40 s at one update per 10 s at most
  CHECK(count_state(out, AlertState::cleared, "ewma") == 0);
  const Alert& raised = out.alerts.front();
  CHECK(raised.id == "d/ewma/300000");
  CHECK(raised.score >= 1.0);
  CHECK(raised.p_value < 1e-4);
  REQUIRE_FALSE(raised.sensors.empty());
  CHECK(raised.sensors[0].sensor == "x");
  CHECK(raised.sensors[0].value == 20.0);
  CHECK(raised.parameters.size() == 5);
  for (const Alert& a : out.alerts) {
    CHECK(a.id == raised.id);  // one open alert, one identity
  }
  out.clear();
  // Back to normal (the model still knows the old level, clipping kept it there).
  for (int i = 0; i < 5; ++i, t += 1000) {
    e.on_sample(make_sample("d", t, {{"x", noise.gaussian()}}), "", t, out);
  }
  CHECK(count_state(out, AlertState::cleared, "ewma") == 1);
  CHECK(out.alerts.size() == 1);
}

TEST_CASE("profiles select detectors, and unknown profiles fall back and are counted", "[unit]") {
  AnalyticsConfig c = config_with(quiet_profile());
  c.profiles["pump"] = ewma_only();
  Engine e(c);
  Output out;
  for (int i = 0; i < 100; ++i) {
    e.on_sample(make_sample("p1", i * 1000, {{"x", 1.0 + 0.01 * (i % 3)}}), "pump", 0, out);
    e.on_sample(make_sample("q1", i * 1000, {{"x", 1.0 + 0.01 * (i % 3)}}), "", 0, out);
  }
  e.on_sample(make_sample("p1", 100'000, {{"x", 50.0}}), "pump", 0, out);
  CHECK(out.p_value < 1e-6);
  e.on_sample(make_sample("q1", 100'000, {{"x", 50.0}}), "", 0, out);
  CHECK(out.p_value == 1.0);  // default profile here has no detectors
  CHECK(count_state(out, AlertState::raised, "ewma") == 1);
  e.on_sample(make_sample("z1", 0, {{"x", 1.0}}), "nope", 0, out);
  CHECK(e.stats().unknown_profiles == 1);
}

TEST_CASE("alerting tells whether the sample's own device has an alert open", "[unit]") {
  ProfileConfig p = quiet_profile();
  RuleConfig hot;
  hot.name = "hot";
  hot.sensor = "x";
  hot.threshold = 10.0;
  p.rules.push_back(hot);
  Engine e(config_with(p));
  Output out;
  e.on_sample(make_sample("a", 100'000, {{"x", 50.0}}), "", 100'000, out);
  CHECK(out.alerting);
  e.on_sample(make_sample("b", 100'000, {{"x", 1.0}}), "", 100'000, out);
  CHECK_FALSE(out.alerting);  // another device
  e.on_sample(make_sample("a", 1'000, {{"x", 1.0}}), "", 100'000, out);
  CHECK(e.stats().late_samples == 1);
  CHECK(out.alerting);  // a late sample still reports its device's open alert
  e.on_sample(make_sample("a", 101'000, {{"x", 1.0}}), "", 101'000, out);
  CHECK_FALSE(out.alerting);  // cleared
}

TEST_CASE("the device cap rejects new devices and counts them", "[unit]") {
  AnalyticsConfig c = config_with(ewma_only());
  c.max_devices = 3;
  c.max_sensors_per_device = 2;
  Engine e(c);
  Output out;
  for (int d = 0; d < 5; ++d) {
    e.on_sample(make_sample("dev" + std::to_string(d), 0, {{"a", 1.0}, {"b", 2.0}, {"c", 3.0}}), "",
                0, out);
  }
  const EngineStats s = e.stats();
  CHECK(s.devices_tracked == 3);
  CHECK(s.devices_rejected == 2);
  CHECK(s.sensors_rejected == 3);  // the third sensor of each tracked device
  CHECK(s.state_bytes > 0);
}

TEST_CASE("idle devices are evicted, flushing windows and closing their alerts", "[unit]") {
  ProfileConfig p = quiet_profile();
  p.silence.enabled = true;
  p.silence.warmup = 3;
  p.silence.min_silence_ms = 0;
  AnalyticsConfig c = config_with(p);
  c.idle_eviction_ms = 60'000;
  Engine e(c);
  Output out;
  for (int i = 0; i < 10; ++i) {
    e.on_sample(make_sample("d", i * 1000, {{"x", 1.0}}), "", i * 1000, out);
  }
  e.on_sample(make_sample("other", 0, {{"x", 1.0}}), "", 50'000, out);
  const std::uint64_t bytes_with_two = e.stats().state_bytes;
  e.on_tick(20'000, out);  // 11 s silent, usual interval 1 s: silence alert
  REQUIRE(count_state(out, AlertState::raised, "silence") == 1);
  e.on_tick(21'000, out);
  CHECK(count_state(out, AlertState::raised, "silence") == 1);  // no spam
  out.clear();
  e.on_tick(70'000, out);  // d idle 61 s: evicted; "other" idle 20 s: kept
  CHECK(e.stats().devices_evicted == 1);
  CHECK(e.stats().devices_tracked == 1);
  CHECK(e.stats().state_bytes < bytes_with_two);
  CHECK(count_state(out, AlertState::cleared, "silence") == 1);
  CHECK_FALSE(out.aggregates.empty());
  // Returning after eviction: a new device, state rebuilt from scratch.
  e.on_sample(make_sample("d", 80'000, {{"x", 1.0}}), "", 80'000, out);
  CHECK(e.stats().devices_created == 3);
}

TEST_CASE("silence clears when the device speaks again", "[unit]") {
  ProfileConfig p = quiet_profile();
  p.silence.enabled = true;
  p.silence.warmup = 3;
  p.silence.intervals = 5;
  p.silence.min_silence_ms = 0;
  Engine e(config_with(p));
  Output out;
  for (int i = 0; i < 10; ++i) {
    e.on_sample(make_sample("d", i * 1000, {{"x", 1.0}}), "", i * 1000, out);
  }
  e.on_tick(13'000, out);  // 4 s: within 5 intervals
  CHECK(out.alerts.empty());
  e.on_tick(15'000, out);
  REQUIRE(out.alerts.size() == 1);
  CHECK(out.alerts[0].severity == Severity::critical);
  CHECK(out.alerts[0].statistic == Approx(6.0));
  e.on_sample(make_sample("d", 16'000, {{"x", 1.0}}), "", 16'000, out);
  REQUIRE(out.alerts.size() == 2);
  CHECK(out.alerts[1].state == AlertState::cleared);
}

TEST_CASE("garbage input never crashes or poisons the engine", "[unit]") {
  AnalyticsConfig c;
  c.enabled = true;  // every detector of the default profile
  c.window_ms = 5'000;
  Engine e(c);
  Output out;
  Noise noise(9);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  std::int64_t t = 0;
  for (int i = 0; i < 3000; ++i) {
    t += (i % 17 == 0) ? -20'000 : 1000;  // jumps back in time now and then
    double a = noise.gaussian();
    double b = 2.0 * a + 0.1 * noise.gaussian();
    if (i % 13 == 0) {
      a = nan;
    }
    if (i % 29 == 0) {
      b = (i % 2 == 0) ? inf : -inf;
    }
    if (i % 31 == 0) {
      b = 1e300;
    }
    e.on_sample(make_sample("d", t, {{"a", a}, {"b", b}, {"flat", 3.0}}), "", i * 1000, out);
    REQUIRE(std::isfinite(out.anomaly_score));
    REQUIRE(out.anomaly_score >= 0.0);
    REQUIRE(out.anomaly_score <= 1.0);
    for (const ScoreEntry& s : out.scores) {
      REQUIRE(!std::isnan(s.score));
      REQUIRE(!std::isnan(s.p_value));
    }
  }
  e.on_tick(t + 1'000'000, out);
  e.flush(out);
  for (const Aggregate& a : out.aggregates) {
    CHECK(std::isfinite(a.mean));
    CHECK(std::isfinite(a.min));
  }
  // After the storm, clean data scores low again.
  out.clear();
  for (int i = 0; i < 200; ++i) {
    t += 1000;
    const double a = noise.gaussian();
    e.on_sample(
        make_sample("d", t, {{"a", a}, {"b", 2.0 * a + 0.1 * noise.gaussian()}, {"flat", 3.0}}), "",
        4'000'000 + i * 1000, out);
  }
  CHECK(out.anomaly_score < 0.999);
  CHECK(e.stats().late_samples > 0);
  CHECK(e.stats().invalid_values > 0);
}

TEST_CASE("the same input gives the same output", "[unit]") {
  const auto run = [] {
    AnalyticsConfig c;
    c.enabled = true;
    Engine e(c);
    Output out;
    Noise noise(77);
    std::vector<double> scores;
    std::vector<std::string> alerts;
    for (int i = 0; i < 2000; ++i) {
      for (const char* dev : {"a", "b", "c"}) {
        const double x = noise.gaussian() + (i == 1500 ? 25.0 : 0.0);
        e.on_sample(make_sample(dev, i * 1000, {{"x", x}, {"y", x + noise.gaussian()}}), "",
                    i * 1000, out);
        scores.push_back(out.anomaly_score);
      }
      if (i % 10 == 0) {
        e.on_tick(i * 1000, out);
      }
    }
    e.flush(out);
    for (const Alert& a : out.alerts) {
      alerts.push_back(a.id + std::string(alert_state_name(a.state)) + a.message);
    }
    return std::make_tuple(scores, alerts, out.aggregates.size());
  };
  const auto first = run();
  const auto second = run();
  CHECK(std::get<0>(first) == std::get<0>(second));
  CHECK(std::get<1>(first) == std::get<1>(second));
  CHECK(std::get<2>(first) == std::get<2>(second));
  CHECK_FALSE(std::get<1>(first).empty());
}

TEST_CASE("a change of operating state holds the detectors while it settles", "[unit]") {
  ProfileConfig p = ewma_only();
  p.stuck.enabled = true;
  p.operating_state.sensor = "state";
  p.operating_state.settle_ms = 30'000;
  Engine e(config_with(p));
  Output out;
  Noise noise(3);
  std::int64_t t = 0;
  const auto feed = [&](double x, double state) {
    e.on_sample(make_sample("d", t, {{"x", x}, {"state", state}}), "", t, out);
    t += 1000;
  };
  for (int i = 0; i < 300; ++i) {
    feed(noise.gaussian(), 1.0);  // the state never changes: stuck must not watch it
  }
  REQUIRE(out.alerts.empty());
  // The machine stops: for ten seconds every reading swings, then settles back.
  for (int i = 0; i < 10; ++i) {
    feed(20.0, 0.0);
  }
  for (int i = 0; i < 100; ++i) {
    feed(noise.gaussian(), 0.0);
  }
  CHECK(count_state(out, AlertState::raised, "ewma") == 0);
  CHECK(e.stats().state_changes == 1);
  // The same swing with no change of state is an anomaly.
  for (int i = 0; i < 10; ++i) {
    feed(20.0, 0.0);
  }
  CHECK(count_state(out, AlertState::raised, "ewma") == 1);
  CHECK(count_state(out, AlertState::raised, "stuck") == 0);
}

TEST_CASE("a frozen baseline sees a slow drift that an adapting model learns", "[unit]") {
  const auto raised_during_drift = [](bool freeze) {
    ProfileConfig p = ewma_only();
    p.baseline.samples = 300;
    p.baseline.freeze = freeze;
    Engine e(config_with(p));
    Output out;
    Noise noise(4);
    std::int64_t t = 0;
    for (int i = 0; i < 2300; ++i, t += 1000) {
      const double drift = i < 300 ? 0.0 : 0.01 * (i - 300);  // 20 sigma over 2000 samples
      e.on_sample(make_sample("d", t, {{"x", drift + noise.gaussian()}}), "", t, out);
    }
    return count_state(out, AlertState::raised, "ewma");
  };
  CHECK(raised_during_drift(false) == 0);
  CHECK(raised_during_drift(true) >= 1);  // raised (and again as the drift grows)
}

TEST_CASE("scored_detectors lists every detector that scores, in the order of its scores",
          "[unit]") {
  ProfileConfig p = quiet_profile();
  p.ewma.enabled = p.mad.enabled = p.rate.enabled = p.stuck.enabled = true;
  p.ewma.warmup = p.rate.warmup = 3;
  p.mad.warmup = 3;
  p.stuck.min_samples = 2;
  p.multivariate.mahalanobis = p.multivariate.pca = true;
  p.multivariate.warmup = 3;
  Engine e(config_with(p));
  Output out;
  Noise noise(7);
  for (int i = 0; i < 200; ++i) {
    e.on_sample(make_sample("d", i * 1000, {{"a", noise.gaussian()}, {"b", noise.gaussian()}}), "",
                i * 1000, out);
  }
  const std::span<const DetectorKind> listed = scored_detectors();
  std::vector<DetectorKind> seen;
  for (const ScoreEntry& s : out.scores) {
    seen.push_back(s.kind);
  }
  // Sensor a's four per-sensor detectors, sensor b's, then the device-level ones.
  const std::size_t per_sensor = 4;
  std::vector<DetectorKind> expected;
  for (int sensor = 0; sensor < 2; ++sensor) {
    for (std::size_t k = 0; k < per_sensor; ++k) {
      expected.push_back(listed[k]);
    }
  }
  for (std::size_t k = per_sensor; k < listed.size(); ++k) {
    expected.push_back(listed[k]);
  }
  CHECK(seen == expected);
  CHECK(listed.size() == 6);
  for (const DetectorKind k : listed) {
    CHECK(std::count(listed.begin(), listed.end(), k) == 1);
  }
}
