#include "anomaly/mad_scorer.hpp"

#include <algorithm>
#include <cmath>

#include "anomaly/ewma_scorer.hpp"
#include "anomaly/stats_math.hpp"

namespace edgegw::analytics {
namespace {

// 1/Phi^-1(3/4): makes the MAD a consistent estimate of sigma for normal data.
constexpr double kMadToSigma = 1.482602218505602;

}  // namespace

MadScorer::MadScorer(std::uint32_t window, std::uint32_t warmup, std::uint32_t refresh_every,
                     double false_alarm_rate, double min_std)
    : window_(std::max<std::uint32_t>(window, 3)),
      warmup_(std::clamp<std::uint32_t>(warmup, 3, std::max<std::uint32_t>(window, 3))),
      refresh_every_(std::max<std::uint32_t>(refresh_every, 1)),
      z_threshold_(normal_quantile(1.0 - false_alarm_rate / 2.0)),
      min_std_(min_std),
      scratch_(window_) {}

MadState MadScorer::make_state() const {
  MadState state;
  state.ring.assign(window_, 0.0);
  return state;
}

void MadScorer::refresh(MadState& state) {
  const std::uint32_t n = state.filled;
  std::copy_n(state.ring.begin(), n, scratch_.begin());
  const auto mid = scratch_.begin() + n / 2;
  std::nth_element(scratch_.begin(), mid, scratch_.begin() + n);
  double median = *mid;
  if (n % 2 == 0) {
    median = 0.5 * (median + *std::max_element(scratch_.begin(), mid));
  }
  double sum_sq = 0.0;
  for (std::uint32_t i = 0; i < n; ++i) {
    scratch_[i] = std::fabs(state.ring[i] - median);
    sum_sq += scratch_[i] * scratch_[i];
  }
  std::nth_element(scratch_.begin(), mid, scratch_.begin() + n);
  double scale = kMadToSigma * *mid;
  if (scale <= 0.0) {
    // Over half the window holds one value (quantized or mostly constant signals): the
    // robust estimate has broken down, so fall back to the classical deviation (taken
    // about the median, which is what the score is measured from).
    scale = std::sqrt(sum_sq / n);
  }
  state.median = median;
  state.scale = std::max(scale, sigma_floor(min_std_, median));
  state.since_refresh = 0;
}

Score MadScorer::score_and_update(MadState& state, double x, bool learn) {
  Score score;
  if (!std::isfinite(x) || state.ring.size() != window_) {
    return score;
  }
  if (state.filled >= warmup_) {
    if (state.since_refresh >= refresh_every_ || state.scale <= 0.0) {
      refresh(state);
    }
    const double z = std::fabs(x - state.median) / state.scale;
    score.ready = true;
    score.statistic = z;
    score.threshold = z_threshold_;
    score.ratio = z / z_threshold_;
    score.p_value = std::min(1.0, 2.0 * normal_upper_tail(z));
    score.expected = state.median;
    score.scale = state.scale;
  }
  if (!learn) {
    return score;
  }
  state.ring[state.next] = x;
  state.next = (state.next + 1) % window_;
  state.filled = std::min(state.filled + 1, window_);
  ++state.since_refresh;
  return score;
}

}  // namespace edgegw::analytics
