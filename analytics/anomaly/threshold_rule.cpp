#include "anomaly/threshold_rule.hpp"

#include <cmath>

namespace edgegw::analytics {

ThresholdRule::ThresholdRule(const RuleConfig& config)
    : config_(config), clear_(config.clear.value_or(config.threshold)) {}

bool ThresholdRule::over(double value) const {
  return config_.op == RuleOp::above ? value > config_.threshold : value < config_.threshold;
}

bool ThresholdRule::cleared(double value) const {
  return config_.op == RuleOp::above ? value <= clear_ : value >= clear_;
}

double ThresholdRule::ratio(double value) const {
  // 1 at the threshold, growing by one per threshold-sized step beyond it, in the
  // direction of the rule (so that "hotter" means a higher score for both kinds).
  const double scale = config_.threshold != 0.0 ? std::fabs(config_.threshold) : 1.0;
  const double beyond =
      config_.op == RuleOp::above ? value - config_.threshold : config_.threshold - value;
  return 1.0 + beyond / scale;
}

RuleTransition ThresholdRule::update(RuleState& state, double value, std::int64_t event_ms) const {
  if (!std::isfinite(value)) {
    return RuleTransition::none;  // a bad reading neither starts nor ends a condition
  }
  if (state.active) {
    if (cleared(value)) {
      state.active = false;
      state.pending = false;
      return RuleTransition::clear;
    }
    return RuleTransition::none;
  }
  if (!over(value)) {
    state.pending = false;
    return RuleTransition::none;
  }
  if (!state.pending) {
    state.pending = true;
    state.since_ms = event_ms;
  }
  if (event_ms - state.since_ms >= config_.for_ms) {
    state.active = true;
    state.pending = false;
    return RuleTransition::raise;
  }
  return RuleTransition::none;
}

}  // namespace edgegw::analytics
