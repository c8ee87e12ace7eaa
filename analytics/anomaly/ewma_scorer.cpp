#include "anomaly/ewma_scorer.hpp"

#include <algorithm>
#include <cmath>

#include "anomaly/stats_math.hpp"

namespace edgegw::analytics {

double sigma_floor(double min_std, double level) {
  return std::max(min_std, 1e-9 * std::max(1.0, std::fabs(level)));
}

EwmaScorer::EwmaScorer(double half_life, std::uint32_t warmup, double false_alarm_rate, double clip,
                       double min_std)
    : alpha_(1.0 - std::exp2(-1.0 / half_life)),
      warmup_(std::max<std::uint32_t>(warmup, 2)),
      z_threshold_(normal_quantile(1.0 - false_alarm_rate / 2.0)),
      clip_(clip),
      min_std_(min_std) {}

Score EwmaScorer::score_and_update(EwmaState& state, double x, bool learn) const {
  Score score;
  if (!std::isfinite(x)) {
    return score;
  }
  if (state.n == 0) {
    state.mean = x;
    state.var = 0.0;
    state.n = 1;
    return score;
  }
  const double sigma = std::max(std::sqrt(state.var), sigma_floor(min_std_, state.mean));
  const double residual = x - state.mean;
  const double z = std::fabs(residual) / sigma;
  if (state.n >= warmup_) {
    score.ready = true;
    score.statistic = z;
    score.threshold = z_threshold_;
    score.ratio = z / z_threshold_;
    score.p_value = std::min(1.0, 2.0 * normal_upper_tail(z));
    score.expected = state.mean;
    score.scale = sigma;
  }
  if (!learn) {
    return score;
  }
  // Cumulative average while young (fast, unbiased start), exponential afterwards.
  const double a = std::max(alpha_, 1.0 / (state.n + 1.0));
  const double bound = clip_ * sigma;
  const double r = state.n >= warmup_ ? std::clamp(residual, -bound, bound) : residual;
  state.mean += a * r;
  state.var = (1.0 - a) * (state.var + a * r * r);
  if (state.n < UINT32_MAX) {
    ++state.n;
  }
  return score;
}

}  // namespace edgegw::analytics
