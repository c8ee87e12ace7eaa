#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "maintenance/feature_window.hpp"

namespace edgegw::analytics {
namespace {

FeatureSpec one_sensor_spec() {
  FeatureSpec spec;
  spec.sensors = {"x"};
  spec.windows = {3, 5};
  spec.smoothing = 0.5;
  spec.regimes.centers = {{}};
  spec.regimes.sensor_mean = {{0.0}};
  spec.regimes.sensor_std = {{1.0}};
  return spec;
}

// Feature layout per sensor: ewma, then mean, slope, std, min, max per window.
constexpr int kMean5 = 6, kSlope5 = 7, kStd5 = 8, kMin5 = 9, kMax5 = 10, kMean3 = 1;

TEST_CASE("feature window summarizes the newest samples of each window", "[unit]") {
  const FeatureSpec spec = one_sensor_spec();
  FeatureWindow w(spec);
  const double none = 0.0;
  for (int i = 1; i <= 10; ++i) {
    const double v = i;
    w.push(&v, &none);
  }
  Eigen::VectorXd f(static_cast<Eigen::Index>(spec.feature_count()));
  w.features(f);
  CHECK(f[kMean3] == Approx(9.0));
  CHECK(f[kMean5] == Approx(8.0));
  CHECK(f[kSlope5] == Approx(1.0));
  CHECK(f[kStd5] == Approx(std::sqrt(2.0)));
  CHECK(f[kMin5] == 6.0);
  CHECK(f[kMax5] == 10.0);
}

TEST_CASE("feature window uses the available history when it is shorter", "[unit]") {
  const FeatureSpec spec = one_sensor_spec();
  FeatureWindow w(spec);
  const double none = 0.0;
  for (double v : {2.0, 4.0})
    w.push(&v, &none);
  Eigen::VectorXd f(static_cast<Eigen::Index>(spec.feature_count()));
  w.features(f);
  CHECK(f[kMean5] == Approx(3.0));
  CHECK(f[kSlope5] == Approx(2.0));
  CHECK(f[kMin5] == 2.0);
}

TEST_CASE("NaN readings keep the last value instead of poisoning the window", "[unit]") {
  const FeatureSpec spec = one_sensor_spec();
  FeatureWindow w(spec);
  const double none = std::numeric_limits<double>::quiet_NaN();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const double five = 5.0;
  w.push(&nan, &none);  // nothing seen yet: reads as the regime mean (0)
  w.push(&five, &none);
  w.push(&nan, &none);
  w.push(&inf, &none);
  Eigen::VectorXd f(static_cast<Eigen::Index>(spec.feature_count()));
  w.features(f);
  CHECK(f.allFinite());
  CHECK(f[kMax5] == 5.0);
  CHECK(f[kMean3] == Approx(5.0));
}

TEST_CASE("feature window normalizes within the nearest operating regime", "[unit]") {
  FeatureSpec spec = one_sensor_spec();
  spec.regimes.settings = {"alt"};
  spec.regimes.setting_mean = {0.0};
  spec.regimes.setting_scale = {1.0};
  spec.regimes.centers = {{0.0}, {10.0}};
  spec.regimes.sensor_mean = {{100.0}, {500.0}};
  spec.regimes.sensor_std = {{2.0}, {4.0}};
  FeatureWindow w(spec);
  const double low = 0.1, high = 9.8, a = 104.0, b = 492.0;
  Eigen::VectorXd f(static_cast<Eigen::Index>(spec.feature_count()));
  w.push(&a, &low);
  CHECK(w.regime() == 0);
  w.push(&b, &high);
  CHECK(w.regime() == 1);
  w.features(f);
  CHECK(f[kMin5] == Approx(-2.0));
  CHECK(f[kMax5] == Approx(2.0));
}

TEST_CASE("a sequence spec copies the newest samples out, oldest first", "[unit]") {
  FeatureSpec spec;
  spec.sensors = {"x", "y"};
  spec.sequence = 4;
  spec.regimes.centers = {{}};
  spec.regimes.sensor_mean = {{0.0, 10.0}};
  spec.regimes.sensor_std = {{1.0, 2.0}};
  REQUIRE(spec.feature_count() == 8);
  REQUIRE(spec.feature_names().front() == "x@t-3");
  FeatureWindow window(spec);
  Eigen::VectorXd f(8);
  const auto push = [&window](double x, double y) {
    const double s[2] = {x, y};
    window.push(s, nullptr);
  };
  // Shorter than the sequence: the oldest sample repeats in front.
  push(1.0, 12.0);
  push(2.0, 14.0);
  window.features(f);
  CHECK(f == (Eigen::VectorXd(8) << 1, 1, 1, 1, 1, 1, 2, 2).finished());
  push(3.0, 10.0);
  push(4.0, 10.0);
  push(5.0, 8.0);  // the ring wraps: the first sample is gone
  window.features(f);
  CHECK(f == (Eigen::VectorXd(8) << 2, 2, 3, 0, 4, 0, 5, -1).finished());
}

}  // namespace
}  // namespace edgegw::analytics
