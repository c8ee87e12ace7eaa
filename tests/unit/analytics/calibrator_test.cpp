#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "anomaly/score_calibrator.hpp"

using namespace edgegw::analytics;

TEST_CASE("calibrated tail of uniform p-values is uniform", "[unit]") {
  const ScoreCalibrator calibrator(1e6);
  CalibrationState state;
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  int below_1pct = 0;
  const int n = 50'000;
  for (int i = 0; i < n; ++i) {
    const double tail = calibrator.calibrate_and_update(state, u(rng));
    below_1pct += (i > 1000 && tail <= 0.01) ? 1 : 0;
  }
  // Uniform within a quarter-decade bin is an approximation: a tolerance of 30%.
  CHECK(below_1pct == Approx(0.01 * (n - 1001)).epsilon(0.3));
}

TEST_CASE("a sample more surprising than all history scores near 1 - 1/n", "[unit]") {
  const ScoreCalibrator calibrator(1e6);
  CalibrationState state;
  for (int i = 0; i < 999; ++i) {
    (void)calibrator.calibrate_and_update(state, 0.5);
  }
  const double tail = calibrator.calibrate_and_update(state, 1e-9);
  CHECK(tail == Approx(1.0 / 1000).epsilon(0.01));
  // NaN counts as no evidence; results stay in [0, 1].
  CHECK(calibrator.calibrate_and_update(state, std::nan("")) == Approx(1.0));
  CHECK(calibrator.calibrate_and_update(state, 0.0) > 0.0);
}

TEST_CASE("old history fades with the half-life", "[unit]") {
  const ScoreCalibrator calibrator(100);
  CalibrationState state;
  for (int i = 0; i < 1000; ++i) {
    (void)calibrator.calibrate_and_update(state, 1e-6);  // a surprising past
  }
  for (int i = 0; i < 2000; ++i) {
    (void)calibrator.calibrate_and_update(state, 0.5);  // a quiet present
  }
  // 20 half-lives later the surprising past weighs nothing: 1e-6 is rare again.
  CHECK(calibrator.calibrate_and_update(state, 1e-6) < 0.01);
  CHECK(std::isfinite(state.total));
}
