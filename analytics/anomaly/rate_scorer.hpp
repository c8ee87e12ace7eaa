#pragma once
// Rate of change: the per-second change between consecutive samples of a sensor, scored
// as a robust z-score against its own EWMA statistics (a jump that is unusual for this
// signal), and optionally against an absolute limit in units per second.
//
// Samples that arrive out of event-time order (dt <= 0) are not differentiated: they
// would give an infinite or negative rate. Per-sensor state is owned by the device.

#include <cstdint>
#include <optional>

#include "anomaly/ewma_scorer.hpp"
#include "anomaly/score.hpp"

namespace edgegw::analytics {

struct RateState {
  EwmaState ewma;
  double last_value = 0.0;
  std::int64_t last_ms = 0;
  bool has_last = false;
};

class RateScorer {
 public:
  RateScorer(double half_life, std::uint32_t warmup, double false_alarm_rate, double min_std,
             std::optional<double> max_rate);

  // With `learn` false the rates' distribution stays as it is.
  Score score_and_update(RateState& state, double x, std::int64_t event_ms,
                         bool learn = true) const;

 private:
  EwmaScorer ewma_;
  std::optional<double> max_rate_;
};

}  // namespace edgegw::analytics
