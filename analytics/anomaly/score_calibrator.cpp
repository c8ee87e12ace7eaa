#include "anomaly/score_calibrator.hpp"

#include <algorithm>
#include <cmath>

namespace edgegw::analytics {
namespace {

// Bins of v = log2(1 + u), u = -log10(p): fine where most samples are (u below 2),
// coarse far in the tail, up to p = 1e-300 (u = 300, where double p-values underflow);
// the last bin holds exactly those saturated samples.
constexpr double kMaxU = 300.0;
const double kBinWidth = std::log2(1.0 + kMaxU) / (kCalibrationBins - 1);
constexpr float kRescaleAt = 1e20F;

}  // namespace

ScoreCalibrator::ScoreCalibrator(double half_life_samples)
    : growth_(static_cast<float>(std::exp2(1.0 / std::max(half_life_samples, 1.0)))) {}

double ScoreCalibrator::calibrate_and_update(CalibrationState& s, double p_value) const {
  const double p = std::clamp(std::isnan(p_value) ? 1.0 : p_value, 1e-300, 1.0);
  const double u = std::min(-std::log10(p), kMaxU);
  const double position =
      std::min(std::log2(1.0 + u) / kBinWidth, static_cast<double>(kCalibrationBins - 1));
  const int bin = static_cast<int>(position);
  // Mass at or above u: the bins above, and the part of u's bin above it (uniform within
  // a bin, which also keeps the result continuous in u). The last bin holds ties at the
  // saturation point: all of it counts.
  double above = 0.0;
  for (int b = bin + 1; b < kCalibrationBins; ++b) {
    above += s.bins[static_cast<std::size_t>(b)];
  }
  const double in_bin = s.bins[static_cast<std::size_t>(bin)];
  const double fraction = bin == kCalibrationBins - 1 ? 1.0 : 1.0 - (position - bin);
  above += fraction * in_bin;
  const double increment = s.increment;
  const double tail = (above + increment) / (s.total + increment);

  s.bins[static_cast<std::size_t>(bin)] += s.increment;
  s.total += s.increment;
  s.increment *= growth_;
  if (s.increment > kRescaleAt) {
    for (float& b : s.bins) {
      b /= s.increment;
    }
    s.total /= s.increment;
    s.increment = 1.0F;
  }
  return std::min(tail, 1.0);
}

}  // namespace edgegw::analytics
