#include "anomaly/stuck_scorer.hpp"

#include <algorithm>
#include <cmath>

namespace edgegw::analytics {

StuckScorer::StuckScorer(std::uint32_t min_samples, std::int64_t min_duration_ms, double tolerance)
    : min_samples_(std::max<std::uint32_t>(min_samples, 2)),
      min_duration_ms_(std::max<std::int64_t>(min_duration_ms, 0)),
      tolerance_(tolerance) {}

Score StuckScorer::score_and_update(StuckState& state, double x, std::int64_t event_ms) const {
  Score score;
  if (!std::isfinite(x)) {
    return score;
  }
  if (state.run > 0 && std::fabs(x - state.value) <= tolerance_) {
    if (state.run < UINT32_MAX) {
      ++state.run;
    }
  } else {
    state.value = x;
    state.run = 1;
    state.run_start_ms = event_ms;
  }
  const double by_count = static_cast<double>(state.run) / min_samples_;
  const double duration =
      static_cast<double>(std::max<std::int64_t>(0, event_ms - state.run_start_ms));
  const double by_time =
      min_duration_ms_ > 0 ? duration / static_cast<double>(min_duration_ms_) : by_count;
  score.ready = true;
  score.ratio = std::min(by_count, by_time);
  score.statistic = state.run;
  score.threshold = min_samples_;
  score.expected = state.value;
  return score;
}

}  // namespace edgegw::analytics
