#include "anomaly/threshold_rule.hpp"

#include <cmath>
#include <limits>

namespace edgegw::analytics {

ThresholdRule::ThresholdRule(const RuleConfig& config) : config_(config) {}

double ThresholdRule::threshold_for(const DeviceMetadata* metadata) const {
  if (config_.threshold_meta.empty()) {
    return config_.threshold;
  }
  const std::string* text = metadata != nullptr ? metadata->value(config_.threshold_meta) : nullptr;
  return text != nullptr ? metadata_number(*text).value_or(std::nan(""))
                         : std::numeric_limits<double>::quiet_NaN();
}

double ThresholdRule::clear_level(double threshold) const {
  return config_.clear.value_or(threshold);
}

bool ThresholdRule::over(double value, double threshold) const {
  return config_.op == RuleOp::above ? value > threshold : value < threshold;
}

bool ThresholdRule::cleared(double value, double threshold) const {
  const double clear = clear_level(threshold);
  return config_.op == RuleOp::above ? value <= clear : value >= clear;
}

double ThresholdRule::ratio(double value, double threshold) const {
  // 1 at the threshold, growing by one per threshold-sized step beyond it, in the
  // direction of the rule (so that "hotter" means a higher score for both kinds).
  const double scale = threshold != 0.0 ? std::fabs(threshold) : 1.0;
  const double beyond = config_.op == RuleOp::above ? value - threshold : threshold - value;
  return 1.0 + beyond / scale;
}

RuleTransition ThresholdRule::update(RuleState& state, double value, double threshold,
                                     std::int64_t event_ms) const {
  if (!std::isfinite(value)) {
    return RuleTransition::none;  // a bad reading neither starts nor ends a condition
  }
  if (!std::isfinite(threshold)) {
    // The rule does not apply to a device without its threshold (metadata it lacks); one
    // that lost it at a reload ends its open condition rather than holding it for good.
    const bool was_active = state.active;
    state.active = false;
    state.pending = false;
    return was_active ? RuleTransition::clear : RuleTransition::none;
  }
  if (state.active) {
    if (cleared(value, threshold)) {
      state.active = false;
      state.pending = false;
      return RuleTransition::clear;
    }
    return RuleTransition::none;
  }
  if (!over(value, threshold)) {
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
