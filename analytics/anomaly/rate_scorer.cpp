#include "anomaly/rate_scorer.hpp"

#include <cmath>

namespace edgegw::analytics {

namespace {
constexpr double kClip = 3.0;
}

RateScorer::RateScorer(double half_life, std::uint32_t warmup, double false_alarm_rate,
                       double min_std, std::optional<double> max_rate)
    : ewma_(half_life, warmup, false_alarm_rate, kClip, min_std), max_rate_(max_rate) {}

Score RateScorer::score_and_update(RateState& state, double x, std::int64_t event_ms,
                                   bool learn) const {
  Score score;
  if (!std::isfinite(x)) {
    return score;
  }
  if (!state.has_last) {
    state.last_value = x;
    state.last_ms = event_ms;
    state.has_last = true;
    return score;
  }
  if (event_ms <= state.last_ms) {
    return score;  // out of order or duplicate time: no meaningful rate
  }
  const double rate =
      (x - state.last_value) / (static_cast<double>(event_ms - state.last_ms) / 1000.0);
  state.last_value = x;
  state.last_ms = event_ms;
  score = ewma_.score_and_update(state.ewma, rate, learn);
  if (max_rate_ && std::fabs(rate) / *max_rate_ > score.ratio) {
    score.ready = true;
    score.statistic = std::fabs(rate);
    score.threshold = *max_rate_;
    score.ratio = std::fabs(rate) / *max_rate_;
    score.expected = 0.0;
    score.scale = 0.0;
  }
  return score;
}

}  // namespace edgegw::analytics
