// The anomaly detector: its per-sensor channels (AnomalyScorer), its episode stage, and
// how the engine turns them into one alert per episode.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "analytics_test_support.hpp"
#include "anomaly/anomaly_scorer.hpp"
#include "anomaly/episode_stage.hpp"
#include "edgegw/analytics/engine.hpp"

using namespace edgegw::analytics;
using edgegw::analytics::testing::config_with;
using edgegw::analytics::testing::make_sample;
using edgegw::analytics::testing::Noise;
using edgegw::analytics::testing::quiet_profile;

namespace {

constexpr std::int64_t kFiveMinutes = 300'000;
constexpr int kPerDay = 288;

// A plant on day shift: 10 from 08:00 to 18:00, 0 otherwise, plus noise.
double shift_signal(int i, Noise& noise) {
  const int bin = i % kPerDay;
  const bool working = bin >= 96 && bin < 216;
  return (working ? 10.0 : 0.0) + 0.2 * noise.gaussian();
}

ProfileConfig anomaly_only() {
  ProfileConfig p = quiet_profile();
  p.anomaly.enabled = true;
  return p;
}

std::size_t count_anomaly(const Output& out, AlertState s) {
  return static_cast<std::size_t>(
      std::count_if(out.alerts.begin(), out.alerts.end(),
                    [&](const Alert& a) { return a.state == s && a.source == "anomaly"; }));
}

}  // namespace

TEST_CASE("a spike in noise scores high, clean noise stays low", "[unit]") {
  const AnomalyScorer scorer{AnomalyConfig{}};
  AnomalySensorState s;
  Noise noise(3);
  double highest_clean = 0.0;
  for (int i = 0; i < 3000; ++i) {
    const double score = scorer.score_and_update(s, 50.0 + noise.gaussian(), i * 1000);
    if (i > 100) {
      highest_clean = std::max(highest_clean, score);
    }
  }
  const double spike = scorer.score_and_update(s, 62.0, 3000 * 1000);
  CHECK(spike > 0.7);
  CHECK(highest_clean < 0.45);  // the default alert threshold
  CHECK(spike > highest_clean + 0.2);
  // The evidence: what the spike channel expected before it saw the spike, and its spread.
  CHECK(s.expected == Approx(50.0).margin(2.0));
  CHECK(s.scale == Approx(1.0).margin(0.5));
}

TEST_CASE("a change of shape scores high even when every value is within range", "[unit]") {
  const AnomalyScorer scorer{AnomalyConfig{}};
  AnomalySensorState s;
  Noise noise(4);
  // A slow sine; then it oscillates four times as fast, between the same bounds.
  double highest_clean = 0.0;
  for (int i = 0; i < 2000; ++i) {
    const double x = std::sin(2 * M_PI * i / 40.0) + 0.01 * noise.gaussian();
    const double score = scorer.score_and_update(s, x, i);
    highest_clean = i > 1000 ? std::max(highest_clean, score) : 0.0;
  }
  double fast = 0.0;
  for (int i = 2000; i < 2020; ++i) {
    fast = std::max(fast, scorer.score_and_update(s, std::sin(2 * M_PI * i / 10.0), i));
  }
  CHECK(fast > 0.45);
  CHECK(fast > highest_clean + 0.2);
}

TEST_CASE("a signal's level does not change its scores, however far it is from zero", "[unit]") {
  // The scorer keeps past values as float offsets from a moving origin: a reading around
  // 10^5 (where a float resolves steps of 1/128, far coarser than this signal's noise)
  // must score as the same reading around 0, before and after the origin moves (every
  // 1024 values), and a spike on it must still stand out.
  const AnomalyScorer scorer{AnomalyConfig{}};
  AnomalySensorState near_zero;
  AnomalySensorState far_out;
  Noise noise(6);
  double worst_gap = 0.0;
  double spike_score = 0.0;
  for (int i = 0; i < 5000; ++i) {
    const double x = (i == 4000 ? 0.5 : 0.0) + 0.01 * std::sin(i / 7.0) + 0.002 * noise.gaussian();
    const double a = scorer.score_and_update(near_zero, x, i * 1000);
    const double b = scorer.score_and_update(far_out, 1.0e5 + x, i * 1000);
    worst_gap = std::max(worst_gap, std::fabs(a - b));
    spike_score = i == 4000 ? b : spike_score;
  }
  CHECK(worst_gap < 0.05);
  CHECK(spike_score > 0.45);
}

