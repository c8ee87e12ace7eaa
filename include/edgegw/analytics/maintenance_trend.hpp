#pragma once
// Time to threshold without training: fit a robust trend to a health indicator and
// extrapolate it to the failure threshold. Theil–Sen (the median of pairwise slopes)
// ignores up to ~29% outliers; its slope confidence interval (Sen 1968) gives the band.

#include <cstddef>
#include <vector>

namespace edgegw::analytics {

enum class TrendShape {
  kLinear,       // y = a + b·t
  kExponential,  // y = offset + exp(a + b·t): a fit of log(y - offset)
};

struct TrendConfig {
  TrendShape shape = TrendShape::kLinear;
  double threshold = 0.0;  // the failure level of the health indicator
  double offset = 0.0;     // exponential: the healthy baseline below the growth
  double z = 1.645;        // ~90% two-sided band
  std::size_t min_points = 5;
};

struct TrendEstimate {
  bool valid = false;              // false: too few points, or the trend moves away
  double time_to_threshold = 0.0;  // from the newest point's time
  double lower = 0.0;              // earliest plausible crossing (from the newest time)
  double upper = 0.0;              // latest; +infinity when the slope band includes 0
  double slope = 0.0;              // in the fitted space (log space for exponential)
  double intercept = 0.0;
};

// Reusable scratch space so that repeated fits do not allocate. Not thread-safe: one per
// caller (one per device, or one per analytics thread).
class TrendFitter {
 public:
  explicit TrendFitter(std::size_t max_points);
  // `t` and `y` have the same length (≤ max_points); NaN points are skipped.
  [[nodiscard]] TrendEstimate fit(const double* t, const double* y, std::size_t n,
                                  const TrendConfig& config);

 private:
  std::size_t max_points_;
  std::vector<double> t_;
  std::vector<double> y_;
  std::vector<double> slopes_;
  std::vector<double> scratch_;
};

}  // namespace edgegw::analytics
