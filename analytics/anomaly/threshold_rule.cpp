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
  if (config_.threshold == 0.0) {
    return over(value) ? 1.0 : 0.0;
  }
  const double r = value / config_.threshold;
  return config_.op == RuleOp::above ? r : (value == 0.0 ? HUGE_VAL : 1.0 / r);
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