TEST_CASE("a daily cycle learnt from the timestamps is not an anomaly", "[unit]") {
  const auto worst_step_on_day = [](bool seasonality, int day) {
    AnomalyConfig c;
    c.seasonality = seasonality;  // the kNN memory (400 windows) holds the last 1.4 days
    const AnomalyScorer scorer{c};
    AnomalySensorState s;
    Noise noise(5);
    double worst = 0.0;
    for (int i = 0; i < (day + 1) * kPerDay; ++i) {
      const double score = scorer.score_and_update(s, shift_signal(i, noise), i * kFiveMinutes);
      const int bin = i % kPerDay;
      if (i / kPerDay == day && (bin == 96 || bin == 216)) {
        worst = std::max(worst, score);
      }
    }
    return worst;
  };
  CHECK(worst_step_on_day(false, 6) > 0.6);  // each morning's step is a jump
  CHECK(worst_step_on_day(true, 6) < 0.4);   // the same step as yesterday is not
}

namespace {
// An episode stage that learns for 10 samples, alerts at 0.5 and clears after 3 quiet ones.
EpisodeStage episode_stage(std::uint32_t horizon, std::uint32_t refractory) {
  AnomalyConfig c;
  c.learning = 10;
  c.horizon = horizon;
  c.refractory = refractory;
  c.threshold = 0.5;
  return EpisodeStage(c, 3);
}
}  // namespace

TEST_CASE("the episode stage reports a peak once, one sample late, then holds off", "[unit]") {
  const EpisodeStage stage = episode_stage(20, 30);
  EpisodeState s;
  std::vector<double> fused(200, 0.1);
  fused[5] = 0.9;  // during learning: never reported
  fused[50] = 0.6;
  fused[51] = 0.8;  // the peak of the first episode
  fused[52] = 0.7;
  fused[60] = 0.95;  // inside the refractory period
  fused[120] = 0.3;  // a peak below the threshold: reported, but no alert
  fused[150] = 0.85;
  std::vector<EpisodeReport> reports;
  for (double f : fused) {
    reports.push_back(stage.on_score(s, f, 0));
  }
  std::vector<std::size_t> reported;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    if (reports[i].score > 0.0) {
      reported.push_back(i);
    }
  }
  CHECK(reported == std::vector<std::size_t>{52, 121, 151});
  CHECK(reports[52].score == Approx(0.8));
  CHECK(reports[52].alert);
  CHECK_FALSE(reports[121].alert);
  CHECK(reports[151].alert);
  CHECK_FALSE(reports[60].settled);  // a surprising sample, inside the refractory period
  CHECK(reports[59].settled);        // quiet since the episode: its alert may clear
  CHECK(reports[100].settled);
}

TEST_CASE("a smaller peak of another sensor inside the horizon is a new report", "[unit]") {
  const EpisodeStage stage = episode_stage(60, 20);
  // Sensor 0 peaks at 0.9; 30 samples later, past the refractory period but inside the
  // horizon, a lower peak comes once from sensor 1 and once from sensor 0 again.
  const auto reported_at_80 = [&](int second_sensor) {
    EpisodeState s;
    EpisodeReport at_80;
    for (int i = 0; i < 120; ++i) {
      const double f = i == 50 ? 0.9 : i == 80 ? 0.7 : 0.1;
      const int sensor = i == 80 ? second_sensor : 0;
      const EpisodeReport r = stage.on_score(s, f, sensor);
      if (i == 81) {
        at_80 = r;
      }
    }
    return at_80;
  };
  const EpisodeReport other = reported_at_80(1);
  CHECK(other.score == Approx(0.7));
  CHECK(other.alert);
  CHECK(reported_at_80(0).score == 0.0);  // the same sensor's burst: one report
}

