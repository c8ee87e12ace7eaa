#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "analytics_test_support.hpp"
#include "anomaly/ewma_scorer.hpp"
#include "anomaly/mad_scorer.hpp"
#include "anomaly/rate_scorer.hpp"
#include "anomaly/stuck_scorer.hpp"

using namespace edgegw::analytics;
using edgegw::analytics::testing::Noise;

namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Fraction of clean N(10, 2) samples over threshold after warm-up.
template <typename ScoreFn>
double false_alarm_fraction(ScoreFn&& score, int n, std::uint64_t seed) {
  Noise noise(seed);
  int ready = 0;
  int alarms = 0;
  for (int i = 0; i < n; ++i) {
    const Score s = score(10.0 + 2.0 * noise.gaussian(), i);
    if (s.ready) {
      ++ready;
      alarms += s.ratio >= 1.0 ? 1 : 0;
    }
  }
  return static_cast<double>(alarms) / ready;
}

}  // namespace

TEST_CASE("EWMA z-score flags a spike and not the clean stream around it", "[unit]") {
  const EwmaScorer scorer(100, 30, 1e-4, 3.0, 0.0);
  EwmaState state;
  Noise noise(1);
  for (int i = 0; i < 500; ++i) {
    const Score s = scorer.score_and_update(state, 50.0 + noise.gaussian());
    CHECK(s.ratio < 1.0);
  }
  const Score spike = scorer.score_and_update(state, 60.0);
  CHECK(spike.ready);
  CHECK(spike.ratio > 1.0);
  CHECK(spike.p_value < 1e-4);
  CHECK(spike.expected == Approx(50.0).margin(0.5));
  // The clipped update keeps the spike from dragging the mean.
  CHECK(state.mean == Approx(50.0).margin(0.2));
  CHECK(scorer.score_and_update(state, 50.0 + noise.gaussian()).ratio < 1.0);
}

