#include <algorithm>
#include <cmath>
#include <limits>

#include "edgegw/analytics/maintenance_trend.hpp"

namespace edgegw::analytics {
namespace {

// The k-th smallest of v[0, n) (0-based), reordering v.
double kth(std::vector<double>& v, std::size_t n, std::size_t k) {
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k),
                   v.begin() + static_cast<std::ptrdiff_t>(n));
  return v[k];
}

double median(std::vector<double>& v, std::size_t n) {
  const double hi = kth(v, n, n / 2);
  if (n % 2 == 1)
    return hi;
  const double lo = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n / 2));
  return 0.5 * (lo + hi);
}

// Time from `t_last` until the line through (t0, y0) with slope b reaches `level`;
// infinity when it moves away from the level or is flat.
double crossing(double t0, double y0, double b, double level, double t_last) {
  const double y_last = y0 + b * (t_last - t0);
  const double gap = level - y_last;
  if (gap == 0.0)
    return 0.0;
  if (b == 0.0 || (gap > 0.0) != (b > 0.0))
    return std::numeric_limits<double>::infinity();
  return gap / b;
}

}  // namespace

TrendFitter::TrendFitter(std::size_t max_points)
    : max_points_(max_points),
      t_(max_points),
      y_(max_points),
      slopes_(max_points * (max_points - (max_points > 0 ? 1 : 0)) / 2),
      scratch_(max_points) {}

TrendEstimate TrendFitter::fit(const double* t, const double* y, std::size_t n,
                               const TrendConfig& config) {
  TrendEstimate e;
  const bool exponential = config.shape == TrendShape::kExponential;
  std::size_t m = 0;
  for (std::size_t i = 0; i < std::min(n, max_points_); ++i) {
    double v = y[i];
    if (exponential)
      v = v - config.offset > 0.0 ? std::log(v - config.offset) : std::nan("");
    if (!std::isfinite(t[i]) || !std::isfinite(v))
      continue;
    t_[m] = t[i];
    y_[m] = v;
    ++m;
  }
  if (m < std::max<std::size_t>(2, config.min_points))
    return e;
  const double level = exponential ? (config.threshold - config.offset > 0.0
                                          ? std::log(config.threshold - config.offset)
                                          : std::nan(""))
                                   : config.threshold;
  if (!std::isfinite(level))
    return e;

  std::size_t count = 0;
  for (std::size_t i = 0; i < m; ++i) {
    for (std::size_t j = i + 1; j < m; ++j) {
      if (t_[j] != t_[i])
        slopes_[count++] = (y_[j] - y_[i]) / (t_[j] - t_[i]);
    }
  }
  if (count == 0)
    return e;
  // Sen's confidence interval: ranks of the pairwise slopes around the median, from
  // the variance of Kendall's S (no ties correction: readings are continuous).
  const double nn = static_cast<double>(m);
  const double c = config.z * std::sqrt(nn * (nn - 1.0) * (2.0 * nn + 5.0) / 18.0);
  const double nc = static_cast<double>(count);
  const auto lo_rank =
      static_cast<std::size_t>(std::clamp(std::floor((nc - c) / 2.0), 0.0, nc - 1));
  const auto hi_rank = static_cast<std::size_t>(std::clamp(std::ceil((nc + c) / 2.0), 0.0, nc - 1));
  const double b_lo = kth(slopes_, count, lo_rank);
  const double b_hi = kth(slopes_, count, hi_rank);
  const double b = median(slopes_, count);
  for (std::size_t i = 0; i < m; ++i)
    scratch_[i] = y_[i] - b * t_[i];
  const double a = median(scratch_, m);
  // Lines of the band pivot around the data's median point, where the fit is surest.
  for (std::size_t i = 0; i < m; ++i)
    scratch_[i] = t_[i];
  const double t_mid = median(scratch_, m);
  const double y_mid = a + b * t_mid;
  double t_last = t_[0];
  for (std::size_t i = 1; i < m; ++i)
    t_last = std::max(t_last, t_[i]);

  e.slope = b;
  e.intercept = a;
  e.time_to_threshold = crossing(t_mid, y_mid, b, level, t_last);
  if (!std::isfinite(e.time_to_threshold))
    return e;
  // A band line steeper than the fit may already be past the level at the newest point:
  // along that line the crossing has happened (0), it is not "never".
  const auto band_crossing = [&](double slope) {
    const double at = crossing(t_mid, y_mid, slope, level, t_last);
    const double y_last = y_mid + slope * (t_last - t_mid);
    const bool same_way = slope != 0.0 && (slope > 0.0) == (b > 0.0);
    const bool past = b > 0.0 ? y_last >= level : y_last <= level;
    return std::isfinite(at) || !(same_way && past) ? at : 0.0;
  };
  const double t1 = band_crossing(b_lo);
  const double t2 = band_crossing(b_hi);
  e.lower = std::min(e.time_to_threshold, std::max(0.0, std::min(t1, t2)));
  e.upper = std::max(e.time_to_threshold, std::max(t1, t2));
  e.valid = true;
  return e;
}

}  // namespace edgegw::analytics