TEST_CASE("a device's state bytes count what the detector allocates at first use", "[unit]") {
  const AnalyticsConfig c = config_with(anomaly_only());
  Engine e(c);
  Output out;
  for (std::int64_t t = 0; t < 3000; t += 1000) {
    e.on_sample(make_sample("d", t, {{"a", 1.0}, {"b", 2.0}}), "", t, out);
  }
  // Each sensor's values (memory + 2 window) and distances (memory) as floats, allocated
  // at its first value; the episode ring (a float and a sensor index per horizon sample),
  // allocated at the device's second sample.
  const AnomalyConfig& a = c.profiles.at(kDefaultProfile).anomaly;
  const std::uint64_t per_sensor = 4ULL * (2 * a.memory + 2 * a.window);
  const std::uint64_t ring = 6ULL * a.horizon;
  CHECK(e.stats().state_bytes >= 2 * per_sensor + ring);
}

TEST_CASE("one anomaly alert per episode, cleared when the device settles", "[unit]") {
  AnalyticsConfig c = config_with(anomaly_only());
  c.clear_after_samples = 5;
  Engine e(c);
  Output out;
  Noise noise(11);
  std::vector<Alert> alerts;
  bool alerting_after_raise = false;
  std::int64_t t = 0;
  for (int i = 0; i < 3000; ++i, t += 1000) {
    const double x = 20.0 + noise.gaussian() + (i >= 2000 && i < 2003 ? 15.0 : 0.0);
    e.on_sample(make_sample("pump-1", t, {{"flow", x}, {"temp", 60.0 + noise.gaussian()}}), "", t,
                out);
    if (i == 2005) {
      alerting_after_raise = out.alerting;
    }
    alerts.insert(alerts.end(), out.alerts.begin(), out.alerts.end());
    out.alerts.clear();
  }
  out.alerts = alerts;
  REQUIRE(count_anomaly(out, AlertState::raised) == 1);
  CHECK(count_anomaly(out, AlertState::cleared) == 1);
  CHECK(alerting_after_raise);
  CHECK_FALSE(out.alerting);
  const Alert& raised = alerts.front();
  CHECK(raised.raised_ms >= 2000 * 1000);
  CHECK(raised.raised_ms <= 2004 * 1000);
  REQUIRE(raised.sensors.size() == 1);
  CHECK(raised.sensors[0].sensor == "flow");
  CHECK(raised.score >= 1.0);
  CHECK_THAT(raised.message, Catch::Contains("anomaly alert raised on flow"));
}

TEST_CASE("commissioning learns without alerting, afterwards the same anomaly alerts", "[unit]") {
  const auto raised_with_baseline = [](std::uint32_t samples) {
    ProfileConfig p = anomaly_only();
    p.ewma.enabled = true;
    p.baseline.samples = samples;
    Engine e(config_with(p));
    Output out;
    Noise noise(12);
    std::size_t raised = 0;
    for (int i = 0; i < 2500; ++i) {
      const double x = 5.0 + noise.gaussian() + (i == 1200 ? 20.0 : 0.0);
      e.on_sample(make_sample("m", i * 1000, {{"x", x}}), "", i * 1000, out);
      for (const Alert& a : out.alerts) {
        raised += a.state == AlertState::raised ? 1 : 0;
      }
      out.alerts.clear();
      CHECK((i < static_cast<int>(samples) ? out.anomaly_score == 0.0 : true));
    }
    return raised;
  };
  CHECK(raised_with_baseline(0) >= 2);  // ewma and anomaly
  CHECK(raised_with_baseline(1500) == 0);
}