TEST_CASE("EWMA z-score stays near its false-alarm rate on clean Gaussian data", "[unit]") {
  const double far = 1e-3;
  const EwmaScorer scorer(100, 30, far, 3.0, 0.0);
  EwmaState state;
  const double rate = false_alarm_fraction(
      [&](double x, int) { return scorer.score_and_update(state, x); }, 200'000, 7);
  CHECK(rate > far * 0.3);
  CHECK(rate < far * 3.0);
}

TEST_CASE("MAD z-score flags a spike and stays near its false-alarm rate", "[unit]") {
  const double far = 1e-3;
  MadScorer scorer(64, 32, 4, far, 0.0);
  MadState state = scorer.make_state();
  const double rate = false_alarm_fraction(
      [&](double x, int) { return scorer.score_and_update(state, x); }, 200'000, 11);
  CHECK(rate > far * 0.3);
  CHECK(rate < far * 4.0);
  const Score spike = scorer.score_and_update(state, 30.0);
  CHECK(spike.ratio > 1.0);
  CHECK(spike.expected == Approx(10.0).margin(1.0));
  CHECK(spike.scale == Approx(2.0).margin(0.8));
}

TEST_CASE("MAD z-score survives quantized and constant windows", "[unit]") {
  MadScorer scorer(16, 8, 1, 1e-4, 0.0);
  MadState state = scorer.make_state();
  for (int i = 0; i < 40; ++i) {
    // Mostly one value: the MAD is zero, the mean absolute deviation is not.
    const Score s = scorer.score_and_update(state, i % 5 == 0 ? 1.0 : 0.0);
    CHECK(std::isfinite(s.ratio));
    CHECK(s.ratio < 1.0);
  }
  MadState flat = scorer.make_state();
  for (int i = 0; i < 40; ++i) {
    const Score s = scorer.score_and_update(flat, 5.0);
    CHECK(std::isfinite(s.ratio));
    CHECK(s.ratio == 0.0);
  }
  CHECK(scorer.score_and_update(flat, 6.0).ratio > 1.0);  // a constant that moves
}

TEST_CASE("rate of change flags a jump and skips out-of-order samples", "[unit]") {
  const RateScorer scorer(100, 30, 1e-4, 0.0, std::nullopt);
  RateState state;
  Noise noise(3);
  std::int64_t t = 0;
  double level = 0.0;
  for (int i = 0; i < 300; ++i) {
    level += 0.01;  // a slow ramp: every level differs, the rate is steady
    t += 1000;
    CHECK(scorer.score_and_update(state, level + 0.001 * noise.gaussian(), t).ratio < 1.0);
  }
  // Out of order and duplicate timestamps give no score and do not disturb the state.
  CHECK_FALSE(scorer.score_and_update(state, 1e6, t - 5000).ready);
  CHECK_FALSE(scorer.score_and_update(state, 1e6, t).ready);
  t += 1000;
  CHECK(scorer.score_and_update(state, level + 0.01, t).ratio < 1.0);
  t += 1000;
  CHECK(scorer.score_and_update(state, level + 5.0, t).ratio > 1.0);
}

TEST_CASE("rate of change honours an absolute limit", "[unit]") {
  const RateScorer scorer(100, 1000, 1e-4, 0.0, 2.0);  // warm-up never ends here
  RateState state;
  CHECK_FALSE(scorer.score_and_update(state, 0.0, 0).ready);
  CHECK(scorer.score_and_update(state, 1.0, 1000).ratio == Approx(0.5));
  const Score s = scorer.score_and_update(state, 4.0, 2000);
  CHECK(s.ratio == Approx(1.5));
  CHECK(s.threshold == 2.0);
}

TEST_CASE("stuck sensor needs both the count and the duration", "[unit]") {
  const StuckScorer scorer(10, 60'000, 0.0);
  StuckState state;
  Score s;
  for (int i = 0; i < 10; ++i) {
    s = scorer.score_and_update(state, 3.3, i * 1000);
  }
  CHECK(s.statistic == 10);
  CHECK(s.ratio < 1.0);  // 10 samples but only 9 seconds
  for (int i = 10; i <= 61; ++i) {
    s = scorer.score_and_update(state, 3.3, i * 1000);
  }
  CHECK(s.ratio >= 1.0);
  s = scorer.score_and_update(state, 3.4, 62'000);
  CHECK(s.ratio < 1.0);
  CHECK(s.statistic == 1);
}

TEST_CASE("univariate detectors ignore NaN and infinities without poisoning state", "[unit]") {
  const EwmaScorer ewma(50, 10, 1e-4, 3.0, 0.0);
  MadScorer mad(16, 8, 1, 1e-4, 0.0);
  const RateScorer rate(50, 10, 1e-4, 0.0, std::nullopt);
  const StuckScorer stuck(5, 0, 0.0);
  EwmaState es;
  MadState ms = mad.make_state();
  RateState rs;
  StuckState ss;
  Noise noise(5);
  for (int i = 0; i < 200; ++i) {
    double x = 1.0 + 0.1 * noise.gaussian();
    if (i % 7 == 3) {
      x = kNan;
    } else if (i % 11 == 5) {
      x = (i % 2 == 0) ? kInf : -kInf;
    }
    const std::int64_t t = i * 1000;
    for (const Score& s : {ewma.score_and_update(es, x), mad.score_and_update(ms, x),
                           rate.score_and_update(rs, x, t), stuck.score_and_update(ss, x, t)}) {
      CHECK(std::isfinite(s.ratio));
      CHECK(std::isfinite(s.p_value));
      if (!std::isfinite(x)) {
        CHECK_FALSE(s.ready);
      }
    }
  }
  CHECK(std::isfinite(es.mean));
  CHECK(std::isfinite(es.var));
  CHECK(es.mean == Approx(1.0).margin(0.1));
  CHECK(std::isfinite(rs.ewma.mean));
}

TEST_CASE("EWMA z-score on a constant signal is finite and zero", "[unit]") {
  const EwmaScorer scorer(50, 10, 1e-4, 3.0, 0.0);
  EwmaState state;
  for (int i = 0; i < 100; ++i) {
    const Score s = scorer.score_and_update(state, 42.0);
    CHECK(std::isfinite(s.ratio));
    CHECK(s.ratio == 0.0);
  }
  // With a floor at the sensor's resolution, a one-step change is not an alarm.
  const EwmaScorer floored(50, 10, 1e-4, 3.0, 0.1);
  EwmaState fs;
  for (int i = 0; i < 100; ++i) {
    (void)floored.score_and_update(fs, 42.0);
  }
  CHECK(floored.score_and_update(fs, 42.1).ratio < 1.0);
}
