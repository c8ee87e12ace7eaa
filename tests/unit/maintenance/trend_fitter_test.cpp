#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "edgegw/analytics/maintenance_trend.hpp"
#include "maintenance/split_mix.hpp"

namespace edgegw::analytics {
namespace {

TEST_CASE("a linear degradation gives the exact time to threshold", "[unit]") {
  std::vector<double> t, y;
  for (int i = 0; i < 50; ++i) {
    t.push_back(i);
    y.push_back(10.0 + 0.5 * i);
  }
  TrendFitter fitter(64);
  TrendConfig config;
  config.threshold = 60.0;
  const TrendEstimate e = fitter.fit(t.data(), y.data(), t.size(), config);
  REQUIRE(e.valid);
  CHECK(e.slope == Approx(0.5));
  CHECK(e.time_to_threshold == Approx(51.0));  // (60 - 34.5) / 0.5
  CHECK(e.lower == Approx(51.0));
  CHECK(e.upper == Approx(51.0));
}

TEST_CASE("Theil-Sen ignores outliers and brackets the answer with its band", "[unit]") {
  SplitMix rng(7);
  std::vector<double> t, y;
  for (int i = 0; i < 60; ++i) {
    t.push_back(i);
    y.push_back(100.0 - 1.0 * i + rng.normal() + (i % 10 == 3 ? 40.0 : 0.0));
  }
  y[20] = std::numeric_limits<double>::quiet_NaN();  // a lost reading is skipped
  TrendFitter fitter(64);
  TrendConfig config;
  config.threshold = 0.0;
  const TrendEstimate e = fitter.fit(t.data(), y.data(), t.size(), config);
  REQUIRE(e.valid);
  CHECK(e.slope == Approx(-1.0).margin(0.1));
  CHECK(e.time_to_threshold == Approx(41.0).margin(5.0));  // 100 - 59 = 41 left
  CHECK(e.lower <= e.time_to_threshold);
  CHECK(e.upper >= e.time_to_threshold);
  CHECK(e.upper - e.lower > 0.0);
}

TEST_CASE("an exponential degradation extrapolates in log space", "[unit]") {
  std::vector<double> t, y;
  for (int i = 0; i < 40; ++i) {
    t.push_back(i);
    y.push_back(2.0 + std::exp(0.1 + 0.05 * i));
  }
  TrendFitter fitter(64);
  TrendConfig config;
  config.shape = TrendShape::kExponential;
  config.offset = 2.0;
  config.threshold = 2.0 + std::exp(0.1 + 0.05 * 80);
  const TrendEstimate e = fitter.fit(t.data(), y.data(), t.size(), config);
  REQUIRE(e.valid);
  CHECK(e.time_to_threshold == Approx(41.0));  // reaches it at t = 80, newest t = 39
}

TEST_CASE("a trend moving away from the threshold, or too few points, is not valid", "[unit]") {
  std::vector<double> t = {0, 1, 2, 3, 4, 5}, y = {5, 4, 3, 2, 1, 0};
  TrendFitter fitter(8);
  TrendConfig config;
  config.threshold = 10.0;
  CHECK_FALSE(fitter.fit(t.data(), y.data(), t.size(), config).valid);
  config.threshold = -10.0;
  CHECK(fitter.fit(t.data(), y.data(), t.size(), config).valid);
  CHECK_FALSE(fitter.fit(t.data(), y.data(), 3, config).valid);
}

}  // namespace
}  // namespace edgegw::analytics

namespace edgegw::analytics {
namespace {

TEST_CASE("the band holds the estimate even when a band line is already past the level", "[unit]") {
  // Noisy points close to the threshold: the steepest plausible slope has crossed it.
  std::vector<double> t, y;
  for (int i = 0; i < 12; ++i) {
    t.push_back(i - 11);
    y.push_back(9.0 + 0.05 * i + ((i % 3) - 1) * 0.4);
  }
  TrendFitter fitter(t.size());
  TrendConfig c;
  c.threshold = 10.0;
  const TrendEstimate e = fitter.fit(t.data(), y.data(), t.size(), c);
  REQUIRE(e.valid);
  CHECK(std::isfinite(e.lower));
  CHECK(e.lower >= 0.0);
  CHECK(e.lower <= e.time_to_threshold);
  CHECK(e.upper >= e.time_to_threshold);
}

}  // namespace
}  // namespace edgegw::analytics
