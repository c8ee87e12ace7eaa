#pragma once
// Calibrates a device's combined surprise against the device's own history.
//
// The detectors' p-values assume their reference distributions (normal, chi-square);
// real signals are heavier-tailed, autocorrelated and seasonal, so those p-values are
// far too small on real data (a quarter of a smooth seasonal series can sit below
// p = 0.01). The calibrator keeps a decaying histogram of u = -log10(p) for the device
// and returns the empirical tail probability P(U >= u) of the current sample, with a +1
// prior so that it is never below 1/(history + 1). 1 - that is the engine's
// anomaly_score: the fraction of this device's past that was at least this surprising.
//
// State is 50 floats per device; one add and one pass over the bins per sample.

#include <array>
#include <cstdint>

namespace edgegw::analytics {

inline constexpr int kCalibrationBins = 48;

struct CalibrationState {
  std::array<float, kCalibrationBins> bins{};
  float total = 0.0F;
  float increment = 1.0F;  // grows each sample: old samples weigh exponentially less
};

class ScoreCalibrator {
 public:
  explicit ScoreCalibrator(double half_life_samples);

  // The empirical upper-tail probability of p_value among the past ones, then learns it.
  double calibrate_and_update(CalibrationState& state, double p_value) const;

 private:
  float growth_;
};

}  // namespace edgegw::analytics
