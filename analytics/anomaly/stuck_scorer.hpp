#pragma once
// Stuck sensor: the same value (within an absolute tolerance) repeated for at least
// `min_samples` samples and `min_duration` of event time. Both must hold, so a fast
// sensor does not trip on a short plateau and a slow one not on two equal readings.
// It has no reference distribution: its p-value is always 1 (it does not feed the
// combined anomaly score), its alerts come from the rule-like ratio.

#include <cstdint>

#include "anomaly/score.hpp"

namespace edgegw::analytics {

struct StuckState {
  double value = 0.0;
  std::int64_t run_start_ms = 0;
  std::uint32_t run = 0;
};

class StuckScorer {
 public:
  StuckScorer(std::uint32_t min_samples, std::int64_t min_duration_ms, double tolerance);

  Score score_and_update(StuckState& state, double x, std::int64_t event_ms) const;

 private:
  std::uint32_t min_samples_;
  std::int64_t min_duration_ms_;
  double tolerance_;
};

}  // namespace edgegw::analytics
