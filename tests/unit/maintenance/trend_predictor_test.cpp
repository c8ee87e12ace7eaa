#include <catch2/catch.hpp>
#include <cmath>
#include <optional>
#include <vector>

#include "edgegw/analytics/maintenance_trend_predictor.hpp"

namespace edgegw::analytics {
namespace {

// Offline there is no arrival time: a sample arrives at its own event time.
MaintenanceUpdate observe(MaintenanceEstimator& estimator, const Sample& sample) {
  return estimator.observe(sample, sample.timestamp_ms);
}

constexpr std::int64_t kStart = 1'704'067'200'000;
constexpr std::int64_t kHour = 3'600'000;

// A bearing's vibration, 2 mm/s when new, growing 0.5 mm/s per hour, with ±0.3 of
// deterministic noise: it reaches the 10 mm/s failure level at hour 16.
Sample vibration_at(std::int64_t ms, double level) {
  Sample s;
  s.device = "pump-1";
  s.timestamp_ms = ms;
  s.readings = {{"flow", 40.0, ""},
                {"vibration", level + 0.3 * std::sin(static_cast<double>(ms) / 7e3), ""}};
  return s;
}

MaintenanceConfig trend_config() {
  MaintenanceConfig c;
  c.device_class = "pump";
  c.horizon = 2.0;  // hours
  c.clear_margin = 1.0;
  c.update_step = 10.0;  // no updates between raise and clear: easier to count
  TrendEstimatorConfig t;
  t.indicator = "vibration";
  t.fit.threshold = 10.0;
  t.spacing_ms = std::int64_t{5} * 60'000;  // a point per 5 min, 60 of them: the last 5 h
  c.trend = t;
  return c;
}

TEST_CASE("a trend predicts the time to the failure level and raises before it", "[unit]") {
  TrendPredictor predictor(trend_config());
  CHECK(predictor.name() == "trend-vibration");
  std::vector<Prediction> predictions;
  std::vector<Alert> alerts;
  for (std::int64_t ms = kStart; ms < kStart + 15 * kHour; ms += 10'000) {
    const double hours = static_cast<double>(ms - kStart) / kHour;
    MaintenanceUpdate u = observe(predictor, vibration_at(ms, 2.0 + 0.5 * hours));
    if (u.prediction)
      predictions.push_back(*u.prediction);
    if (u.alert)
      alerts.push_back(*u.alert);
  }
  // One prediction per closed 5-minute point once 5 points exist.
  CHECK(predictions.size() == 15 * 12 - 5);
  for (const Prediction& p : predictions) {
    const double hours = static_cast<double>(p.timestamp_ms - kStart) / kHour;
    REQUIRE(p.unit == "hours");
    if (p.samples_seen >= 12) {  // an hour of history: the slope is known well
      CHECK(p.rul == Approx(16.0 - hours).margin(0.25));  // the true time to 10 mm/s
    }
    CHECK(p.rul_lower <= p.rul);
    CHECK(p.rul_upper >= p.rul);
  }
  REQUIRE(alerts.size() >= 1);
  CHECK(alerts[0].state == AlertState::raised);
  CHECK(alerts[0].source == "maintenance:trend-vibration");
  const double raised_hour = static_cast<double>(alerts[0].raised_ms - kStart) / kHour;
  CHECK(raised_hour == Approx(14.0).margin(0.25));  // 2 h before the failure level
  CHECK(alerts[0].window_ms == 5 * kHour);          // the fitted history: 60 points of 5 min
}

TEST_CASE("a trend's alert clears after a repair, and stray samples do not disturb it", "[unit]") {
  TrendPredictor predictor(trend_config());
  std::optional<Alert> last;
  const auto feed = [&](std::int64_t ms, double level) {
    MaintenanceUpdate u = observe(predictor, vibration_at(ms, level));
    if (u.alert)
      last = u.alert;
  };
  std::int64_t ms = kStart;
  for (; ms < kStart + 15 * kHour; ms += 10'000) {
    feed(ms, 2.0 + 0.5 * static_cast<double>(ms - kStart) / kHour);
  }
  REQUIRE(last);
  CHECK(last->state == AlertState::raised);
  // Garbage and out-of-order samples: ignored.
  feed(ms, std::nan(""));
  feed(kStart, 50.0);
  Sample other;
  other.device = "pump-1";
  other.timestamp_ms = ms;
  other.readings = {{"flow", 1.0, ""}};
  CHECK_FALSE(observe(predictor, other).prediction);
  // Repaired: vibration back to 2 mm/s and flat. The trend no longer reaches 10 mm/s.
  for (const std::int64_t end = ms + 6 * kHour; ms < end; ms += 10'000) {
    feed(ms, 2.0);
  }
  REQUIRE(last);
  CHECK(last->state == AlertState::cleared);
}

TEST_CASE("a trend config names what is wrong", "[unit]") {
  MaintenanceConfig c = trend_config();
  c.trend->indicator.clear();
  CHECK_THROWS_WITH(TrendPredictor(c), Catch::Contains("trend.indicator"));
  c = trend_config();
  c.trend->points = 2;
  CHECK_THROWS_WITH(TrendPredictor(c), Catch::Contains("trend.points"));
  c = trend_config();
  c.trend->fit.shape = TrendShape::kExponential;
  c.trend->fit.offset = 12.0;
  CHECK_THROWS_WITH(TrendPredictor(c), Catch::Contains("trend.threshold"));
}

}  // namespace
}  // namespace edgegw::analytics
